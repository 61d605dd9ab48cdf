"""The schedule services: the draft, moves and their refusals, conflicts with a "what if",
publishing numbered releases with their changes, and the e-mails that follow."""

import datetime as dt

import pytest
from django.utils import translation

from conference.models import OutgoingEmail
from sessions import scheduling
from sessions.conflicts import Kind
from sessions.exceptions import ProgrammeError
from sessions.models import Availability, Proposal, Room, Schedule, Slot, Speaker, Star, WorkshopSignup
from sessions.selectors import latest_release
from tests.sessions.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def draft_slot(proposal) -> Slot:
    return Slot.objects.get(schedule__version=None, proposal=proposal)


def position(proposal):
    slot = draft_slot(proposal)
    return slot.room_id, slot.starts_at, slot.ends_at


# --- The draft ----------------------------------------------------------------------------------
def test_draft_holds_a_slot_for_every_accepted_session_and_no_more(programme, make_session):
    conference = programme["conference"]
    placed = make_session(room="hall", start=at(1, 10))
    loose = make_session()
    # Accepted by a path that made no slot (the review service makes one; a slot may be missing).
    late = make_session()
    Slot.objects.filter(proposal=late).delete()
    rejected_unplaced = make_session()
    rejected_placed = make_session(room="tigris", start=at(1, 10))
    Proposal.objects.filter(pk__in=[rejected_unplaced.pk, rejected_placed.pk]).update(state="rejected")

    draft = scheduling.draft_for(conference)

    assert draft.version is None
    assert Schedule.objects.filter(conference=conference).count() == 1
    proposals = set(draft.slots.values_list("proposal_id", flat=True))
    assert {placed.pk, loose.pk, late.pk} <= proposals
    assert rejected_unplaced.pk not in proposals
    # A placed session that is no longer accepted keeps its place (re-accepting brings it
    # back) but is out of the conflicts.
    assert rejected_placed.pk in proposals
    assert scheduling.draft_for(conference) == draft


def test_the_draft_is_made_on_first_use(programme):
    conference = programme["conference"]
    assert not Schedule.objects.filter(conference=conference).exists()
    draft = scheduling.draft_for(conference)
    assert draft.is_draft and draft.slots.count() == 0


# --- Moves -----------------------------------------------------------------------------------------
def test_place_sets_room_start_and_end_from_the_duration(programme, make_session, make_user):
    session = make_session(duration=90)
    slot = draft_slot(session)
    conflicts = scheduling.place(slot=slot, room=programme["rooms"]["tigris"], start=at(2, 11, 15), by=None)
    assert conflicts == []
    assert position(session) == (programme["rooms"]["tigris"].pk, at(2, 11, 15), at(2, 12, 45))


def test_place_returns_the_hard_conflicts_and_still_saves(programme, make_session, make_confirmed_delegate):
    person = make_confirmed_delegate()
    make_session(room="hall", start=at(1, 10), speakers=[person])
    other = make_session(speakers=[person], interpretation_wanted=True)
    conflicts = scheduling.place(
        slot=draft_slot(other), room=programme["rooms"]["library"], start=at(1, 10, 30), by=None
    )
    kinds = {conflict.kind for conflict in conflicts if conflict.hard}
    assert kinds == {Kind.SPEAKER_DOUBLE_BOOKED, Kind.NO_INTERPRETATION_BOOTH}
    assert position(other)[0] == programme["rooms"]["library"].pk


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (at(1, 8, 30), "outside the day's hours"),  # before the day opens
        (at(1, 17, 30), "outside the day's hours"),  # starts inside, runs past 18:00
        (at(1, 18), "outside the day's hours"),
        (dt.datetime(2027, 4, 20, 10, tzinfo=at(1, 0).tzinfo), "not a day of the conference"),
        (at(1, 10, 7), "multiple of 5 minutes"),
    ],
)
def test_a_refused_move_keeps_the_existing_placement(programme, make_session, start, message):
    session = make_session(room="hall", start=at(1, 10))
    before = position(session)
    with pytest.raises(ProgrammeError) as refused:
        scheduling.place(slot=draft_slot(session), room=programme["rooms"]["tigris"], start=start, by=None)
    assert message in refused.value.message
    assert position(session) == before


