"""Races on seats, on PostgreSQL only: many people at once, each from its own thread
and its own database connection, as gunicorn workers and their threads would be.

The capacity guarantee lives in ``registrations.services`` (a row lock on the category);
these tests hold it to its word: never more confirmed than seats, a waiting list
numbered 1..n without gaps or repeats, one registration per person however often they
click, and one promotion per freed seat.
"""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# PostgreSQL allows 100 connections; each worker holds one while it runs.
WORKERS = 24


def run_together(calls, *, workers: int = WORKERS) -> list:
    """Run the zero-argument ``calls`` in a thread pool, all released at the same moment.
    Returns their results in order; an exception in a call is returned, not raised, so
    one failure does not hide what the others did."""
    start = threading.Event()

    def run(call):
        start.wait(timeout=30)
        try:
            return call()
        except Exception as error:  # reported by the caller's assertions
            return error
        finally:
            # Each thread's own connection: close it, or the test database cannot be
            # flushed and PostgreSQL runs out of connections.
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run, call) for call in calls]
        start.set()
        return [future.result(timeout=300) for future in futures]


def errors_in(results) -> list:
    return [result for result in results if isinstance(result, BaseException)]


def category_for(conference, *, capacity: int, requires_approval: bool, slug: str = "delegate"):
    from registrations.models import Category

    category = Category.objects.create(
        conference=conference, slug=slug, kind=Category.Kind.DELEGATE,
        name={"ar": "مندوب", "ckb": "نوێنەر", "en": "Delegate"},
        capacity=capacity, requires_approval=requires_approval,
    )
    # Loaded once here, so the threads never race to fill the cached relation.
    return Category.objects.select_related("conference").get(pk=category.pk)


def delegates(make_user, count: int, *, prefix: str = "delegate") -> list:
    from registrations import services

    people = []
    for n in range(count):
        user = make_user(f"{prefix}{n}@example.org", language="en")
        services.profile_save(user=user, data={"passport_name": f"Delegate {n}", "country": "IQ"})
        people.append(user)
    return people


def confirmed_pks(category) -> set[int]:
    from registrations.models import Registration

    return set(
        Registration.objects.filter(category=category, status=Registration.Status.CONFIRMED)
        .values_list("pk", flat=True)
    )


def figures(category) -> dict:
    from registrations import services
    from registrations.models import Registration

    rows = list(Registration.objects.filter(category=category))
    by_status: dict[str, int] = {}
    for row in rows:
        by_status[row.status] = by_status.get(row.status, 0) + 1
    confirmed = by_status.get(Registration.Status.CONFIRMED, 0)
    positions = sorted(
        services.waitlist_position(row) for row in rows if row.status == Registration.Status.WAITLISTED
    )
    return {
        "confirmed": confirmed,
        "waitlisted": by_status.get(Registration.Status.WAITLISTED, 0),
        "pending": by_status.get(Registration.Status.PENDING, 0),
        "oversold": max(0, confirmed - category.capacity),
        "positions": positions,
        "rows": len(rows),
    }


def test_300_delegates_race_for_100_seats_then_a_cancellation_promotes_one(
    make_conference, make_user, mailoutbox
):
    from registrations import services
    from registrations.models import Registration

    category = category_for(make_conference(), capacity=100, requires_approval=False)
    people = delegates(make_user, 300)

    results = run_together(
        [lambda user=user: services.register(user=user, category=category) for user in people]
    )

    assert errors_in(results) == []
    after = figures(category)
    assert after["rows"] == 300
    assert after["confirmed"] == 100
    assert after["waitlisted"] == 200
    assert after["oversold"] == 0
    assert after["positions"] == list(range(1, 201))
    # Everyone heard how it went, once.
    assert len(mailoutbox) == 300
    assert sorted(message.to[0] for message in mailoutbox) == sorted(user.email for user in people)

    waiting = Registration.objects.filter(category=category, status=Registration.Status.WAITLISTED)
    first_in_line = next(row for row in waiting if services.waitlist_position(row) == 1)
    leaving = Registration.objects.filter(category=category, status=Registration.Status.CONFIRMED).first()
    confirmed_before = confirmed_pks(category)
    mailoutbox.clear()

    services.cancel(registration=leaving, by=leaving.user)

    after = figures(category)
    assert after["confirmed"] == 100
    assert after["waitlisted"] == 199
    assert after["positions"] == list(range(1, 200))
    confirmed_now = confirmed_pks(category)
    assert confirmed_now - confirmed_before == {first_in_line.pk}
    assert confirmed_before - confirmed_now == {leaving.pk}
    first_in_line.refresh_from_db()
    assert first_in_line.status == Registration.Status.CONFIRMED
    # One e-mail to the one who left, one "confirmed" to the one who got the seat.
    to_promoted = [message for message in mailoutbox if message.to == [first_in_line.user.email]]
    assert len(to_promoted) == 1
    assert "your place is confirmed" in to_promoted[0].subject
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [leaving.user.email, first_in_line.user.email]
    )


