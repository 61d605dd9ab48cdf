"""Hostile values posted to every form of the registrations, conference and programme
apps, each by the person allowed to post it: numbers too big for the database,
negative numbers, ids that are no numbers, and 1,000,000-character texts.

Every answer is a page, a redirect or a 4xx, never a 500, and nothing unreasonable
reaches the database (no text longer than the limits, no number past a sane maximum).
The forms are found by reading each page (every ``<form method="post">`` and its
fields and buttons), so a field added later is attacked without changing this test.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

HUGE = ["9223372036854775808", "99999999999999999999999", "-5", "abc"]
LONG = "ق" * 1_000_000
# Limits the database must hold to after the attack (the forms' limits are lower).
MAX_TEXT = 20_000
MAX_NUMBER = 1_000_000_000
APPS = ("conference", "registrations", "programme")


class _Forms(HTMLParser):
    """The POST forms of a page: action, fields (name, kind, value) and buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self._form = {"action": attrs.get("action") or "", "fields": [], "buttons": []}
                self.forms.append(self._form)
            return
        if self._form is None or not attrs.get("name"):
            return
        name = attrs["name"]
        if name == "csrfmiddlewaretoken":
            return
        kind = (attrs.get("type") or "text").lower()
        if tag == "button" or kind in ("submit", "image"):
            self._form["buttons"].append((name, attrs.get("value") or ""))
        elif tag == "select":
            self._select = name
            self._form["fields"].append({"name": name, "kind": "select", "value": None})
        elif tag == "textarea":
            self._form["fields"].append({"name": name, "kind": "text", "value": ""})
        elif tag == "input" and kind != "file":
            if kind in ("checkbox", "radio") and "checked" not in attrs and kind == "radio":
                value = None
            else:
                value = attrs.get("value", "on")
            self._form["fields"].append({"name": name, "kind": kind, "value": value})

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _numeric(field: dict) -> bool:
    value = field["value"] or ""
    return field["kind"] == "number" or value.lstrip("-").isdigit()


def payloads(form: dict):
    """Hostile bodies for one form, starting from the values the page offered (an edit
    page's are valid, so a single hostile number reaches the save): each number or id
    field alone set to each hostile value; every text-like field at once; every field,
    choices included; then the 1,000,000-character text, ten fields at a time (the
    body limit would refuse more before any view ran)."""
    base = {}
    for field in form["fields"]:
        if (field["value"] is not None and field["kind"] != "radio") or field["value"] is not None:
            base.setdefault(field["name"], field["value"])
    typed = [f["name"] for f in form["fields"] if f["kind"] not in ("select", "checkbox", "radio")]
    numbers = [f["name"] for f in form["fields"] if _numeric(f)]
    every = [f["name"] for f in form["fields"]] + [name for name, _value in form["buttons"]]
    buttons = form["buttons"] or [(None, None)]
    for index, (button, value) in enumerate(buttons):
        pressed = {button: value} if button else {}
        for hostile in HUGE:
            if index == 0 and hostile != "-5":
                for name in numbers:
                    yield {**base, name: hostile, **pressed}
            if button:
                yield {**base, button: hostile}
            yield {**base, **dict.fromkeys(typed, hostile), **pressed}
        for hostile in HUGE[:2]:
            yield dict.fromkeys(every, hostile)
        for start in range(0, max(len(typed), 1), 10):
            yield {**base, **dict.fromkeys(typed[start:start + 10], LONG), **pressed}


def _short(body: dict) -> str:
    odd = {k: v[:25] for k, v in body.items() if isinstance(v, str) and (v in HUGE or v == LONG) and v}
    return ", ".join(f"{k}={v}" for k, v in list(odd.items())[:4]) + (" …" if len(odd) > 4 else "")