def test_the_day_hours_message_names_the_hours(programme, make_session):
    session = make_session(duration=60)
    with pytest.raises(ProgrammeError) as refused:
        scheduling.place(
            slot=draft_slot(session), room=programme["rooms"]["hall"], start=at(3, 17, 30), by=None
        )
    text = refused.value.message
    assert "A session dropped outside the day's hours" in text
    assert "09:00" in text and "18:00" in text and "17:30" in text and "18:30" in text


def test_refusals_for_room_release_and_state(programme, make_session, make_conference):
    from tests.sessions.conftest import release_rows

    session = make_session(room="hall", start=at(1, 10))
    other_edition = make_conference("erbil-2028")
    foreign = Room.objects.create(conference=other_edition, slug="x", name={"en": "Elsewhere"}, capacity=10)
    with pytest.raises(ProgrammeError, match="another edition"):
        scheduling.place(slot=draft_slot(session), room=foreign, start=at(1, 11), by=None)

    release = release_rows(programme["conference"])
    released = Slot.objects.get(schedule=release, proposal=session)
    with pytest.raises(ProgrammeError, match="Only the working draft"):
        scheduling.place(slot=released, room=programme["rooms"]["tigris"], start=at(1, 11), by=None)
    with pytest.raises(ProgrammeError, match="Only the working draft"):
        scheduling.unplace(slot=released, by=None)

    Proposal.objects.filter(pk=session.pk).update(state=Proposal.State.WITHDRAWN)
    with pytest.raises(ProgrammeError, match="Only accepted sessions"):
        scheduling.place(
            slot=draft_slot(session), room=programme["rooms"]["tigris"], start=at(1, 11), by=None
        )
    assert position(session) == (programme["rooms"]["hall"].pk, at(1, 10), at(1, 11))
    assert Slot.objects.get(pk=released.pk).room_id == programme["rooms"]["hall"].pk


def test_unplace_sends_the_session_back_to_the_list(programme, make_session):
    session = make_session(room="hall", start=at(1, 10))
    scheduling.unplace(slot=draft_slot(session), by=None)
    assert position(session) == (None, None, None)


# --- Conflicts -------------------------------------------------------------------------------------
def test_conflicts_of_with_a_what_if_saves_nothing(programme, make_session, make_confirmed_delegate):
    person = make_confirmed_delegate()
    make_session(room="hall", start=at(1, 10), speakers=[person])
    moving = make_session(room="tigris", start=at(1, 14), speakers=[person], interpretation_wanted=True)
    draft = scheduling.draft_for(programme["conference"])
    assert scheduling.conflicts_of(draft) == []

    what_if = scheduling.Move(moving.pk, programme["rooms"]["library"].pk, at(1, 10, 30), at(1, 11, 30))
    kinds = [conflict.kind for conflict in scheduling.conflicts_of(draft, extra=what_if)]
    assert Kind.SPEAKER_DOUBLE_BOOKED in kinds and Kind.NO_INTERPRETATION_BOOTH in kinds
    onto_hall = scheduling.Move(moving.pk, programme["rooms"]["hall"].pk, at(1, 10), at(1, 11))
    kinds = {conflict.kind for conflict in scheduling.conflicts_of(draft, extra=onto_hall)}
    assert {Kind.ROOM_DOUBLE_BOOKED, Kind.SPEAKER_DOUBLE_BOOKED} <= kinds
    # Taken off the grid, as a what-if: no conflict at all.
    off = scheduling.Move(moving.pk, None, None, None)
    assert scheduling.conflicts_of(draft, extra=off) == []
    assert position(moving) == (programme["rooms"]["tigris"].pk, at(1, 14), at(1, 15))
    assert scheduling.conflicts_of(draft) == []


