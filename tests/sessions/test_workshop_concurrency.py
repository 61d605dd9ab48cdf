"""Sixty confirmed delegates race for a 25-place workshop, on PostgreSQL, each from its
own thread and connection: exactly 25 get a place and the rest wait in a gap-free line."""

from __future__ import annotations

import pytest

from tests.registrations.test_concurrency import errors_in, run_together
from tests.sessions.conftest import at, release_rows

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def race(programme, make_session, make_confirmed_delegate):
    from sessions.models import Proposal

    workshop = make_session(
        room="library",
        start=at(1, 10),
        duration=90,
        format="workshop",
        signup_capacity=25,
        title={"ar": "حقوق المياه", "en": "Water rights"},
    )
    release_rows(programme["conference"])
    people = [make_confirmed_delegate(f"racer{n}@example.org") for n in range(60)]
    # Loaded once here, so the threads never race to fill cached relations.
    return Proposal.objects.select_related("conference").get(pk=workshop.pk), people


def test_sixty_delegates_race_for_twenty_five_places(race):
    from sessions import workshops
    from sessions.models import WorkshopSignup

    workshop, people = race
    results = run_together(
        [lambda person=person: workshops.sign_up(proposal=workshop, user=person) for person in people]
    )
    assert errors_in(results) == []
    rows = WorkshopSignup.objects.filter(proposal=workshop)
    assert rows.filter(status="confirmed").count() == 25
    waiting = sorted(rows.filter(status="waitlisted").values_list("waitlist_seq", flat=True))
    assert waiting == list(range(1, 36))
    assert rows.values("user").distinct().count() == 60


def test_the_same_person_clicking_many_times_holds_one_place(race):
    from sessions import workshops
    from sessions.models import WorkshopSignup

    workshop, people = race
    person = people[0]
    results = run_together([lambda: workshops.sign_up(proposal=workshop, user=person) for _n in range(10)])
    assert errors_in(results) == []
    assert WorkshopSignup.objects.filter(proposal=workshop, user=person).count() == 1
    assert len({result.pk for result in results}) == 1


def test_cancellations_racing_with_sign_ups_promote_the_line_first(race, mailoutbox):
    """25 hold places and 10 wait; 10 holders cancel while 25 newcomers sign up. Every
    freed place goes to someone already waiting (they were ahead in line), never to a
    newcomer, and never past 25."""
    from sessions import workshops
    from sessions.models import WorkshopSignup

    workshop, people = race
    for person in people[:35]:
        workshops.sign_up(proposal=workshop, user=person)
    calls = [lambda person=person: workshops.cancel(proposal=workshop, user=person) for person in people[:10]]
    calls += [
        lambda person=person: workshops.sign_up(proposal=workshop, user=person) for person in people[35:]
    ]
    results = run_together(calls)
    assert errors_in(results) == []
    rows = WorkshopSignup.objects.filter(proposal=workshop)
    confirmed = set(rows.filter(status="confirmed").values_list("user_id", flat=True))
    assert confirmed == {person.pk for person in people[10:35]}
    assert rows.filter(status="waitlisted", user__in=people[35:]).count() == 25
    assert sorted(message.to[0] for message in mailoutbox) == sorted(person.email for person in people[25:35])