@pytest.fixture
def world(edition, make_category, make_delegate, make_staff, make_user):
    """An edition with a programme, questions, a confirmed delegate with a proposal,
    an organizer (TOTP set), a directory moderator, and a pending organisation."""
    from conference.models import Track
    from registrations import services as registration_services
    from registrations.models import OrganizationProposal, Question
    from sessions.models import (
        CallForSessions,
        ConferenceDay,
        Proposal,
        ReviewCriterion,
        Room,
        Schedule,
        Slot,
        Speaker,
    )

    conference = edition
    ConferenceDay.objects.create(conference=conference, date=conference.start_date)
    room = Room.objects.create(conference=conference, slug="hall", name={"en": "Hall"}, capacity=50, order=1)
    CallForSessions.objects.create(
        conference=conference, opens_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        closes_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
    )
    category = make_category(conference, capacity=100)
    make_category(conference, slug="press", capacity=5, name={"en": "Press"})
    question = Question.objects.create(
        conference=conference, kind="short_text", order=1, label={"en": "Why?"}
    )
    question.categories.add(category)
    delegate = make_delegate(language="en")
    newcomer = make_delegate(language="en")
    registration = registration_services.register(user=delegate, category=category, send_email=False)
    proposal = Proposal.objects.create(
        conference=conference, title={"en": "A panel"}, abstract={"en": "About it."}, format="panel",
        track=Track.objects.order_by("order").first(), languages=["ar"], duration=60,
        expected_audience=20, proposer=delegate, organization=None, state="submitted",
    )
    Speaker.objects.create(proposal=proposal, user=delegate, email=delegate.email, order=0,
                           confirmed_at=proposal.created_at)
    accepted = Proposal.objects.create(
        conference=conference, title={"en": "A workshop"}, abstract={"en": "x"}, format="workshop",
        track=Track.objects.order_by("order").first(), languages=["ar"], duration=60,
        expected_audience=20, state="accepted", signup_capacity=10,
    )
    draft = Schedule.objects.create(conference=conference, version=None)
    slot = Slot.objects.create(schedule=draft, proposal=accepted)
    criterion = ReviewCriterion.objects.create(conference=conference, name={"en": "Relevance"}, order=1)
    organizer = make_staff(conference, "organizer")
    make_staff(conference, "reviewer")
    moderator = make_staff(conference, "organizer", is_superuser=True)
    OrganizationProposal.objects.create(name="New group", kind="ngo", proposed_by=delegate)
    return {
        "edition": conference.slug, "category": category.slug, "question": question.pk, "room": room.slug,
        "day": conference.start_date.isoformat(), "code": proposal.code, "accepted": accepted.code,
        "slot": slot.pk, "criterion": criterion.pk, "registration": registration.uuid,
        "delegate": delegate, "newcomer": newcomer, "organizer": organizer, "moderator": moderator,
    }


def pages(w):
    """(role, url name, kwargs, extra POST-only fields) for every page that takes a POST."""
    e = {"edition": w["edition"]}
    return [
        ("newcomer", "register_form", {**e, "category": w["category"]}, []),
        ("delegate", "cfp_new", e, []),
        ("delegate", "cfp_edit", {**e, "code": w["code"]}, []),
        ("delegate", "cfp_withdraw", {**e, "code": w["code"]}, []),
        ("delegate", "programme_star", {**e, "code": w["accepted"]}, ["next"]),
        ("delegate", "programme_signup", {**e, "code": w["accepted"]}, ["next"]),
        ("delegate", "programme_signup_cancel", {**e, "code": w["accepted"]}, ["next"]),
        ("delegate", "programme_agenda_regenerate", e, []),
        ("delegate", "profile", {}, []),
        ("delegate", "registration_status", e, []),
        ("organizer", "staff_registrations", e, ["selected", "action", "reason"]),
        ("organizer", "staff_registration", {**e, "uuid": w["registration"]}, []),
        ("organizer", "staff_registrations_import", e, ["category"]),
        ("organizer", "staff_proposals", e, ["proposal", "merge_into"]),
        ("organizer", "staff_categories", e, []),
        ("organizer", "staff_category_new", e, []),
        ("organizer", "staff_category_edit", {**e, "category": w["category"]}, []),
        ("organizer", "staff_category_capacity", {**e, "category": w["category"]}, ["capacity"]),
        ("organizer", "staff_question_new", e, []),
        ("organizer", "staff_question_edit", {**e, "question": w["question"]}, []),
        ("organizer", "programme_settings", e, []),
        ("organizer", "programme_room_new", e, []),
        ("organizer", "programme_room_edit", {**e, "room": w["room"]}, []),
        ("organizer", "programme_day_new", e, []),
        ("organizer", "programme_day_edit", {**e, "day": w["day"]}, []),
        ("organizer", "schedule_editor", e, []),
        ("organizer", "schedule_check", e, ["slot", "room", "start"]),
        ("organizer", "schedule_place", e, ["slot", "room", "start", "confirm"]),
        ("organizer", "schedule_unplace", e, ["slot"]),
        ("organizer", "schedule_move", {**e, "slot": w["slot"]}, ["room", "day", "time", "confirm"]),
        ("organizer", "schedule_publish", e, ["comment"]),
        ("organizer", "programme_places", {**e, "code": w["accepted"]}, ["places"]),
        ("organizer", "review_proposal", {**e, "code": w["code"]}, []),
        ("organizer", "programme_proposals", e, ["selected", "action", "note"]),
        ("organizer", "review_criterion_new", e, []),
        ("organizer", "review_criterion_edit", {**e, "pk": w["criterion"]}, []),
        ("organizer", "review_criteria", e, []),
        ("organizer", "review_criterion_delete", {**e, "pk": w["criterion"]}, []),
        ("moderator", "directory_proposals", {}, ["proposal", "merge_into"]),
        # Last: its buttons remove team members, the organizer among them.
        ("organizer", "staff_team", e, ["remove", "request", "action"]),
    ]