def test_availability_is_the_union_over_a_persons_proposals(programme, make_session, make_confirmed_delegate):
    busy, free = make_confirmed_delegate(), make_confirmed_delegate()
    morning = make_session(room="hall", start=at(1, 10), speakers=[busy])
    afternoon = make_session(room="tigris", start=at(1, 14), speakers=[busy])
    make_session(room="library", start=at(1, 16), speakers=[free])
    # Windows given on one proposal only still bind the person on the other.
    Availability.objects.create(
        speaker=Speaker.objects.get(proposal=morning), starts_at=at(1, 9), ends_at=at(1, 12)
    )
    draft = scheduling.draft_for(programme["conference"])
    conflicts = scheduling.conflicts_of(draft)
    assert [(c.kind, c.session_ids, c.speaker_id) for c in conflicts] == [
        (Kind.OUTSIDE_AVAILABILITY, (afternoon.pk,), busy.pk)
    ]
    Availability.objects.create(
        speaker=Speaker.objects.get(proposal=afternoon), starts_at=at(1, 13), ends_at=at(1, 18)
    )
    assert scheduling.conflicts_of(draft) == []


def test_touching_windows_of_two_proposals_join(programme, make_session, make_confirmed_delegate):
    person = make_confirmed_delegate()
    first = make_session(room="hall", start=at(1, 9), speakers=[person])
    second = make_session(room="tigris", start=at(1, 11), speakers=[person], duration=120)
    Availability.objects.create(
        speaker=Speaker.objects.get(proposal=first), starts_at=at(1, 9), ends_at=at(1, 12)
    )
    Availability.objects.create(
        speaker=Speaker.objects.get(proposal=second), starts_at=at(1, 12), ends_at=at(1, 15)
    )
    draft = scheduling.draft_for(programme["conference"])
    assert scheduling.conflicts_of(draft) == []
    _placements, _rooms, availability = scheduling.conflict_inputs(draft)
    assert availability == {person.pk: [(at(1, 9), at(1, 15))]}


def test_conflicts_of_costs_a_fixed_number_of_queries(programme, make_session, django_assert_num_queries):
    for hour in (9, 10, 11):
        make_session(room="hall", start=at(1, hour))
    draft = scheduling.draft_for(programme["conference"])
    with django_assert_num_queries(4):
        scheduling.conflicts_of(draft)


def test_unconfirmed_invitees_are_known_by_their_row(programme, make_session):
    first = make_session(room="hall", start=at(1, 10), speakers=[])
    second = make_session(room="tigris", start=at(1, 10), speakers=[])
    invitee = Speaker.objects.create(proposal=first, email="guest@example.org")
    Speaker.objects.create(proposal=second, email="guest@example.org")
    draft = scheduling.draft_for(programme["conference"])
    # Two rows for one address are two people until they confirm: no false clash.
    assert scheduling.conflicts_of(draft) == []
    names = scheduling.conflict_names(programme["conference"])
    assert names["speaker"][invitee.conflict_id] == "guest@example.org"


# --- Publishing ------------------------------------------------------------------------------------
def test_publish_is_refused_naming_each_hard_conflict(programme, make_session, make_confirmed_delegate):
    conference = programme["conference"]
    person = make_confirmed_delegate(name="Huda Karim")
    person.full_name = "Huda Karim"
    person.save()
    make_session(room="hall", start=at(1, 10), speakers=[person], title={"en": "Water rights"})
    make_session(
        room="library",
        start=at(1, 10, 30),
        speakers=[person],
        title={"en": "Marsh futures"},
        interpretation_wanted=True,
    )
    with pytest.raises(ProgrammeError) as refused:
        scheduling.publish(conference=conference, comment={"en": "First"}, by=None)
    error = refused.value
    assert {conflict.kind for conflict in error.conflicts} == {
        Kind.SPEAKER_DOUBLE_BOOKED,
        Kind.NO_INTERPRETATION_BOOTH,
    }
    assert "Huda Karim would be in two places at once: Water rights / Marsh futures." in error.message
    assert "Marsh futures wants interpretation, but Library has no interpretation booth." in error.message
    assert latest_release(conference) is None