def test_ten_submits_at_once_make_one_registration(make_conference, make_user, mailoutbox):
    from registrations import services
    from registrations.models import Registration, StatusChange

    category = category_for(make_conference(), capacity=5, requires_approval=False)
    (person,) = delegates(make_user, 1)

    results = run_together([lambda: services.register(user=person, category=category)] * 10, workers=10)

    assert errors_in(results) == []
    assert Registration.objects.filter(user=person).count() == 1
    only = Registration.objects.get(user=person)
    assert {result.pk for result in results} == {only.pk}
    assert only.status == Registration.Status.CONFIRMED
    # The losers' rows were rolled back with their history.
    assert StatusChange.objects.filter(registration__user=person).count() == 2  # submitted, confirmed
    assert [message.to for message in mailoutbox] == [[person.email]]


def pending_registrations(make_conference, make_user, *, count: int, capacity: int):
    from registrations import services
    from registrations.models import Registration

    category = category_for(make_conference(), capacity=capacity, requires_approval=True)
    for user in delegates(make_user, count):
        services.register(user=user, category=category, send_email=False)
    assert Registration.objects.filter(category=category, status=Registration.Status.PENDING).count() == count
    return category


def approve_each(registrations, organizer):
    """One organizer clicking "approve" on each row of the list they loaded, without
    e-mail (these tests are about seats)."""
    from registrations import services

    outcomes = []
    for registration in registrations:
        try:
            services.approve(registration=registration, by=organizer, send_email=False)
            outcomes.append("approved")
        except services.RegistrationError as error:
            outcomes.append(error.code)
    return outcomes


def test_two_organizers_approving_different_halves_fill_exactly_the_seats(make_conference, make_user):
    from registrations.models import Registration

    category = pending_registrations(make_conference, make_user, count=50, capacity=20)
    organizers = [make_user("first-organizer@example.org"), make_user("second-organizer@example.org")]
    loaded = list(Registration.objects.filter(category=category).order_by("pk"))
    halves = [loaded[0::2], loaded[1::2]]

    results = run_together(
        [lambda rows=rows, by=by: approve_each(rows, by)
         for rows, by in zip(halves, organizers, strict=True)],
        workers=2,
    )

    assert errors_in(results) == []
    assert [outcome for outcomes in results for outcome in outcomes] == ["approved"] * 50
    after = figures(category)
    assert (after["confirmed"], after["waitlisted"], after["pending"]) == (20, 30, 0)
    assert after["oversold"] == 0
    assert after["positions"] == list(range(1, 31))


def test_two_organizers_approving_the_same_list_fill_exactly_the_seats(make_conference, make_user):
    """Both organizers open the same list of 50 pending and approve every row, one from
    the top, one from the bottom; each row is decided once, whoever comes second."""
    from registrations.models import Registration

    category = pending_registrations(make_conference, make_user, count=50, capacity=20)
    organizers = [make_user("first-organizer@example.org"), make_user("second-organizer@example.org")]

    def approve_all(by, *, reverse: bool):
        rows = list(Registration.objects.filter(category=category).order_by("-pk" if reverse else "pk"))
        return approve_each(rows, by)

    results = run_together(
        [lambda: approve_all(organizers[0], reverse=False), lambda: approve_all(organizers[1], reverse=True)],
        workers=2,
    )

    assert errors_in(results) == []
    after = figures(category)
    assert after["oversold"] == 0
    assert (after["confirmed"], after["waitlisted"], after["pending"]) == (20, 30, 0)
    assert after["positions"] == list(range(1, 31))


def test_a_second_approval_from_a_stale_page_takes_no_seat(make_conference, make_user):
    """The race above, one step at a time: two organizers load the same pending row; the
    category is full, so the first approval waitlists it; the second must not seat it."""
    from registrations import services
    from registrations.models import Registration

    category = pending_registrations(make_conference, make_user, count=2, capacity=1)
    first, second = Registration.objects.filter(category=category).order_by("pk")
    organizer = make_user("organizer@example.org")
    services.approve(registration=first, by=organizer, send_email=False)
    stale = Registration.objects.get(pk=second.pk)  # the other organizer's page
    services.approve(registration=second, by=organizer, send_email=False)
    assert Registration.objects.get(pk=second.pk).status == Registration.Status.WAITLISTED
    # Refusing is fine, and so is doing nothing; taking a seat is not.
    with contextlib.suppress(services.RegistrationError):
        services.approve(registration=stale, by=organizer, send_email=False)

    after = figures(category)
    assert (after["confirmed"], after["waitlisted"], after["oversold"]) == (1, 1, 0)
