"""The programme hears what happens to a delegate: a registration that ends (cancelled,
rejected, a decision taken in bulk) or an account erased gives the person's workshop
places to the waiting list, and the person promoted is told by e-mail. The programme
does this in its own receivers (sessions/receivers.py), called by the signals that
registrations sends (registrations/signals.py)."""

import pytest

from registrations import services as registration_services
from registrations.models import Registration
from sessions import workshops
from sessions.models import WorkshopSignup
from tests.sessions.conftest import at, release_rows

S = WorkshopSignup.Status


@pytest.fixture
def full_workshops(programme, make_session, make_confirmed_delegate, make_staff):
    """Two one-place workshops at different times. ``leaving`` holds the place in the
    first and waits for the second; ``next_in_line`` waits for the first; ``other``
    holds the second."""
    from conference.models import TeamMember

    water = make_session(
        room="library", start=at(1, 10), format="workshop", signup_capacity=1,
        title={"ar": "حقوق المياه", "en": "Water rights"},
    )
    press = make_session(
        room="garden", start=at(2, 10), format="workshop", signup_capacity=1,
        title={"ar": "حرية الصحافة", "en": "Press freedom"},
    )
    release_rows(programme["conference"])
    leaving, next_in_line, other = (make_confirmed_delegate() for _n in range(3))
    next_in_line.preferred_language = "en"
    next_in_line.save(update_fields=["preferred_language"])
    workshops.sign_up(proposal=water, user=leaving)
    workshops.sign_up(proposal=water, user=next_in_line)
    workshops.sign_up(proposal=press, user=other)
    workshops.sign_up(proposal=press, user=leaving)
    return {
        "water": water,
        "press": press,
        "leaving": leaving,
        "next_in_line": next_in_line,
        "other": other,
        "organizer": make_staff(programme["conference"], TeamMember.Role.ORGANIZER),
        "registration": Registration.objects.get(user=leaving),
    }


def statuses(proposal) -> dict:
    return dict(WorkshopSignup.objects.filter(proposal=proposal).values_list("user_id", "status"))


def assert_places_passed_on(world, mailoutbox):
    leaving, next_in_line, other = world["leaving"], world["next_in_line"], world["other"]
    assert statuses(world["water"]) == {leaving.pk: S.CANCELLED, next_in_line.pk: S.CONFIRMED}
    # A place in a waiting line is given up too: it would be promoted to nobody.
    assert statuses(world["press"]) == {other.pk: S.CONFIRMED, leaving.pk: S.CANCELLED}
    promoted = [message for message in mailoutbox if message.to == [next_in_line.email]]
    assert len(promoted) == 1
    assert "Water rights" in promoted[0].subject


def end(world, how):
    registration, organizer = world["registration"], world["organizer"]
    if how == "cancel":
        registration_services.cancel(registration=registration, by=world["leaving"])
    elif how == "reject":
        registration_services.reject(registration=registration, by=organizer, reason="Not eligible.")
    else:
        action = how.removeprefix("bulk_")
        result = registration_services.decide_many(
            registrations=[registration], action=action, by=organizer, reason="Duplicate."
        )
        assert result["refused"] == []


@pytest.mark.parametrize("how", ["cancel", "reject", "bulk_cancel", "bulk_reject"])
def test_an_ended_registration_gives_its_workshop_places_to_the_line(
    full_workshops, mailoutbox, django_capture_on_commit_callbacks, how
):
    with django_capture_on_commit_callbacks(execute=True):
        end(full_workshops, how)
    assert Registration.objects.get(pk=full_workshops["registration"].pk).status in {"cancelled", "rejected"}
    assert_places_passed_on(full_workshops, mailoutbox)