def test_soft_conflicts_do_not_block_publishing(programme, make_session):
    track = programme["tracks"][0]
    make_session(room="hall", start=at(1, 10), track=track)
    make_session(room="library", start=at(1, 10), track=track, expected_audience=100)
    draft = scheduling.draft_for(programme["conference"])
    assert {c.kind for c in scheduling.conflicts_of(draft)} == {Kind.OVER_CAPACITY, Kind.SAME_TRACK_AT_ONCE}
    release = scheduling.publish(conference=programme["conference"], comment={}, by=None)
    assert release.version == 1 and release.slots.count() == 2


def test_versions_one_two_three_record_what_changed(programme, make_session, make_user):
    conference = programme["conference"]
    organizer = make_user()
    rooms = programme["rooms"]
    a = make_session(room="hall", start=at(1, 10))
    b = make_session(room="tigris", start=at(1, 10))
    c = make_session(room="garden", start=at(2, 9))
    unplaced = make_session()

    v1 = scheduling.publish(conference=conference, comment={"en": "First", "ar": "الأول"}, by=organizer)
    assert (v1.version, v1.published_by, v1.comment["ar"]) == (1, organizer, "الأول")
    assert v1.published_at is not None
    assert v1.changes == {"added": sorted([a.pk, b.pk, c.pk]), "moved": [], "cancelled": []}
    assert unplaced.pk not in set(v1.slots.values_list("proposal_id", flat=True))

    scheduling.place(slot=draft_slot(b), room=rooms["library"], start=at(1, 14), by=organizer)
    scheduling.place(slot=draft_slot(unplaced), room=rooms["hall"], start=at(3, 9), by=organizer)
    v2 = scheduling.publish(conference=conference, comment={"en": "Second"}, by=organizer)
    assert v2.version == 2
    assert v2.changes["added"] == [unplaced.pk]
    assert v2.changes["cancelled"] == []
    [move] = v2.changes["moved"]
    assert move["proposal"] == b.pk
    assert (move["old"]["room"], move["new"]["room"]) == (rooms["tigris"].pk, rooms["library"].pk)
    parsed = [dt.datetime.fromisoformat(move[k][e]) for k in ("old", "new") for e in ("start", "end")]
    assert parsed == [at(1, 10), at(1, 11), at(1, 14), at(1, 15)]

    Proposal.objects.filter(pk=a.pk).update(state=Proposal.State.CANCELLED)
    scheduling.unplace(slot=draft_slot(c), by=organizer)
    v3 = scheduling.publish(conference=conference, comment={}, by=organizer)
    assert v3.version == 3
    assert v3.changes == {"added": [], "moved": [], "cancelled": sorted([a.pk, c.pk])}
    assert latest_release(conference) == v3

    log = scheduling.changelog(conference)
    assert [entry.version for entry in log] == [3, 2, 1]
    assert {row["title"]["en"] for row in log[0].cancelled} == {a.title["en"], c.title["en"]}
    garden = next(row for row in log[0].cancelled if row["title"]["en"] == c.title["en"])
    assert str(garden["old"]["room"]) == "Garden tent" and garden["old"]["start"] == at(2, 9)
    moved = log[1].moved[0]
    assert str(moved["old"]["room"]) == "Tigris room" and str(moved["new"]["room"]) == "Library"
    assert moved["new"]["start"] == at(1, 14)
    assert str(log[1].note) == "Second"
    assert len(log[2].added) == 3


