"""Every e-mail the platform sends, rendered with hostile titles, names and reasons:
nothing injected may come out as live markup in the HTML part, and the text part and
the subject keep the text exactly as typed (they are plain text, never HTML)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from conference.i18n import TranslatedText
from conference.mail import render_email

HOSTILE = ('</title><a href="https://evil.example/x">x</a><script>alert(1)</script>'
           "<img src=x onerror=alert(2)>")
LANGUAGES = ["ar", "ckb", "en"]
ROOT = Path(settings.BASE_DIR)
# Tags the house templates use; anything else in a rendered e-mail was injected.
ALLOWED_TAGS = {"html", "head", "meta", "title", "body", "div", "p", "a", "strong", "span", "ul", "li",
                "br", "em"}


def hostile_text(tag: str) -> TranslatedText:
    """A translated text (title, category, room, note) hostile in every language."""
    return TranslatedText(dict.fromkeys(LANGUAGES, f"{tag}{HOSTILE}"))


def hostile(tag: str) -> str:
    return f"{tag}{HOSTILE}"


WHEN = dt.datetime(2027, 4, 13, 9, 0, tzinfo=dt.UTC)
SESSION_CHANGE = {
    "title": hostile_text("T-SESSION"),
    "kind": "moved",
    "old": {"start": WHEN, "end": WHEN, "room": hostile_text("T-OLDROOM")},
    "new": {"start": WHEN, "end": WHEN, "room": hostile_text("T-NEWROOM")},
}
COMMON = {"person_name": hostile("T-PERSON"), "edition_title": hostile_text("T-EDITION"),
          "link_path": "/p/", "staff_path": "/s/", "status_path": "/r/"}
# One context per e-mail, with every field a person can type made hostile. The contexts
# mirror what the services pass (see the notify and letter calls); test_every_email_is_covered
# fails when an e-mail is added without a context here.
CONTEXTS: dict[str, list[dict]] = {
    "registration_status": [
        {**COMMON, "category_name": hostile_text("T-CATEGORY"), "status": status,
         "status_label": "x", "reason": hostile("T-REASON"), "position": 3,
         "offer_expires_at": WHEN, "time_zone": ZoneInfo("Asia/Baghdad")}
        for status in ("pending", "confirmed", "waitlisted", "offered", "rejected", "cancelled")
    ],
    "registration_invited": [
        {**COMMON, "category_name": hostile_text("T-CATEGORY"), "status": status,
         "status_label": hostile("T-LABEL"), "position": 2, "set_password": set_password, "link_days": 3}
        for status in ("confirmed", "waitlisted", "pending") for set_password in (True, False)
    ],
    "programme_decision": [
        {**COMMON, "accepted": accepted, "session_title": hostile_text("T-SESSION"), "code": "AB12",
         "note": hostile("T-NOTE")}
        for accepted in (True, False)
    ],
    "programme_proposal_received": [
        {**COMMON, "proposal_title": hostile_text("T-SESSION"), "code": "AB12", "updated": updated,
         "closes_at": hostile("T-CLOSES")}
        for updated in (True, False)
    ],
    "programme_speaker_invite": [
        {**COMMON, "proposal_title": hostile_text("T-SESSION"), "proposer_name": proposer,
         "role": "speaker", "has_account": has_account}
        for proposer in (hostile("T-PROPOSER"), "") for has_account in (True, False)
    ],
    "programme_signup_promoted": [
        {**COMMON, "session_title": hostile_text("T-SESSION"), "when": hostile("T-WHEN"),
         "room": hostile_text("T-ROOM")}
    ],
    "programme_release": [
        {**COMMON, "version": 2, "note": hostile_text("T-NOTE"), "tz": ZoneInfo("Asia/Baghdad"),
         "sessions": [SESSION_CHANGE, {**SESSION_CHANGE, "kind": "cancelled", "new": None}]}
    ],
    "team_member_added": [{**COMMON, "role_label": hostile("T-ROLE")}],
    "team_role_requested": [
        {**COMMON, "role_label": hostile("T-ROLE"), "grantee_name": hostile("T-GRANTEE"),
         "requester_name": hostile("T-REQUESTER")}
    ],
    "team_role_granted": [
        {**COMMON, "role_label": hostile("T-ROLE"), "grantee_name": hostile("T-GRANTEE"),
         "requester_name": hostile("T-REQUESTER"), "approver_name": hostile("T-APPROVER"),
         "by_superuser": by_superuser}
        for by_superuser in (True, False)
    ],
}


class _Markup(HTMLParser):
    """The tags, attribute values and text an e-mail client would see."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attribute_values: list[str] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attribute_values += [value or "" for _name, value in attrs]
        self.attribute_values += [name for name, _value in attrs if name.startswith("on")]

    def handle_data(self, data):
        self.text += data


