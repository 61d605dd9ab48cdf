"""The programme's e-mails that other tests send but do not look at: a speaker's
invitation, the proposal's receipt and a workshop place freed for the next in line.
Each rendered in each language at a phone's width; right to left in Arabic and Sorani,
the same facts in the plain-text part."""

import pytest

from conference.i18n import as_translated
from conference.mail import render_email

pytestmark = [pytest.mark.browser]

TITLE = as_translated(
    {"ar": "مؤتمر التضامن ٢٠٢٧", "ckb": "کۆنفرانسی هاوپشتی ٢٠٢٧", "en": "Solidarity Conference 2027"}
)
WORKSHOP = as_translated(
    {
        "ar": "حقوق المياه في دجلة والفرات",
        "ckb": "مافی ئاو لە دیجلە و فورات",
        "en": "Water rights on the Tigris",
    }
)

CASES = {
    "programme_speaker_invite": {
        "proposal_title": WORKSHOP,
        "edition_title": TITLE,
        "proposer_name": "Zainab Kadhim",
        "role": "facilitator",
        "has_account": False,
        "link_path": "/ar/baghdad-2027/speaker/TOKEN123/",
    },
    "programme_proposal_received": {
        "person_name": "Zainab Kadhim",
        "proposal_title": WORKSHOP,
        "edition_title": TITLE,
        "code": "W7KQ2M",
        "updated": False,
        "closes_at": "2027-02-01 03:00",
        "link_path": "/ar/baghdad-2027/propose/",
    },
    "programme_signup_promoted": {
        "person_name": "Zainab Kadhim",
        "edition_title": TITLE,
        "session_title": WORKSHOP,
        "when": "2027-04-13 10:00\u201311:30",
        "room": as_translated({"ar": "المكتبة", "ckb": "کتێبخانە", "en": "Library"}),
        "link_path": "/ar/baghdad-2027/programme/session/W7KQ2M/",
    },
}


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_programme_emails_in_each_language(page, artifacts_dir, language, name):
    page.set_viewport_size({"width": 390, "height": 700})
    subject, text, html = render_email(name, CASES[name], language)
    assert WORKSHOP.get_in(language) in subject + text
    assert CASES[name]["link_path"] in text
    page.set_content(html)
    direction = page.evaluate("getComputedStyle(document.querySelector('body > div')).direction")
    assert direction == ("ltr" if language == "en" else "rtl")
    assert page.get_by_text(WORKSHOP.get_in(language), exact=False).count() >= 1
    page.screenshot(
        path=str(artifacts_dir / f"email-{name.replace('_', '-')}-{language}.png"), full_page=True
    )