def test_an_erased_account_gives_its_workshop_places_to_the_line(
    full_workshops, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.account_delete(user=full_workshops["leaving"])
    water, press = full_workshops["water"], full_workshops["press"]
    # The person's rows go with the account; their places went to the line first.
    assert statuses(water) == {full_workshops["next_in_line"].pk: S.CONFIRMED}
    assert statuses(press) == {full_workshops["other"].pk: S.CONFIRMED}
    promoted = [message for message in mailoutbox if message.to == [full_workshops["next_in_line"].email]]
    assert len(promoted) == 1 and "Water rights" in promoted[0].subject


def test_erasing_inside_a_larger_transaction_still_promotes(full_workshops):
    """The erasure may run inside a request's transaction, where the after-commit
    ``registration_ended`` comes only once the rows are gone: ``person_erasing``, sent
    before they are deleted, is what frees the places then."""
    from django.db import transaction

    with transaction.atomic():
        registration_services.account_delete(user=full_workshops["leaving"])
    assert statuses(full_workshops["water"]) == {full_workshops["next_in_line"].pk: S.CONFIRMED}


def test_a_signal_delivered_twice_changes_nothing_the_second_time(
    full_workshops, mailoutbox, django_capture_on_commit_callbacks
):
    from registrations import signals

    with django_capture_on_commit_callbacks(execute=True):
        registration_services.cancel(
            registration=full_workshops["registration"], by=full_workshops["leaving"]
        )
    before = {pk: statuses(pk) for pk in (full_workshops["water"], full_workshops["press"])}
    sent = len(mailoutbox)
    registration = Registration.objects.get(pk=full_workshops["registration"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        signals.registration_ended.send(
            sender=Registration,
            registration_id=registration.pk,
            user_id=registration.user_id,
            conference_id=registration.conference_id,
            status=registration.status,
            by_id=None,
            reason="",
        )
    assert {pk: statuses(pk) for pk in (full_workshops["water"], full_workshops["press"])} == before
    assert len(mailoutbox) == sent


def test_a_late_signal_spares_places_taken_after_registering_again(
    full_workshops, programme, mailoutbox, django_capture_on_commit_callbacks
):
    """A copy of ``registration_ended`` that arrives after the person registered again
    and signed up again must not take their new place away."""
    from registrations import signals

    leaving, registration = full_workshops["leaving"], full_workshops["registration"]
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.cancel(registration=registration, by=leaving)
    again = registration_services.register(user=leaving, category=programme["category"], send_email=False)
    assert again.status == "confirmed"
    late = workshops.sign_up(proposal=full_workshops["water"], user=leaving)
    signals.registration_ended.send(
        sender=Registration, registration_id=registration.pk, user_id=leaving.pk,
        conference_id=registration.conference_id, status="cancelled", by_id=leaving.pk, reason="",
    )
    assert WorkshopSignup.objects.get(pk=late.pk).status == S.WAITLISTED



# --- Races, on PostgreSQL with real concurrent connections ------------------------------


@pytest.fixture
def crowded(programme, make_session, make_confirmed_delegate):
    """A five-place workshop: five hold places, five wait in line, ten more are about
    to sign up."""
    from sessions.models import Proposal

    workshop = make_session(
        room="library", start=at(1, 10), format="workshop", signup_capacity=5,
        title={"ar": "حقوق المياه", "en": "Water rights"},
    )
    release_rows(programme["conference"])
    people = [make_confirmed_delegate(f"crowd{n}@example.org") for n in range(20)]
    for person in people[:10]:
        workshops.sign_up(proposal=workshop, user=person)
    # Loaded once here, so the threads never race to fill cached relations.
    workshop = Proposal.objects.select_related("conference").get(pk=workshop.pk)
    registrations = list(Registration.objects.filter(user__in=people[:3]).select_related("category", "user"))
    return workshop, people, registrations


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_places_freed_by_ended_registrations_while_others_sign_up(crowded, mailoutbox):
    """Three holders' registrations are cancelled while ten newcomers sign up: the
    workshop ends with exactly five places taken, the freed ones went to the first
    three in line (ahead of every newcomer), and those three were told."""
    from tests.registrations.test_concurrency import errors_in, run_together

    workshop, people, registrations = crowded
    calls = [
        lambda registration=registration: registration_services.cancel(
            registration=registration, by=registration.user
        )
        for registration in registrations
    ]
    calls += [lambda p=person: workshops.sign_up(proposal=workshop, user=p) for person in people[10:]]
    assert errors_in(run_together(calls)) == []
    rows = WorkshopSignup.objects.filter(proposal=workshop)
    confirmed = set(rows.filter(status=S.CONFIRMED).values_list("user_id", flat=True))
    assert confirmed == {person.pk for person in people[3:8]}
    waiting = sorted(rows.filter(status=S.WAITLISTED).values_list("waitlist_seq", flat=True))
    assert len(waiting) == 12 and len(set(waiting)) == 12
    # The three whose registrations ended hear of it; the three promoted, of their place.
    told = sorted(message.to[0] for message in mailoutbox)
    assert told == sorted(person.email for person in people[:3] + people[5:8])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_signing_up_while_ones_registration_ends_leaves_no_place(
    programme, make_session, make_confirmed_delegate, mailoutbox, monkeypatch
):
    """A person signs up while their registration is being cancelled. The sign-up's
    "is a confirmed delegate?" check answers yes, then the cancellation starts, and the
    sign-up goes on once the cancellation (with the release of places after its commit)
    is done, or after 3 s. Either way the person ends with no place and no place in
    line. (Checked before the person's lock, the sign-up slipped in after the release.)"""
    import threading

    from sessions.models import Proposal
    from tests.registrations.test_concurrency import errors_in, run_together

    workshop = make_session(room="library", start=at(1, 10), format="workshop", signup_capacity=5)
    release_rows(programme["conference"])
    person = make_confirmed_delegate("both@example.org")
    workshop = Proposal.objects.select_related("conference").get(pk=workshop.pk)
    registration = Registration.objects.select_related("category", "user").get(user=person)
    read, cancelled = threading.Event(), threading.Event()
    checked = workshops.is_confirmed_delegate

    def slow_check(**arguments):
        answer = checked(**arguments)
        read.set()
        cancelled.wait(timeout=3)
        return answer

    def cancel():
        read.wait(timeout=3)
        try:
            return registration_services.cancel(registration=registration, by=person)
        finally:
            cancelled.set()

    monkeypatch.setattr(workshops, "is_confirmed_delegate", slow_check)
    results = run_together([lambda: workshops.sign_up(proposal=workshop, user=person), cancel], workers=2)
    assert errors_in(results) == []
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"
    assert not WorkshopSignup.objects.filter(user=person, status__in=WorkshopSignup.LIVE).exists()
