"""Badge scans at room doors: counted once per person and session, refused at the
wrong door or for a badge that is not a confirmed delegate's."""

import datetime as dt

import pytest

from sessions import attendance
from sessions.exceptions import ProgrammeError
from sessions.models import Attendance
from tests.sessions.conftest import at, release_rows


@pytest.fixture
def session(programme, make_session):
    proposal = make_session(room="tigris", start=at(1, 10))
    release_rows(programme["conference"])
    return proposal


def test_first_scan_counts_and_a_second_only_updates(session, programme, make_confirmed_delegate):
    person = make_confirmed_delegate()
    first = attendance.record_scan(
        proposal=session, user=person, room=programme["rooms"]["tigris"], at=at(1, 9, 55)
    )
    again = attendance.record_scan(proposal=session, user=person, at=at(1, 10, 40))
    assert (first.first_time, again.first_time) == (True, False)
    row = Attendance.objects.get()
    assert row.first_seen_at == at(1, 9, 55)
    assert row.last_seen_at == at(1, 10, 40)
    assert row.room == programme["rooms"]["tigris"]
    assert attendance.headcounts([session]) == {session.pk: 1}


@pytest.mark.parametrize("case", ["wrong_room", "not_delegate", "not_published"])
def test_scans_are_refused_with_a_reason(
    programme, make_session, make_confirmed_delegate, make_delegate, case
):
    session = make_session(room="tigris", start=at(1, 10))
    person = make_confirmed_delegate()
    room = None
    if case != "not_published":
        release_rows(programme["conference"])
    if case == "wrong_room":
        room = programme["rooms"]["hall"]
    if case == "not_delegate":
        person = make_delegate()
    with pytest.raises(ProgrammeError) as refused:
        attendance.record_scan(proposal=session, user=person, room=room)
    assert refused.value.code == case
    assert refused.value.message
    assert not Attendance.objects.exists()


def test_headcounts_for_many_sessions_in_one_query(
    programme, make_session, make_confirmed_delegate, django_assert_num_queries
):
    sessions = [make_session(room="hall", start=at(1, 9 + n)) for n in range(3)]
    release_rows(programme["conference"])
    people = [make_confirmed_delegate() for _n in range(4)]
    for n, person in enumerate(people):
        for session in sessions[: n % 3 + 1]:
            attendance.record_scan(proposal=session, user=person, at=at(1, 9) + dt.timedelta(minutes=n))
    with django_assert_num_queries(1):
        counts = attendance.headcounts(sessions)
    assert counts == {sessions[0].pk: 4, sessions[1].pk: 2, sessions[2].pk: 1}
