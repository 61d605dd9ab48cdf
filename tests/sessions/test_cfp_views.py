"""The call for sessions' pages: proposing, errors that keep what was typed, editing and
withdrawing, an invitee's confirmation, and the organizers' settings with their
permission checks."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conference.models import Organization, TeamMember, Track
from sessions.models import CallForSessions, ConferenceDay, Proposal, Room, Speaker
from tests.sessions.conftest import at

EDITION = "baghdad-2027"


@pytest.fixture(autouse=True)
def open_call(programme):
    # Open around the real clock: the pages ask timezone.now().
    now = timezone.now()
    CallForSessions.objects.filter(conference=programme["conference"]).update(
        opens_at=now - dt.timedelta(days=30), closes_at=now + dt.timedelta(days=30), intro={"en": "Tell us."}
    )


@pytest.fixture
def organization(db):
    return Organization.objects.create(
        slug="marsh", name="Chibayish Marsh Guardians", kind="ngo", country="IQ"
    )


@pytest.fixture
def delegate(make_confirmed_delegate, organization):
    return make_confirmed_delegate("amal@example.org", language="en", organization=organization)


def url(name, language="en", **kwargs):
    from django.utils import translation

    with translation.override(language):
        return reverse(name, kwargs={"edition": EDITION, **kwargs})


def proposal_post(organization, *, speakers=(), initial_forms=1, **changes):
    heritage = Track.objects.get(slug="heritage-environment")
    data = {
        "title_ar": "الحق في المياه",
        "title_ckb": "",
        "title_en": "Water rights",
        "abstract_ar": "",
        "abstract_ckb": "",
        "abstract_en": "Marsh families and the law.",
        "format": "workshop",
        "track": str(heritage.pk),
        "languages": ["ar", "en"],
        "interpretation_wanted": "on",
        "duration": "90",
        "expected_audience": "30",
        "signup_capacity": "25",
        "organization": str(organization.pk),
        "notes": "",
        "speakers-TOTAL_FORMS": "4",
        "speakers-INITIAL_FORMS": str(initial_forms),
        "speakers-MIN_NUM_FORMS": "0",
        "speakers-MAX_NUM_FORMS": "12",
    }
    for index in range(4):
        email, role, availability = (list(speakers) + [("", "speaker", "")] * 4)[index]
        data[f"speakers-{index}-email"] = email
        data[f"speakers-{index}-role"] = role
        data[f"speakers-{index}-availability"] = availability
    data.update(changes)
    return data


def test_the_call_page_for_visitors_and_delegates(client, programme, delegate):
    page = client.get(url("cfp_home"))
    assert page.status_code == 200
    assert "Tell us." in page.text and "Sign in to propose a session" in page.text
    client.force_login(delegate)
    page = client.get(url("cfp_home", "ar"))
    assert page.status_code == 200
    assert url("cfp_new", "ar") in page.text
    assert '<html lang="ar" dir="rtl">' in page.text


def test_a_delegate_proposes_a_workshop(
    client, programme, delegate, organization, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(delegate)
    form = client.get(url("cfp_new"))
    assert form.status_code == 200
    # The organisation of the profile is chosen and the proposer is the first speaker.
    assert f'<option value="{organization.pk}" selected>' in form.text
    assert 'value="amal@example.org"' in form.text
    data = proposal_post(
        organization,
        speakers=[
            ("amal@example.org", "facilitator", "2027-04-13 09:00-12:00"),
            ("nadia@example.org", "speaker", ""),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("cfp_new"), data)
    assert response.status_code == 302 and response.url == url("cfp_home")
    proposal = Proposal.objects.get()
    assert (proposal.format, proposal.track.slug, proposal.signup_capacity) == (
        "workshop",
        "heritage-environment",
        25,
    )
    assert proposal.title == {"ar": "الحق في المياه", "en": "Water rights"}
    assert [(s.email, s.confirmed_at is not None) for s in proposal.speakers.order_by("order")] == [
        ("amal@example.org", True),
        ("nadia@example.org", False),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == ["amal@example.org", "nadia@example.org"]
    home = client.get(url("cfp_home"))
    assert "Water rights" in home.text and proposal.code in home.text
    assert f'href="{url("cfp_edit", code=proposal.code)}"' in home.text
    assert url("cfp_withdraw", code=proposal.code) in home.text


def test_errors_sit_by_their_inputs_and_keep_everything_typed(client, programme, delegate, organization):
    client.force_login(delegate)
    overlapping = "2027-04-13 09:00-12:00\n2027-04-13 11:00-13:00"
    data = proposal_post(
        organization,
        speakers=[("amal@example.org", "facilitator", ""), ("nadia@example.org", "speaker", overlapping)],
        duration="2000",
        title_en="Water rights in the marshes",
    )
    response = client.post(url("cfp_new"), data)
    assert response.status_code == 200
    text = response.content.decode().replace("\u2011", "-").replace("\u2066", "").replace("\u2069", "")
    assert "longer than a day" in text
    assert "overlap: 2027-04-13 09:00\u201312:00 and 2027-04-13 11:00\u201313:00" in text
    # Everything typed comes back.
    assert 'value="Water rights in the marshes"' in text
    assert 'value="nadia@example.org"' in text
    assert "2027-04-13 11:00-13:00</textarea>" in text
    assert 'value="2000"' in text
    assert not Proposal.objects.exists()


def test_unreadable_windows_are_named_by_line(client, programme, delegate, organization):
    client.force_login(delegate)
    data = proposal_post(organization, speakers=[("amal@example.org", "speaker", "mornings")])
    response = client.post(url("cfp_new"), data)
    assert response.status_code == 200
    assert "Line 1" in response.text and "mornings</textarea>" in response.text


def test_only_delegates_reach_the_form(client, programme, make_user, make_delegate):
    response = client.get(url("cfp_new"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(make_delegate())
    response = client.get(url("cfp_new"))
    assert response.status_code == 403
    assert "register for the conference first" in response.text
    assert url("register") in response.text


def test_closed_call_refuses_the_form(client, programme, delegate):
    CallForSessions.objects.update(
        closes_at=timezone.now() - dt.timedelta(days=1), opens_at=timezone.now() - dt.timedelta(days=9)
    )
    client.force_login(delegate)
    response = client.get(url("cfp_new"))
    assert response.status_code == 403 and "closed" in response.text


@pytest.fixture
def proposal(programme, delegate, organization):
    from sessions import cfp

    return cfp.submit_proposal(
        conference=programme["conference"],
        proposer=delegate,
        data={
            "title": {"en": "Water rights"},
            "abstract": {"en": "About."},
            "format": "workshop",
            "track": Track.objects.get(slug="heritage-environment"),
            "languages": ["ar"],
            "duration": 60,
            "signup_capacity": 25,
        },
        speakers=[
            {"email": delegate.email, "role": "facilitator", "availability": [(at(1, 9), at(1, 12))]},
            {"email": "nadia@example.org", "role": "speaker"},
        ],
    )


def test_editing_a_proposal(
    client, programme, proposal, delegate, organization, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(delegate)
    page = client.get(url("cfp_edit", code=proposal.code))
    assert page.status_code == 200
    assert 'value="Water rights"' in page.text and "2027-04-13 09:00-12:00</textarea>" in page.text
    data = proposal_post(
        organization,
        initial_forms=2,
        speakers=[("amal@example.org", "moderator", ""), ("nadia@example.org", "speaker", "")],
        title_en="Water rights, revised",
        signup_capacity="",
        format="panel",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("cfp_edit", code=proposal.code), data)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title["en"] == "Water rights, revised" and proposal.format == "panel"
    assert proposal.speakers.get(email="amal@example.org").role == "moderator"
    assert [m.to for m in mailoutbox] == [["amal@example.org"]]


def test_nobody_else_edits_and_nobody_edits_after_the_deadline(
    client, programme, proposal, make_confirmed_delegate, delegate
):
    client.force_login(make_confirmed_delegate())
    assert client.get(url("cfp_edit", code=proposal.code)).status_code == 404
    assert client.post(url("cfp_withdraw", code=proposal.code)).status_code == 404
    CallForSessions.objects.update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(delegate)
    response = client.get(url("cfp_edit", code=proposal.code), follow=True)
    assert "can no longer be changed" in response.text
    home = client.get(url("cfp_home"))
    assert f'href="{url("cfp_edit", code=proposal.code)}"' not in home.text
    assert url("cfp_withdraw", code=proposal.code) in home.text, "withdrawing stays possible until a decision"


def test_withdrawing_asks_first(client, programme, proposal, delegate):
    client.force_login(delegate)
    page = client.get(url("cfp_withdraw", code=proposal.code))
    assert page.status_code == 200 and "Yes, withdraw it" in page.text
    proposal.refresh_from_db()
    assert proposal.state == "submitted"
    response = client.post(url("cfp_withdraw", code=proposal.code))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "withdrawn"
    again = client.post(url("cfp_withdraw", code=proposal.code))
    assert again.status_code == 400 and "can no longer be withdrawn" in again.text


def test_an_invitee_answers(client, programme, proposal, make_delegate, make_user, mailoutbox):
    from registrations import services as registration_services

    invitation = proposal.speakers.get(email="nadia@example.org")
    link = url("cfp_speaker_invite", token=invitation.invite_token)
    response = client.get(link)
    assert response.status_code == 302 and "/accounts/login/" in response.url and "next=" in response.url
    client.force_login(make_user("eve@example.org", language="en"))
    assert "sign in with that address" in client.get(link).text
    nadia = make_delegate("nadia@example.org", language="en")
    client.force_login(nadia)
    page = client.get(link)
    assert "Water rights" in page.text and "Register for this edition first" in page.text
    refused = client.post(link, {"action": "confirm"})
    assert refused.status_code == 400 and "Register for this edition first" in refused.text
    registration_services.register(user=nadia, category=programme["category"], send_email=False)
    assert client.post(link, {"action": "confirm"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.user == nadia and invitation.confirmed_at is not None
    assert "You are confirmed" in client.get(link).text


def test_the_proposer_cannot_tell_who_is_registered(
    client,
    programme,
    delegate,
    organization,
    make_confirmed_delegate,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # A registered delegate and a stranger named as speakers look the same to the
    # proposer ("invited") until each confirms from the e-mail.
    karim = make_confirmed_delegate("karim@example.org", language="en")
    client.force_login(delegate)
    data = proposal_post(
        organization,
        speakers=[("karim@example.org", "speaker", ""), ("stranger@example.org", "speaker", "")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("cfp_new"), data).status_code == 302
    home = client.get(url("cfp_home")).text
    assert home.count("invited, not confirmed yet") == 2 and ">confirmed<" not in home
    assert sorted(m.to[0] for m in mailoutbox) == [
        "amal@example.org",
        "karim@example.org",
        "stranger@example.org",
    ]
    # Karim sees the invitation on his own proposals page and confirms there.
    speaker = Speaker.objects.get(email="karim@example.org")
    link = url("cfp_speaker_invite", token=speaker.invite_token)
    client.force_login(karim)
    mine = client.get(url("cfp_home")).text
    assert "Water rights" in mine and f'action="{link}"' in mine
    assert client.post(link, {"action": "confirm"}).status_code == 302
    speaker.refresh_from_db()
    assert speaker.user == karim and speaker.confirmed_at is not None
    assert f'action="{link}"' not in client.get(url("cfp_home")).text
    client.force_login(delegate)
    assert client.get(url("cfp_home")).text.count("invited, not confirmed yet") == 1


def test_an_invitee_declines(client, programme, proposal, make_user):
    invitation = proposal.speakers.get(email="nadia@example.org")
    client.force_login(make_user("nadia@example.org"))
    response = client.post(url("cfp_speaker_invite", token=invitation.invite_token), {"action": "decline"})
    assert response.status_code == 302
    assert not Speaker.objects.filter(pk=invitation.pk).exists()


# --- Organizers --------------------------------------------------------------------------
@pytest.fixture
def organizer(programme, make_staff):
    return make_staff(programme["conference"], TeamMember.Role.ORGANIZER, language="en")


def test_a_reviewer_cannot_open_the_settings(client, programme, make_staff, delegate):
    assert client.get(url("programme_settings")).status_code == 302
    client.force_login(make_staff(programme["conference"], TeamMember.Role.REVIEWER))
    for name, kwargs in [
        ("programme_settings", {}),
        ("programme_room_new", {}),
        ("programme_room_edit", {"room": "hall"}),
        ("programme_day_new", {}),
        ("programme_day_edit", {"day": "2027-04-13"}),
    ]:
        assert client.get(url(name, **kwargs)).status_code == 403, name
    client.force_login(delegate)
    assert client.get(url("programme_settings")).status_code == 403


def test_the_settings_page_lists_days_and_rooms_and_saves_the_call(client, programme, organizer):
    client.force_login(organizer)
    page = client.get(url("programme_settings"))
    assert page.status_code == 200
    for text in ("Main hall", "Tigris room", "Library", "2027-04-13", "09:00\u201318:00"):
        assert text in page.text
    response = client.post(
        url("programme_settings"),
        {
            "action": "call",
            "opens_at": "2026-06-01T08:00",
            "closes_at": "2026-05-01T08:00",
            "intro_ar": "",
            "intro_ckb": "",
            "intro_en": "Propose!",
        },
    )
    assert response.status_code == 200 and "close after it opens" in response.text
    assert 'value="2026-05-01T08:00"' in response.text
    response = client.post(
        url("programme_settings"),
        {
            "action": "call",
            "opens_at": "2026-06-01T08:00",
            "closes_at": "2027-02-01T23:59",
            "intro_ar": "اقترحوا",
            "intro_ckb": "",
            "intro_en": "Propose!",
        },
    )
    assert response.status_code == 302
    call = CallForSessions.objects.get()
    # Typed in conference time (Baghdad, UTC+3).
    assert call.opens_at == dt.datetime(2026, 6, 1, 5, 0, tzinfo=dt.UTC)
    assert call.intro == {"ar": "اقترحوا", "en": "Propose!"}


def test_organizers_make_the_review_anonymous(client, programme, organizer):
    client.force_login(organizer)
    call = {"action": "call", "opens_at": "2026-06-01T08:00", "closes_at": "2027-02-01T23:59"}
    call.update({"intro_ar": "", "intro_ckb": "", "intro_en": "Propose!"})
    page = client.get(url("programme_settings")).text
    assert 'name="anonymous_review"' in page and "Anonymous review" in page
    assert client.post(url("programme_settings"), {**call, "anonymous_review": "on"}).status_code == 302
    assert CallForSessions.objects.get().anonymous_review is True
    assert re.search(r'name="anonymous_review"[^>]*checked', client.get(url("programme_settings")).text)
    assert client.post(url("programme_settings"), call).status_code == 302
    assert CallForSessions.objects.get().anonymous_review is False


def test_rooms_are_added_edited_and_deleted(client, programme, organizer, make_session):
    client.force_login(organizer)
    assert client.get(url("programme_room_new")).status_code == 200
    data = {
        "name_ar": "قاعة الفرات",
        "name_ckb": "",
        "name_en": "Euphrates room",
        "slug": "",
        "capacity": "60",
        "interpretation_booth": "on",
        "equipment_ar": "",
        "equipment_ckb": "",
        "equipment_en": "Projector",
        "zone_ar": "الملحق",
        "zone_ckb": "",
        "zone_en": "Annex",
        "order": "5",
    }
    assert client.post(url("programme_room_new"), data).status_code == 302
    room = Room.objects.get(slug="euphrates-room")
    assert (room.capacity, room.interpretation_booth, room.step_free, room.zone) == (
        60, True, False, {"ar": "الملحق", "en": "Annex"}
    )
    page = client.get(url("programme_room_edit", room="euphrates-room"))
    assert 'value="Euphrates room"' in page.text
    taken = client.post(url("programme_room_edit", room="euphrates-room"), {**data, "slug": "hall"})
    assert taken.status_code == 200 and "Another room already has this short name" in taken.text
    make_session(room="library", start=at(1, 10))
    response = client.post(
        url("programme_settings"), {"action": "delete_room", "room": "library"}, follow=True
    )
    assert "move them before deleting the room" in response.text
    assert Room.objects.filter(slug="library").exists()
    client.post(url("programme_settings"), {"action": "delete_room", "room": "euphrates-room"})
    assert not Room.objects.filter(slug="euphrates-room").exists()


def test_days_are_added_and_edited(client, programme, organizer):
    client.force_login(organizer)
    ConferenceDay.objects.filter(date=dt.date(2027, 4, 15)).delete()
    response = client.post(
        url("programme_day_new"), {"date": "2027-04-15", "starts_at": "10:00", "ends_at": "16:00"}
    )
    assert response.status_code == 302
    assert ConferenceDay.objects.get(date=dt.date(2027, 4, 15)).ends_at == dt.time(16)
    edit = url("programme_day_edit", day="2027-04-15")
    assert 'value="10:00"' in client.get(edit).text
    refused = client.post(edit, {"date": "2027-04-15", "starts_at": "16:00", "ends_at": "10:00"})
    assert refused.status_code == 200 and "end after it starts" in refused.text
    assert 'value="16:00"' in refused.text
    assert client.get(url("programme_day_edit", day="not-a-date")).status_code == 404
    assert client.get(url("programme_day_edit", day="2027-04-20")).status_code == 404


def test_the_call_page_costs_the_same_with_many_proposals(
    client, programme, delegate, django_assert_max_num_queries
):
    from sessions import cfp

    def propose(count):
        for index in range(count):
            cfp.submit_proposal(
                conference=programme["conference"],
                proposer=delegate,
                data={
                    "title": {"en": f"Session {index}"},
                    "abstract": {"en": "About."},
                    "format": "panel",
                    "track": programme["tracks"][index % 9],
                    "languages": ["ar"],
                    "duration": 60,
                },
                speakers=[{"email": delegate.email}, {"email": f"guest{index}@example.org"}],
            )

    client.force_login(delegate)
    propose(2)
    client.get(url("cfp_home"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("cfp_home")).status_code == 200
    propose(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url("cfp_home"))
    assert page.text.count('class="card cfp-proposal"') == 32


def test_the_organisation_list_follows_the_readers_script_and_order(client, delegate, organization):
    """Under Arabic labels the list is in Arabic order: a Latin-order list hides the
    reader's organisation among names she does not read."""
    Organization.objects.create(slug="aa", name="Aardvark Union", name_ar="نقابة الياء",
                                kind="union", country="IQ")
    Organization.objects.create(slug="zz", name="Zenith Forum", name_ar="ألف منتدى",
                                kind="ngo", country="IQ")
    client.force_login(delegate)
    page = client.get(url("cfp_new", language="ar")).text
    assert page.index("ألف منتدى") < page.index("نقابة الياء")
    assert "Aardvark Union" not in page