def test_editing_the_draft_after_publishing_leaves_the_release_alone(programme, make_session):
    conference = programme["conference"]
    session = make_session(room="hall", start=at(1, 10))
    release = scheduling.publish(conference=conference, comment={}, by=None)
    scheduling.place(slot=draft_slot(session), room=programme["rooms"]["tigris"], start=at(2, 15), by=None)
    make_session(room="garden", start=at(1, 9))
    released = Slot.objects.get(schedule=release, proposal=session)
    assert (released.room_id, released.starts_at) == (programme["rooms"]["hall"].pk, at(1, 10))
    assert latest_release(conference) == release
    assert release.slots.count() == 1
    scheduling.unplace(slot=draft_slot(session), by=None)
    assert Slot.objects.get(schedule=release, proposal=session).room_id == programme["rooms"]["hall"].pk
    preview = scheduling.pending_preview(conference)
    assert preview["next_version"] == 2
    assert [len(preview[k]) for k in ("added", "moved", "cancelled")] == [1, 0, 1]


# --- E-mails after a release -------------------------------------------------------------------------
@pytest.fixture
def two_releases(programme, make_session, make_confirmed_delegate):
    """Three sessions published as v1; the draft then moves two and cancels none."""
    conference = programme["conference"]
    first = make_session(room="hall", start=at(1, 10), title={"en": "Water rights", "ar": "الحق في الماء"})
    second = make_session(
        room="tigris", start=at(1, 10), title={"en": "Marsh futures", "ar": "مستقبل الأهوار"}
    )
    steady = make_session(room="garden", start=at(2, 9), title={"en": "Steady session"})
    cancelled = make_session(room="library", start=at(2, 11), title={"en": "Called off"})
    scheduling.publish(conference=conference, comment={}, by=None)
    scheduling.place(slot=draft_slot(first), room=programme["rooms"]["hall"], start=at(2, 14), by=None)
    scheduling.place(slot=draft_slot(second), room=programme["rooms"]["tigris"], start=at(3, 11), by=None)
    Proposal.objects.filter(pk=cancelled.pk).update(state=Proposal.State.CANCELLED)
    return {"first": first, "second": second, "steady": steady, "cancelled": cancelled}


@pytest.mark.parametrize("language", ["en", "ar", "ckb"])
def test_one_email_per_person_listing_every_changed_session(
    programme, two_releases, make_confirmed_delegate, mailoutbox, django_capture_on_commit_callbacks, language
):
    conference = programme["conference"]
    fan = make_confirmed_delegate(language=language)
    bystander = make_confirmed_delegate(language=language)
    for proposal in (two_releases["first"], two_releases["second"], two_releases["steady"]):
        Star.objects.create(user=fan, proposal=proposal)
    WorkshopSignup.objects.create(user=fan, proposal=two_releases["cancelled"], status="confirmed")
    Star.objects.create(user=bystander, proposal=two_releases["steady"])
    with django_capture_on_commit_callbacks(execute=True):
        release = scheduling.publish(conference=conference, comment={"en": "Rooms swapped"}, by=None)
    assert release.version == 2
    assert [message.to for message in mailoutbox] == [[fan.email]]
    email = OutgoingEmail.objects.get(to=fan.email)
    assert email.language == language and email.kind == "programme_release"
    body = mailoutbox[0].body
    html = mailoutbox[0].alternatives[0][0]
    if language in ("ar", "ckb"):  # Sorani falls back to the Arabic title
        assert "الحق في الماء" in body and "مستقبل الأهوار" in body
    else:
        assert "Water rights" in body and "Marsh futures" in body
    assert "Called off" in body
    assert "Steady session" not in body
    assert "14:00" in body and "10:00" in body  # the new and the old time of the first
    assert f'dir="{"rtl" if language in ("ar", "ckb") else "ltr"}"' in html
    assert f"/{language}/{conference.slug}/programme/changes/" in body