def assert_inert(html: str, markers: set[str]) -> None:
    parsed = _Markup()
    parsed.feed(html)
    parsed.close()
    assert set(parsed.tags) <= ALLOWED_TAGS, f"injected tags: {set(parsed.tags) - ALLOWED_TAGS}"
    assert parsed.tags.count("title") == 1
    assert not [v for v in parsed.attribute_values if "evil.example" in v or v.startswith("on")]
    assert "<script" not in html.lower() and "<img" not in html.lower()
    # The fields are shown, as text: the payload is visible, not dropped.
    for marker in markers:
        assert f"{marker}{HOSTILE}" in parsed.text, f"{marker} not shown as text"


def markers_in(text: str) -> set[str]:
    return set(re.findall(r"T-[A-Z]+(?=</title>)", text))


def email_names() -> list[str]:
    return sorted(path.name.removesuffix(".subject.txt")
                  for path in (ROOT / "templates" / "emails").glob("*.subject.txt"))


def test_every_email_is_covered():
    """Each e-mail the code queues, and each e-mail template, has a hostile context here."""
    queued = set()
    for folder in ("conference", "registrations", "sessions", "visas", "exchanges", "logistics", "donations"):
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            queued |= set(re.findall(r'\btemplate="([a-z_]+)"', source))
    assert queued, "no notify call found: the scan is broken"
    assert queued <= set(email_names()), f"queued without a template: {queued - set(email_names())}"
    assert set(email_names()) <= set(CONTEXTS), f"no hostile context: {set(email_names()) - set(CONTEXTS)}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_hostile_fields_stay_text(name, language):
    for context in CONTEXTS[name]:
        subject, text, html = render_email(name, context, language)
        shown = markers_in(text)
        assert shown, "the text part shows none of the fields"
        # Plain text keeps every character as typed: no &lt; or &quot; for the reader.
        assert "&lt;" not in text and "&quot;" not in text and "&#x27;" not in text
        assert "&lt;" not in subject and "\n" not in subject
        # Everything the text part shows, the HTML part shows too: as text.
        assert_inert(html, shown | markers_in(subject))


@pytest.mark.django_db
def test_a_rejection_through_the_service(make_conference, make_category, make_delegate, make_user, mailoutbox,
                                         django_capture_on_commit_callbacks):
    """End to end: organizer-typed reason, edition title, category name and the
    delegate's own name reach the queued e-mail as text."""
    from registrations import services

    conference = make_conference(title=hostile_text("T-EDITION"),
                                 registration_opens=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                                 registration_closes=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    category = make_category(conference, name=hostile_text("T-CATEGORY"), requires_approval=True)
    delegate = make_delegate(language="en", passport_name=hostile("T-PERSON"))
    delegate.full_name = hostile("T-PERSON")
    delegate.save(update_fields=["full_name"])
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(user=delegate, category=category)
        services.reject(registration=registration, by=make_user(), reason=hostile("T-REASON"))
    message = mailoutbox[-1]
    html = message.alternatives[0][0]
    assert {"T-EDITION", "T-CATEGORY", "T-REASON", "T-PERSON"} <= markers_in(message.body)
    assert_inert(html, {"T-EDITION", "T-CATEGORY", "T-REASON", "T-PERSON"})
    assert HOSTILE in message.subject


ALLAUTH_CONTEXT = {
    "email": "victim@example.org", "from_email": hostile("T-FROM"), "to_email": hostile("T-TO"),
    "deleted_email": hostile("T-DELETED"), "ip": hostile("T-IP"), "user_agent": hostile("T-AGENT"),
    "timestamp": "2027-01-01", "username": hostile("T-USERNAME"), "code": "", "password_reset_url":
    "https://tadamun.example/reset/", "activate_url": "https://tadamun.example/confirm/",
    "signup_url": "https://tadamun.example/signup/",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_account_emails_keep_hostile_fields_text(language, make_user):
    """allauth's e-mails in the house style: the user agent and names a sign-in
    carries are attacker-chosen."""
    from types import SimpleNamespace

    from allauth.account.adapter import get_adapter
    from django.utils import translation

    user = make_user(name=hostile("T-NAME"))
    prefixes = sorted(
        f"{folder}/email/{path.name.removesuffix('_message.html')}"
        for folder in ("account", "mfa")
        for path in (ROOT / "templates" / folder / "email").glob("*_message.html")
        if path.name != "base_message.html"
    )
    assert len(prefixes) >= 12
    with translation.override(language):
        for prefix in prefixes:
            site = SimpleNamespace(name="Tadamun", domain="tadamun.example")
            context = {**ALLAUTH_CONTEXT, "user": user, "current_site": site}
            message = get_adapter().render_mail(prefix, "victim@example.org", context)
            html = message.alternatives[0][0]
            assert_inert(html, markers_in(message.body) & markers_in(html.replace("&lt;", "<")
                                                                       .replace("&gt;", ">")
                                                                       .replace("&quot;", '"')))
