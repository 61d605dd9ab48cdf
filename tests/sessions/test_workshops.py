"""Workshop sign-up through the service: places, the waiting list, who may sign up,
clashes named, and a freed place passing to the next person in line."""

import pytest

from sessions import workshops
from sessions.exceptions import ProgrammeError
from sessions.models import WorkshopSignup
from tests.sessions.conftest import at, release_rows

S = WorkshopSignup.Status


@pytest.fixture
def workshop(programme, make_session):
    session = make_session(
        room="library",
        start=at(1, 10),
        duration=90,
        format="workshop",
        signup_capacity=2,
        title={"ar": "حقوق المياه", "en": "Water rights"},
    )
    release_rows(programme["conference"])
    return session


def test_places_then_waiting_list_in_order(workshop, make_confirmed_delegate):
    people = [make_confirmed_delegate() for _n in range(4)]
    signups = [workshops.sign_up(proposal=workshop, user=person) for person in people]
    assert [signup.status for signup in signups] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]
    assert [workshops.waitlist_position(signup) for signup in signups] == [None, None, 1, 2]
    assert workshops.seats_taken(workshop) == 2


def test_signing_up_twice_gives_the_same_place(workshop, make_confirmed_delegate):
    person = make_confirmed_delegate()
    first = workshops.sign_up(proposal=workshop, user=person)
    again = workshops.sign_up(proposal=workshop, user=person)
    assert first.pk == again.pk
    assert WorkshopSignup.objects.filter(proposal=workshop).count() == 1


@pytest.mark.parametrize(
    ("who", "code"),
    [("unregistered", "not_delegate"), ("pending", "not_delegate")],
)
def test_only_confirmed_delegates_sign_up(workshop, programme, make_delegate, make_category, who, code):
    from registrations import services as registration_services

    person = make_delegate()
    if who == "pending":
        approval = make_category(programme["conference"], slug="observer", requires_approval=True)
        assert registration_services.register(user=person, category=approval).status == "pending"
    with pytest.raises(ProgrammeError) as refused:
        workshops.sign_up(proposal=workshop, user=person)
    assert refused.value.code == code
    assert not WorkshopSignup.objects.exists()


def test_a_session_without_sign_up_or_not_published_refuses(programme, make_session, make_confirmed_delegate):
    person = make_confirmed_delegate()
    plain = make_session(room="hall", start=at(1, 10))
    unpublished = make_session(room="tigris", start=at(2, 10), signup_capacity=10, format="workshop")
    with pytest.raises(ProgrammeError) as refused:
        workshops.sign_up(proposal=unpublished, user=person)
    assert refused.value.code == "not_published"
    release_rows(programme["conference"])
    with pytest.raises(ProgrammeError) as refused:
        workshops.sign_up(proposal=plain, user=person)
    assert refused.value.code == "no_signup"


def test_a_clashing_sign_up_is_refused_naming_the_clash(programme, make_session, make_confirmed_delegate):
    from django.utils import translation

    water = make_session(
        room="library",
        start=at(1, 10),
        duration=90,
        format="workshop",
        signup_capacity=5,
        title={"ar": "حقوق المياه", "en": "Water rights"},
    )
    overlapping = make_session(
        room="garden", start=at(1, 11), duration=60, format="workshop", signup_capacity=5
    )
    after = make_session(
        room="garden", start=at(1, 11, 30), duration=60, format="workshop", signup_capacity=5
    )
    release_rows(programme["conference"])
    person = make_confirmed_delegate()
    workshops.sign_up(proposal=water, user=person)
    with translation.override("en"), pytest.raises(ProgrammeError) as refused:
        workshops.sign_up(proposal=overlapping, user=person)
    assert refused.value.code == "clash"
    assert "Water rights" in refused.value.message
    assert "11:30" in refused.value.message  # the clashing workshop's end, named
    # Back to back is no clash.
    assert workshops.sign_up(proposal=after, user=person).status == S.CONFIRMED


def test_cancelling_passes_the_place_to_the_first_in_line(
    workshop, make_confirmed_delegate, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = make_confirmed_delegate(), make_confirmed_delegate()
    waiting = [make_confirmed_delegate(), make_confirmed_delegate()]
    waiting[0].preferred_language = "en"
    waiting[0].save()
    for person in [first, second, *waiting]:
        workshops.sign_up(proposal=workshop, user=person)
    with django_capture_on_commit_callbacks(execute=True):
        workshops.cancel(proposal=workshop, user=first)
    statuses = dict(WorkshopSignup.objects.filter(proposal=workshop).values_list("user_id", "status"))
    assert statuses == {
        first.pk: S.CANCELLED,
        second.pk: S.CONFIRMED,
        waiting[0].pk: S.CONFIRMED,
        waiting[1].pk: S.WAITLISTED,
    }
    remaining = WorkshopSignup.objects.get(user=waiting[1], proposal=workshop)
    assert workshops.waitlist_position(remaining) == 1
    assert [message.to for message in mailoutbox] == [[waiting[0].email]]
    assert "Water rights" in mailoutbox[0].subject
    assert f"/en/{workshop.conference.slug}/programme/session/{workshop.code}/" in mailoutbox[0].body
    # Signing up again after cancelling is a new, live sign-up.
    assert workshops.sign_up(proposal=workshop, user=first).status == S.WAITLISTED


def test_cancelling_what_one_does_not_hold_changes_nothing(workshop, make_confirmed_delegate):
    holder, stranger = make_confirmed_delegate(), make_confirmed_delegate()
    workshops.sign_up(proposal=workshop, user=holder)
    workshops.cancel(proposal=workshop, user=stranger)
    assert list(WorkshopSignup.objects.values_list("user_id", "status")) == [(holder.pk, S.CONFIRMED)]


def test_more_places_go_to_the_line_and_fewer_than_taken_is_refused(
    workshop, make_confirmed_delegate, mailoutbox, django_capture_on_commit_callbacks
):
    people = [make_confirmed_delegate() for _n in range(5)]
    for person in people:
        workshops.sign_up(proposal=workshop, user=person)
    with pytest.raises(ProgrammeError) as refused:
        workshops.set_places(proposal=workshop, places=1)
    assert refused.value.code == "below_taken"
    with pytest.raises(ProgrammeError) as refused:
        workshops.set_places(proposal=workshop, places=None)
    assert refused.value.code == "in_use"
    workshop.refresh_from_db()
    assert workshop.signup_capacity == 2  # nothing changed by the refusals
    with django_capture_on_commit_callbacks(execute=True):
        promoted = workshops.set_places(proposal=workshop, places=4)
    assert [signup.user for signup in promoted] == people[2:4]
    assert sorted(message.to[0] for message in mailoutbox) == sorted(p.email for p in people[2:4])
    statuses = dict(WorkshopSignup.objects.filter(proposal=workshop).values_list("user_id", "status"))
    assert [statuses[p.pk] for p in people] == [S.CONFIRMED] * 4 + [S.WAITLISTED]
