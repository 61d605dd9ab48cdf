# ruff: noqa: RUF001 -- the messages under test hold en dashes, and phones type Eastern Arabic digits.
"""The call for sessions through its services: who may propose and when, every bad
input refused with a message by its field (and nothing saved), speakers linked or
invited in their language, invitees confirming only as delegates, editing until the
deadline, withdrawing before a decision, and the programme's rooms and days."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conference.models import Organization, Track
from sessions import cfp, venue
from sessions.exceptions import ProgrammeError
from sessions.models import Availability, CallForSessions, ConferenceDay, Proposal, Room, Speaker
from tests.sessions.conftest import at


def plain(text: str) -> str:
    """A message without the marks that keep its dates whole in right-to-left text."""
    return text.replace("\u2011", "-").replace("\u2066", "").replace("\u2069", "")


OPEN_NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
AFTER_DEADLINE = dt.datetime(2027, 2, 2, tzinfo=dt.UTC)


HOLDER = {}


@pytest.fixture(autouse=True)
def _commits(django_capture_on_commit_callbacks):
    # Mail leaves on commit; each service call below is one committed request.
    HOLDER["capture"] = django_capture_on_commit_callbacks
    yield
    HOLDER.clear()


def run(service, **kwargs):
    with HOLDER["capture"](execute=True):
        return service(**kwargs)


@pytest.fixture(autouse=True)
def _english():
    # Refusals are read in English here; the catalogues have tests of their own.
    with translation.override("en"):
        yield


@pytest.fixture
def organization(db):
    return Organization.objects.create(
        slug="chibayish-marsh-guardians", name="Chibayish Marsh Guardians", kind="ngo", country="IQ"
    )


@pytest.fixture
def proposer(make_confirmed_delegate, organization):
    return make_confirmed_delegate("amal@example.org", organization=organization)


@pytest.fixture
def heritage(programme):
    return Track.objects.get(slug="heritage-environment")


def workshop_data(heritage, **changes):
    data = {
        "title": {"ar": "الحق في المياه", "en": "Water rights"},
        "abstract": {"en": "Marsh families and the law."},
        "format": Proposal.Format.WORKSHOP,
        "track": heritage,
        "languages": ["ar", "en"],
        "interpretation_wanted": True,
        "duration": 90,
        "expected_audience": 30,
        "signup_capacity": 25,
        "notes": "",
    }
    data.update(changes)
    return data


def submit(programme, proposer, data, speakers=None, now=OPEN_NOW):
    if speakers is None:
        speakers = [{"email": proposer.email, "role": "facilitator", "availability": []}]
    return run(
        cfp.submit_proposal,
        conference=programme["conference"],
        proposer=proposer,
        data=data,
        speakers=speakers,
        now=now,
    )


def test_a_delegate_proposes_a_workshop_with_an_invitee(
    programme, proposer, heritage, organization, mailoutbox
):
    proposal = submit(
        programme,
        proposer,
        workshop_data(heritage),
        speakers=[
            {"email": proposer.email, "role": "facilitator", "availability": [(at(1, 9), at(1, 12))]},
            {"email": "Nadia@Example.org", "role": "speaker", "availability": []},
        ],
    )
    assert proposal.state == Proposal.State.SUBMITTED
    assert proposal.organization == organization, "the profile's organisation is the default"
    assert proposal.proposer == proposer
    me, invitee = proposal.speakers.order_by("order")
    assert (me.user, me.confirmed_at is not None) == (proposer, True)
    assert (invitee.email, invitee.user, invitee.confirmed_at) == ("nadia@example.org", None, None)
    assert [(w.starts_at, w.ends_at) for w in me.availability.all()] == [(at(1, 9), at(1, 12))]
    assert not invitee.availability.exists(), "no windows: available at all conference hours"
    # The proposer gets a receipt; only the invitee gets an invitation, none for the delegate.
    assert sorted(m.to[0] for m in mailoutbox) == ["amal@example.org", "nadia@example.org"]
    invite = next(m for m in mailoutbox if m.to == ["nadia@example.org"])
    assert f"/speaker/{invitee.invite_token}/" in invite.body


def test_a_registered_delegate_is_invited_like_anyone(
    programme, proposer, heritage, make_confirmed_delegate, mailoutbox
):
    # Naming an address must not tell the proposer whether its owner registered: a
    # delegate and a stranger are both invited, and both stay unconfirmed until they answer.
    colleague = make_confirmed_delegate("karim@example.org")
    proposal = submit(
        programme,
        proposer,
        workshop_data(heritage),
        speakers=[
            {"email": "KARIM@example.org", "role": "speaker", "availability": []},
            {"email": "stranger@example.org", "role": "speaker", "availability": []},
        ],
    )
    delegate, stranger = proposal.speakers.order_by("order")
    assert (delegate.user, delegate.confirmed_at) == (None, None)
    assert (stranger.user, stranger.confirmed_at) == (None, None)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "amal@example.org",
        "karim@example.org",
        "stranger@example.org",
    ]
    confirmed = run(cfp.confirm_speaker, token=delegate.invite_token, user=colleague)
    assert confirmed.user == colleague and confirmed.confirmed_at is not None


@pytest.mark.parametrize(
    ("invitee_language", "proposer_language", "has_account", "expected_words"),
    [
        ("ckb", "ar", True, "ئاخاوتن"),  # the invitee's own account language wins
        (None, "en", False, "invited to speak"),  # no account: the proposer's language
        (None, "ar", False, "مدعو"),
    ],
)
def test_invitation_in_the_invitees_language(
    programme,
    make_confirmed_delegate,
    make_user,
    heritage,
    organization,
    mailoutbox,
    invitee_language,
    proposer_language,
    has_account,
    expected_words,
):
    proposer = make_confirmed_delegate("p@example.org", language=proposer_language, organization=organization)
    if has_account:
        make_user("guest@example.org", language=invitee_language)
    submit(
        programme,
        proposer,
        workshop_data(heritage),
        speakers=[{"email": "guest@example.org", "role": "speaker", "availability": []}],
    )
    from conference.models import OutgoingEmail

    invite = OutgoingEmail.objects.get(kind="programme_speaker_invite")
    assert invite.language == (invitee_language or proposer_language)
    receipt = OutgoingEmail.objects.get(kind="programme_proposal_received")
    assert receipt.language == proposer_language
    # The link carries the recipient's language prefix.
    assert f"/{invite.language}/baghdad-2027/speaker/" in invite.body_text
    if invite.language == "en":
        assert expected_words in invite.subject


DAY_MINUTES = 9 * 60  # the fixture's days run 09:00-18:00


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"duration": 24 * 60 + 1}, "duration", "longer than a day"),
        ({"duration": 3000}, "duration", "longer than a day"),
        ({"duration": DAY_MINUTES + 15}, "duration", "09:00–18:00"),
        ({"duration": 10}, "duration", "at least 15 minutes"),
        ({"duration": None}, "duration", "minutes"),
        ({"title": {}}, "title", "at least one language"),
        ({"title": {"fr": "Droits"}}, "title", "Unknown language"),
        ({"abstract": {"ar": "  "}}, "abstract", "at least one language"),
        ({"format": "lecture"}, "format", "format"),
        ({"track": None}, "track", "tracks"),
        ({"languages": []}, "languages", "language"),
        ({"languages": ["ar", "fr"]}, "languages", "language"),
        ({"format": Proposal.Format.PANEL, "signup_capacity": 20}, "signup_capacity", "Only workshops"),
        ({"signup_capacity": 0}, "signup_capacity", "above 0"),
        ({"expected_audience": -3}, "expected_audience", "number of people"),
    ],
)
def test_bad_proposal_fields_are_refused_by_field(
    programme, proposer, heritage, mailoutbox, changes, field, words
):
    with pytest.raises(ValidationError) as refused:
        submit(programme, proposer, workshop_data(heritage, **changes))
    messages = refused.value.message_dict
    assert field in messages, messages
    assert any(words in plain(message) for message in messages[field]), messages[field]
    assert not Proposal.objects.exists() and not mailoutbox


def test_the_day_hours_message_names_the_longest_day(programme, proposer, heritage, mailoutbox):
    # A longer last day: the limit follows it and the message names its hours.
    ConferenceDay.objects.filter(date=dt.date(2027, 4, 15)).update(starts_at=dt.time(8), ends_at=dt.time(20))
    submit(programme, proposer, workshop_data(heritage, duration=12 * 60))
    with pytest.raises(ValidationError) as refused:
        submit(programme, proposer, workshop_data(heritage, duration=12 * 60 + 15))
    (message,) = refused.value.message_dict["duration"]
    assert "08:00–20:00" in plain(message) and "2027-04-15" in plain(message) and "720" in message


@pytest.mark.parametrize(
    ("windows", "words"),
    [
        (
            [(at(1, 9), at(1, 12)), (at(1, 11), at(1, 13))],
            "overlap: 2027-04-13 09:00–12:00 and 2027-04-13 11:00–13:00",
        ),
        (
            [(at(2, 14), at(2, 17)), (at(2, 9), at(2, 15))],
            "overlap: 2027-04-14 09:00–15:00 and 2027-04-14 14:00–17:00",
        ),
        ([(at(1, 12), at(1, 10))], "must end after it starts"),
        ([(at(1, 10), at(1, 10))], "must end after it starts"),
        ([(at(5, 10), at(5, 12))], "not on a day of the conference"),
        ([(at(1, 7), at(1, 10))], "outside that day's conference hours (09:00–18:00)"),
        ([(at(3, 16), at(3, 19))], "outside that day's conference hours"),
    ],
)
def test_bad_availability_is_refused_for_that_speaker(
    programme, proposer, heritage, mailoutbox, windows, words
):
    speakers = [
        {"email": proposer.email, "role": "speaker", "availability": []},
        {"email": "nadia@example.org", "role": "speaker", "availability": windows},
    ]
    with pytest.raises(ValidationError) as refused:
        submit(programme, proposer, workshop_data(heritage), speakers=speakers)
    messages = refused.value.message_dict
    assert list(messages) == ["speakers.1.availability"]
    assert any(words in plain(message) for message in messages["speakers.1.availability"]), messages
    assert not Proposal.objects.exists() and not Speaker.objects.exists() and not mailoutbox


def test_touching_windows_are_not_an_overlap(programme, proposer, heritage, mailoutbox):
    speakers = [
        {
            "email": proposer.email,
            "role": "speaker",
            "availability": [(at(1, 9), at(1, 12)), (at(1, 12), at(1, 15))],
        }
    ]
    proposal = submit(programme, proposer, workshop_data(heritage), speakers=speakers)
    assert Availability.objects.filter(speaker__proposal=proposal).count() == 2


@pytest.mark.parametrize(
    ("speakers", "key", "words"),
    [
        ([], "speakers", "at least one speaker"),
        ([{"email": "not-an-address", "role": "speaker"}], "speakers.0.email", "valid e-mail"),
        ([{"email": "a@example.org"}, {"email": "A@example.org "}], "speakers.1.email", "listed twice"),
        ([{"email": "a@example.org", "role": "king"}], "speakers.0.role", "role"),
    ],
)
def test_bad_speaker_lists_are_refused(programme, proposer, heritage, mailoutbox, speakers, key, words):
    with pytest.raises(ValidationError) as refused:
        submit(programme, proposer, workshop_data(heritage), speakers=speakers)
    assert any(words in plain(m) for m in refused.value.message_dict[key]), refused.value.message_dict


@pytest.mark.parametrize("who", ["no registration", "cancelled", "other edition"])
def test_only_delegates_of_the_edition_propose(
    programme, make_delegate, make_conference, make_category, heritage, organization, mailoutbox, who
):
    from registrations import services as registration_services

    person = make_delegate(organization=organization)
    if who == "cancelled":
        registration = registration_services.register(
            user=person, category=programme["category"], send_email=False
        )
        registration_services.cancel(registration=registration, by=person, reason="", send_email=False)
    elif who == "other edition":
        other = make_conference("erbil-2028")
        registration_services.register(
            user=person, category=make_category(other, capacity=5), send_email=False
        )
    with pytest.raises(ProgrammeError) as refused:
        submit(programme, person, workshop_data(heritage))
    error = refused.value
    assert error.code == "not_delegate" and error.field is None
    assert "register for the conference first" in error.message


def test_a_delegate_without_organisation_must_choose_one(
    programme, make_confirmed_delegate, heritage, organization, mailoutbox
):
    person = make_confirmed_delegate()
    with pytest.raises(ProgrammeError) as refused:
        submit(programme, person, workshop_data(heritage))
    assert refused.value.field == "organization"
    proposal = submit(programme, person, workshop_data(heritage, organization=organization))
    assert proposal.organization == organization


@pytest.mark.parametrize(
    ("opens", "closes", "now"),
    [
        (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2027, 2, 1, tzinfo=dt.UTC), AFTER_DEADLINE),
        (dt.datetime(2026, 12, 1, tzinfo=dt.UTC), None, OPEN_NOW),  # not open yet
        (None, None, OPEN_NOW),  # never opened
    ],
)
def test_no_proposals_while_the_call_is_closed(programme, proposer, heritage, mailoutbox, opens, closes, now):
    CallForSessions.objects.filter(conference=programme["conference"]).update(
        opens_at=opens, closes_at=closes
    )
    with pytest.raises(ProgrammeError) as refused:
        submit(programme, proposer, workshop_data(heritage), now=now)
    error = refused.value
    assert error.code == "closed"
    assert not Proposal.objects.exists()


# --- Editing and withdrawing -----------------------------------------------------------
@pytest.fixture
def proposal(programme, proposer, heritage, mailoutbox):
    made = submit(
        programme,
        proposer,
        workshop_data(heritage),
        speakers=[
            {"email": proposer.email, "role": "facilitator", "availability": [(at(1, 9), at(1, 12))]},
            {"email": "nadia@example.org", "role": "speaker", "availability": []},
        ],
    )
    mailoutbox.clear()
    return made


def test_the_proposer_edits_until_the_deadline(programme, proposal, proposer, heritage, mailoutbox):
    nadia = proposal.speakers.get(email="nadia@example.org")
    updated = run(
        cfp.update_proposal,
        proposal=proposal,
        by=proposer,
        data=workshop_data(heritage, title={"en": "Water rights in the marshes"}, duration=120),
        speakers=[
            {"email": "nadia@example.org", "role": "moderator", "availability": [(at(2, 13), at(2, 17))]},
            {"email": "omar@example.org", "role": "speaker", "availability": []},
        ],
        now=OPEN_NOW,
    )
    assert updated.title == {"en": "Water rights in the marshes"} and updated.duration == 120
    kept = updated.speakers.get(email="nadia@example.org")
    assert (kept.pk, kept.invite_token, kept.role) == (nadia.pk, nadia.invite_token, "moderator")
    assert [(w.starts_at, w.ends_at) for w in kept.availability.all()] == [(at(2, 13), at(2, 17))]
    assert not updated.speakers.filter(email=proposer.email).exists()
    # Only the new person is invited (Nadia was already); the proposer gets a receipt.
    assert sorted(m.to[0] for m in mailoutbox) == ["amal@example.org", "omar@example.org"]
    receipt = next(m for m in mailoutbox if m.to == ["amal@example.org"])
    # The receipt of a change, in the proposer's language (Arabic): "was updated".
    assert "حُدِّث" in receipt.subject and updated.code in receipt.subject


@pytest.mark.parametrize("case", ["after the deadline", "someone else", "withdrawn", "accepted"])
def test_editing_is_refused(
    programme, proposal, proposer, heritage, make_confirmed_delegate, mailoutbox, case
):
    by, now = proposer, OPEN_NOW
    if case == "after the deadline":
        now = AFTER_DEADLINE
    elif case == "someone else":
        by = make_confirmed_delegate()
    else:
        Proposal.objects.filter(pk=proposal.pk).update(
            state={"withdrawn": "withdrawn", "accepted": "accepted"}[case]
        )
        proposal.refresh_from_db()
    with pytest.raises(ProgrammeError) as refused:
        cfp.update_proposal(
            proposal=proposal,
            by=by,
            data=workshop_data(heritage, title={"en": "Changed"}),
            speakers=[{"email": "x@example.org"}],
            now=now,
        )
    assert refused.value.field is None
    proposal.refresh_from_db()
    assert proposal.title["en"] == "Water rights"
    assert proposal.speakers.count() == 2 and not mailoutbox


def test_a_bad_edit_keeps_what_was_saved(programme, proposal, proposer, heritage, mailoutbox):
    with pytest.raises(ValidationError):
        cfp.update_proposal(
            proposal=proposal,
            by=proposer,
            data=workshop_data(heritage, duration=2000),
            speakers=[{"email": "omar@example.org"}],
            now=OPEN_NOW,
        )
    proposal.refresh_from_db()
    assert proposal.duration == 90
    assert sorted(proposal.speakers.values_list("email", flat=True)) == [
        "amal@example.org",
        "nadia@example.org",
    ]


def test_withdrawing_before_a_decision(programme, proposal, proposer, make_confirmed_delegate):
    with pytest.raises(ProgrammeError):
        cfp.withdraw_proposal(proposal=proposal, by=make_confirmed_delegate())
    # After the deadline is still before a decision.
    withdrawn = cfp.withdraw_proposal(proposal=proposal, by=proposer)
    assert withdrawn.state == Proposal.State.WITHDRAWN
    with pytest.raises(ProgrammeError) as again:
        cfp.withdraw_proposal(proposal=proposal, by=proposer)
    assert again.value.code == "not_submitted"


def test_no_withdrawing_after_a_decision(programme, proposal, proposer):
    Proposal.objects.filter(pk=proposal.pk).update(state=Proposal.State.ACCEPTED)
    proposal.refresh_from_db()
    with pytest.raises(ProgrammeError) as refused:
        cfp.withdraw_proposal(proposal=proposal, by=proposer)
    assert "accepted" in refused.value.message
    assert Proposal.objects.get(pk=proposal.pk).state == Proposal.State.ACCEPTED


# --- Invitees ----------------------------------------------------------------------------
def test_an_invitee_confirms_once_registered(programme, proposal, make_delegate, mailoutbox):
    from registrations import services as registration_services

    invitation = proposal.speakers.get(email="nadia@example.org")
    nadia = make_delegate("nadia@example.org")
    with pytest.raises(ProgrammeError) as refused:
        cfp.confirm_speaker(token=invitation.invite_token, user=nadia)
    error = refused.value
    assert error.code == "not_delegate" and "Register for this edition first" in error.message
    invitation.refresh_from_db()
    assert invitation.user is None and invitation.confirmed_at is None
    registration_services.register(user=nadia, category=programme["category"], send_email=False)
    speaker = cfp.confirm_speaker(token=invitation.invite_token, user=nadia)
    assert speaker.user == nadia and speaker.confirmed_at is not None
    assert cfp.confirm_speaker(token=invitation.invite_token, user=nadia).pk == speaker.pk


def test_an_existing_account_that_is_not_a_delegate_is_invited_not_linked(
    programme, proposer, heritage, make_user, mailoutbox
):
    someone = make_user("someone@example.org", language="en")
    proposal = submit(
        programme, proposer, workshop_data(heritage), speakers=[{"email": someone.email, "role": "speaker"}]
    )
    speaker = proposal.speakers.get()
    assert speaker.user is None and speaker.confirmed_at is None
    assert any(m.to == [someone.email] for m in mailoutbox)
    with pytest.raises(ProgrammeError):
        cfp.confirm_speaker(token=speaker.invite_token, user=someone)


@pytest.mark.parametrize("case", ["other address", "bad token", "withdrawn"])
def test_confirming_is_refused(programme, proposal, proposer, make_confirmed_delegate, case):
    invitation = proposal.speakers.get(email="nadia@example.org")
    user = make_confirmed_delegate("nadia@example.org" if case != "other address" else "eve@example.org")
    token = invitation.invite_token if case != "bad token" else "nope"
    if case == "withdrawn":
        cfp.withdraw_proposal(proposal=proposal, by=proposer)
    with pytest.raises(ProgrammeError) as refused:
        cfp.confirm_speaker(token=token, user=user)
    code = refused.value.code
    assert (
        code
        == {"other address": "other_address", "bad token": "no_invite", "withdrawn": "closed_proposal"}[case]
    )
    invitation.refresh_from_db()
    assert invitation.user is None


def test_an_invitee_declines(programme, proposal, make_user):
    invitation = proposal.speakers.get(email="nadia@example.org")
    with pytest.raises(ProgrammeError):
        cfp.decline_speaker(token=invitation.invite_token, user=make_user("eve@example.org"))
    cfp.decline_speaker(token=invitation.invite_token, user=make_user("nadia@example.org"))
    assert list(proposal.speakers.values_list("email", flat=True)) == ["amal@example.org"]


# --- Windows typed as text -------------------------------------------------------------
def test_typed_windows_are_read_with_eastern_digits_and_dashes():
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Baghdad")
    windows, problems = cfp.parse_windows(
        "2027-04-13 09:00-12:30\n\n٢٠٢٧-٠٤-١٤ ١٤:٠٠ – ١٦:٠٠\n2027-4-15 9.00-10.00", tz
    )
    assert problems == []
    assert windows == [(at(1, 9), at(1, 12, 30)), (at(2, 14), at(2, 16)), (at(3, 9), at(3, 10))]
    windows, problems = cfp.parse_windows("tomorrow morning\n2027-04-13 25:00-26:00", tz)
    assert windows == [] and len(problems) == 2 and "Line 1" in problems[0] and "Line 2" in problems[1]


# --- Rooms, days and the call ----------------------------------------------------------
def test_rooms_are_saved_and_refused_by_field(programme):
    conference = programme["conference"]
    room = venue.save_room(
        conference=conference,
        data={
            "name": {"en": "Euphrates room", "ar": "قاعة الفرات"},
            "capacity": 60,
            "interpretation_booth": True,
            "step_free": False,
            "equipment": {"en": "Projector"},
            "zone": "annex",
        },
    )
    assert (room.slug, room.capacity, room.interpretation_booth, room.step_free) == (
        "euphrates-room",
        60,
        True,
        False,
    )
    for data, field in [
        ({"name": {"en": "Hall"}, "slug": "hall", "capacity": 10}, "slug"),
        ({"name": {}, "capacity": 10}, "name"),
        ({"name": {"en": "Small"}, "capacity": 0}, "capacity"),
    ]:
        with pytest.raises(ValidationError) as refused:
            venue.save_room(conference=conference, data=data)
        assert field in refused.value.message_dict
    renamed = venue.save_room(
        conference=conference, room=room, data={"name": room.name, "slug": room.slug, "capacity": 70}
    )
    assert renamed.pk == room.pk and renamed.capacity == 70


def test_days_are_saved_and_refused(programme, make_session):
    conference = programme["conference"]
    day = ConferenceDay.objects.get(conference=conference, date=dt.date(2027, 4, 13))
    for data, field in [
        ({"date": dt.date(2027, 4, 20), "starts_at": dt.time(9), "ends_at": dt.time(17)}, "date"),
        ({"date": dt.date(2027, 4, 14), "starts_at": dt.time(9), "ends_at": dt.time(17)}, "date"),
        ({"date": dt.date(2027, 4, 13), "starts_at": dt.time(17), "ends_at": dt.time(9)}, "ends_at"),
    ]:
        with pytest.raises(ValidationError) as refused:
            venue.save_day(conference=conference, data=data, day=day)
        assert field in refused.value.message_dict
    make_session(room="hall", start=at(1, 16), duration=90)
    with pytest.raises(ProgrammeError) as refused:
        venue.save_day(
            conference=conference,
            day=day,
            data={"date": day.date, "starts_at": dt.time(9), "ends_at": dt.time(17)},
        )
    assert refused.value.field == "starts_at" and "outside these hours" in refused.value.message
    saved = venue.save_day(
        conference=conference,
        day=day,
        data={"date": day.date, "starts_at": dt.time(8, 30), "ends_at": dt.time(18)},
    )
    assert saved.starts_at == dt.time(8, 30)


def test_rooms_and_days_in_use_are_not_deleted(programme, make_session):
    conference = programme["conference"]
    make_session(room="tigris", start=at(2, 10))
    with pytest.raises(ProgrammeError) as refused:
        venue.delete_room(room=programme["rooms"]["tigris"])
    assert "Tigris" in refused.value.message
    with pytest.raises(ProgrammeError):
        venue.delete_day(day=ConferenceDay.objects.get(conference=conference, date=dt.date(2027, 4, 14)))
    venue.delete_room(room=programme["rooms"]["garden"])
    venue.delete_day(day=ConferenceDay.objects.get(conference=conference, date=dt.date(2027, 4, 15)))
    assert not Room.objects.filter(slug="garden").exists()
    assert ConferenceDay.objects.filter(conference=conference).count() == 2


def test_the_call_closes_after_it_opens(programme):
    conference = programme["conference"]
    with pytest.raises(ProgrammeError) as refused:
        venue.save_call(conference=conference, opens_at=AFTER_DEADLINE, closes_at=OPEN_NOW, intro={})
    assert refused.value.field == "closes_at"
    call = venue.save_call(
        conference=conference, opens_at=OPEN_NOW, closes_at=AFTER_DEADLINE, intro={"en": "Propose!", "ar": ""}
    )
    assert call.intro == {"en": "Propose!"} and call.is_open(OPEN_NOW + dt.timedelta(days=1))
