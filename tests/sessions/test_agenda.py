"""The personal agenda: stars and sign-ups from the published release, clashes, and
the secret feed address that can be replaced."""

from sessions import agenda, workshops
from tests.sessions.conftest import at, release_rows


def test_agenda_holds_starred_sessions_and_sign_ups_in_time_order(
    programme, make_session, make_confirmed_delegate
):
    person = make_confirmed_delegate()
    late = make_session(room="hall", start=at(2, 14))
    early = make_session(room="tigris", start=at(1, 9))
    workshop = make_session(room="library", start=at(1, 11), format="workshop", signup_capacity=5)
    ignored = make_session(room="garden", start=at(1, 9))
    release_rows(programme["conference"])
    agenda.star(user=person, proposal=late)
    agenda.star(user=person, proposal=early)
    agenda.star(user=person, proposal=early)  # a second click changes nothing
    workshops.sign_up(proposal=workshop, user=person)
    entries = agenda.agenda(person, programme["conference"])
    assert [entry.proposal for entry in entries] == [early, workshop, late]
    assert [entry.starred for entry in entries] == [True, False, True]
    assert entries[1].signup.status == "confirmed"
    assert ignored not in [entry.proposal for entry in entries]
    agenda.unstar(user=person, proposal=late)
    assert late not in [entry.proposal for entry in agenda.agenda(person, programme["conference"])]


def test_agenda_is_empty_before_a_release(programme, make_session, make_confirmed_delegate):
    person = make_confirmed_delegate()
    session = make_session(room="hall", start=at(1, 10))
    agenda.star(user=person, proposal=session)
    assert agenda.agenda(person, programme["conference"]) == []


def test_clashes_are_overlapping_pairs_only(programme, make_session, make_confirmed_delegate):
    person = make_confirmed_delegate()
    a = make_session(room="hall", start=at(1, 10), duration=90)
    b = make_session(room="tigris", start=at(1, 11), duration=60)
    c = make_session(room="garden", start=at(1, 11, 30), duration=30)  # starts as a ends
    d = make_session(room="library", start=at(2, 11), duration=60)
    release_rows(programme["conference"])
    for session in (a, b, c, d):
        agenda.star(user=person, proposal=session)
    pairs = agenda.clashes(agenda.agenda(person, programme["conference"]))
    assert {(first.proposal, second.proposal) for first, second in pairs} == {(a, b), (b, c)}


def test_agenda_query_count_is_flat(
    programme, make_session, make_confirmed_delegate, django_assert_num_queries
):
    person = make_confirmed_delegate()
    sessions = [make_session(room="hall", start=at(1 + n % 3, 9 + n // 3 % 8)) for n in range(12)]
    release_rows(programme["conference"])
    agenda.star(user=person, proposal=sessions[0])
    with django_assert_num_queries(5):
        small = agenda.agenda(person, programme["conference"])
    for session in sessions:
        agenda.star(user=person, proposal=session)
    with django_assert_num_queries(5):
        large = agenda.agenda(person, programme["conference"])
    assert (len(small), len(large)) == (1, 12)


def test_regenerating_the_feed_retires_the_old_address(programme, make_confirmed_delegate):
    person = make_confirmed_delegate()
    first = agenda.feed(person, programme["conference"])
    assert agenda.feed(person, programme["conference"]).token == first.token
    assert len(first.token) >= 40
    old = first.token
    renewed = agenda.regenerate_feed(person, programme["conference"])
    assert renewed.token != old
    assert agenda.feed_owner(old) is None
    assert agenda.feed_owner(renewed.token).user == person
    assert agenda.feed_owner("") is None