def test_signups_count_only_while_live_and_no_mail_without_changes(
    programme, two_releases, make_confirmed_delegate, mailoutbox, django_capture_on_commit_callbacks
):
    conference = programme["conference"]
    gone = make_confirmed_delegate()
    waiting = make_confirmed_delegate()
    WorkshopSignup.objects.create(user=gone, proposal=two_releases["first"], status="cancelled")
    WorkshopSignup.objects.create(user=waiting, proposal=two_releases["first"], status="waitlisted")
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.publish(conference=conference, comment={}, by=None)
    assert [message.to for message in mailoutbox] == [[waiting.email]]
    mailoutbox.clear()
    Star.objects.create(user=gone, proposal=two_releases["first"])
    with django_capture_on_commit_callbacks(execute=True):
        release = scheduling.publish(conference=conference, comment={}, by=None)
    assert release.version == 3
    assert release.changes == {"added": [], "moved": [], "cancelled": []}
    assert mailoutbox == []


def test_a_refused_publish_sends_nothing(
    programme, make_session, make_confirmed_delegate, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(room="hall", start=at(1, 10))
    scheduling.publish(conference=programme["conference"], comment={}, by=None)
    fan = make_confirmed_delegate()
    Star.objects.create(user=fan, proposal=session)
    make_session(room="hall", start=at(1, 10, 30))
    scheduling.place(slot=draft_slot(session), room=programme["rooms"]["hall"], start=at(1, 11), by=None)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ProgrammeError):
        scheduling.publish(conference=programme["conference"], comment={}, by=None)
    assert mailoutbox == [] and not OutgoingEmail.objects.exists()


# --- Concurrency (PostgreSQL) ------------------------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_second_move_of_the_same_session_waits_for_the_first(programme, make_session):
    """The slot row lock: while one organizer's move is open, another's waits for it,
    then applies on top of it; neither is half-applied."""
    import threading

    from django.db import connection, transaction

    session = make_session(room="hall", start=at(1, 10))
    slot = draft_slot(session)
    locked, release, done = threading.Event(), threading.Event(), threading.Event()

    def first():
        try:
            with transaction.atomic():
                Slot.objects.select_for_update().get(pk=slot.pk)
                locked.set()
                release.wait(timeout=10)
                Slot.objects.filter(pk=slot.pk).update(
                    room=programme["rooms"]["tigris"], starts_at=at(1, 11), ends_at=at(1, 12)
                )
        finally:
            connection.close()

    def second():
        try:
            scheduling.place(slot=slot, room=programme["rooms"]["garden"], start=at(2, 14), by=None)
            done.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert locked.wait(timeout=10)
    threads[1].start()
    assert not done.wait(timeout=0.5)  # blocked behind the first move's lock
    release.set()
    for thread in threads:
        thread.join(timeout=20)
    assert done.is_set()
    assert position(session) == (programme["rooms"]["garden"].pk, at(2, 14), at(2, 15))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_publishing_twice_at_once_makes_two_numbered_versions(programme, make_session):
    from tests.registrations.test_concurrency import errors_in, run_together

    make_session(room="hall", start=at(1, 10))
    conference = programme["conference"]
    scheduling.draft_for(conference)
    results = run_together(
        [lambda: scheduling.publish(conference=conference, comment={}, by=None) for _n in range(4)]
    )
    assert errors_in(results) == []
    assert sorted(release.version for release in results) == [1, 2, 3, 4]
    assert Schedule.objects.filter(conference=conference, version__isnull=True).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_first_uses_of_the_draft_make_one(programme, make_session):
    from tests.registrations.test_concurrency import errors_in, run_together

    make_session()  # an accepted session; its draft goes, to be made again by draft_for
    Schedule.objects.all().delete()
    results = run_together([lambda: scheduling.draft_for(programme["conference"]) for _n in range(8)])
    assert errors_in(results) == []
    assert len({draft.pk for draft in results}) == 1
    assert Slot.objects.filter(schedule=results[0]).count() == 1
