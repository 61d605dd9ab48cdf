"""Every registration e-mail rendered in each language and looked at in Chromium at a
phone's width: the HTML part is right-to-left in Arabic and Sorani, and the plain-text
part carries the same facts."""

import datetime as dt
import zoneinfo

import pytest

from conference.i18n import as_translated
from conference.mail import render_email
from registrations.models import Registration

pytestmark = [pytest.mark.browser]

TITLE = as_translated(
    {"ar": "مؤتمر التضامن ٢٠٢٧", "ckb": "کۆنفرانسی هاوپشتی ٢٠٢٧", "en": "Solidarity Conference 2027"}
)
CATEGORY = as_translated(
    {
        "ar": "مندوب المجتمع المدني العراقي",
        "ckb": "نوێنەری کۆمەڵگەی مەدەنی عێراق",
        "en": "Iraqi civil society delegate",
    }
)
STATUSES = ["pending", "confirmed", "waitlisted", "offered", "rejected", "cancelled"]


def status_context(status: str) -> dict:
    return {
        "person_name": "Zainab Kadhim",
        "edition_title": TITLE,
        "category_name": CATEGORY,
        "status": status,
        "status_label": Registration.Status(status).label,
        "reason": "Outside the network's charter" if status == "rejected" else "",
        "position": 7 if status == "waitlisted" else None,
        "offer_expires_at": dt.datetime(2027, 3, 2, 9, 30, tzinfo=dt.UTC) if status == "offered" else None,
        "time_zone": zoneinfo.ZoneInfo("Asia/Baghdad"),
        "status_path": "/ar/baghdad-2027/my-registration/",
    }


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_status_emails_in_each_language(page, artifacts_dir, language):
    page.set_viewport_size({"width": 390, "height": 700})
    subjects = set()
    for status in STATUSES:
        subject, text, html = render_email("registration_status", status_context(status), language)
        subjects.add(subject)
        assert "Zainab Kadhim" in text and str(TITLE.get_in(language)) in subject
        if status == "waitlisted":
            assert "7" in text
        if status == "offered":
            assert "2027-03-02 12:30" in text  # 09:30 UTC in conference time
        if status == "rejected":
            assert "Outside the network's charter" in text
        page.set_content(html)
        direction = page.evaluate("getComputedStyle(document.querySelector('body > div')).direction")
        assert direction == ("ltr" if language == "en" else "rtl")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(artifacts_dir / f"email-status-{status}-{language}.png"), full_page=True)
    assert len(subjects) == len(STATUSES)  # each status says what happened in its subject


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_invitation_email_in_each_language(page, artifacts_dir, language):
    page.set_viewport_size({"width": 390, "height": 700})
    context = {
        "person_name": "Shilan Omer",
        "edition_title": TITLE,
        "category_name": CATEGORY,
        "status": "confirmed",
        "status_label": Registration.Status("confirmed").label,
        "position": None,
        "set_password": True,
        "link_path": "/ckb/accounts/password/reset/key/x-y/",
        "link_days": 3,
    }
    subject, text, html = render_email("registration_invited", context, language)
    assert str(TITLE.get_in(language)) in subject
    assert "/accounts/password/reset/key/x-y/" in text
    page.set_content(html)
    page.screenshot(path=str(artifacts_dir / f"email-invited-{language}.png"), full_page=True)
    assert page.locator("a").count() >= 1