def assert_nothing_unreasonable_saved():
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            text = [f.name for f in model._meta.concrete_fields
                    if isinstance(f, models.CharField | models.TextField | models.JSONField)]
            numbers = [f.name for f in model._meta.concrete_fields
                       if isinstance(f, models.IntegerField) and not f.primary_key and not f.is_relation]
            for row in model.objects.values(*text, *numbers):
                for name in text:
                    assert len(str(row[name] or "")) <= MAX_TEXT, f"{model.__name__}.{name} kept a huge text"
                for name in numbers:
                    value = row[name]
                    assert value is None or abs(value) <= MAX_NUMBER, f"{model.__name__}.{name} = {value}"


def test_hostile_values_never_give_a_500(client, world, mailoutbox):
    client.raise_request_exception = False
    failures = []
    attacked = set()
    for role, name, kwargs, extra in pages(world):
        client.force_login(world[role])
        with translation.override("en"):
            url = reverse(name, kwargs=kwargs)
        page = client.get(url)
        assert page.status_code < 500, f"GET {url}: {page.status_code}"
        forms = [f for f in forms_of(page.content.decode()) if "logout" not in f["action"]
                 and "i18n" not in f["action"]] if page.status_code == 200 else []
        forms.append({"action": url, "fields": [{"name": n, "kind": "text", "value": ""} for n in extra],
                      "buttons": []})
        for form in forms:
            target = form["action"] or url
            if target in attacked and form["fields"] == []:
                continue
            attacked.add(target)
            for body in payloads(form):
                client.force_login(world[role])
                response = client.post(target, body)
                if response.status_code >= 500:
                    failures.append(f"POST {target} as {role}: {response.status_code} {_short(body)}")
        for hostile in HUGE:
            response = client.get(url, {"day": hostile, "step": hostile, "page": hostile, "slot": hostile})
            if response.status_code >= 500:
                failures.append(f"GET {url}?…={hostile}: {response.status_code}")
    assert not failures, "\n".join(failures[:40])
    assert_nothing_unreasonable_saved()


def test_a_12_mb_import_is_refused_before_reading(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world["organizer"])
    with translation.override("en"):
        url = reverse("staff_registrations_import", kwargs={"edition": world["edition"]})
    rows = "email,passport_name,country\n" + "a@example.org,Alan Smith,IQ\n" * 430_000
    assert len(rows) > 12_000_000
    upload = SimpleUploadedFile("big.csv", rows.encode())
    response = client.post(url, {"category": world["category"], "file": upload})
    assert response.status_code == 200
    assert "an import may be at most 4 MB" in response.content.decode()


def test_one_giant_cell_is_a_message_not_a_500(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world["organizer"])
    with translation.override("en"):
        url = reverse("staff_registrations_import", kwargs={"edition": world["edition"]})
    rows = "email,passport_name,country\n" + "a@example.org," + "x" * 300_000 + ",IQ\n"
    upload = SimpleUploadedFile("big.csv", rows.encode())
    response = client.post(url, {"category": world["category"], "file": upload})
    assert response.status_code == 200
    assert "could not be read as a CSV table" in response.content.decode()
