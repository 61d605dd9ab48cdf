"""conference.notify: one way to e-mail. Rendered in the reader's language, stored and
queued only once the caller's transaction commits (never under its locks, never for a
rolled-back change), and a release to many people costs a flat number of queries."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from conference import notify as notify_module
from conference.i18n import as_translated
from conference.mail import render_email
from conference.models import OutgoingEmail, TeamMember
from conference.notify import letter, notify
from conference.tasks import send_outgoing_email
from sessions import scheduling
from sessions.models import Schedule, Slot, Star
from tests.emails import stored_emails
from tests.sessions.conftest import at, make_confirmed_delegate, make_session, programme  # noqa: F401 (fixtures)

NAMES = {"passport_name": "Layla Hassan", "arabic_name": "ليلى حسن"}
STAFF = {"staff_path": ("staff_team", {"edition": "baghdad-2027"})}


def team_context(edition):
    return {"edition_title": as_translated(edition.title), "role_label": TeamMember.Role.REVIEWER.label}


@pytest.mark.parametrize(
    ("language", "greeting"), [("ar", "ليلى حسن"), ("ckb", "ليلى حسن"), ("en", "Layla Hassan")]
)
def test_rendered_in_the_readers_language_with_their_greeting_and_links(
    edition, make_delegate, mailoutbox, django_capture_on_commit_callbacks, language, greeting
):
    person = make_delegate(language=language, **NAMES)
    person.full_name = "Layla Hassan"
    person.save(update_fields=["full_name"])
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            to=person,
            template="team_member_added",
            context=team_context(edition),
            links={"staff_path": ("staff_team", {"edition": edition.slug})},
        )
    email = OutgoingEmail.objects.get()
    path = f"/{language}/{edition.slug}/staff/"
    expected = render_email(
        "team_member_added", {**team_context(edition), "person_name": greeting, "staff_path": path}, language
    )
    assert (email.to, email.language, email.kind) == (person.email, language, "team_member_added")
    assert (email.subject, email.body_text, email.body_html) == expected
    assert greeting in email.body_text and path in email.body_text
    assert [message.to for message in mailoutbox] == [[person.email]]


def test_an_address_without_an_account_is_written_in_the_language_given(edition):
    notify(to="guest@example.org", template="team_member_added", language="ckb",
           context={**team_context(edition), "person_name": "Guest", "staff_path": "/s/"})
    notify(to="other@example.org", template="team_member_added", language="xx",
           context={**team_context(edition), "person_name": "Other", "staff_path": "/s/"})
    languages = {email.to: email.language for email in stored_emails()}
    assert languages == {"guest@example.org": "ckb", "other@example.org": "ar"}  # unknown: the site's


def test_a_model_or_queryset_in_the_context_is_refused(edition):
    with pytest.raises(TypeError, match="edition"):
        letter(to="a@example.org", template="team_member_added", context={"edition": edition})
    with pytest.raises(TypeError, match="people"):
        letter(to="a@example.org", template="team_member_added",
               context={"people": OutgoingEmail.objects.all()})


@pytest.mark.django_db(transaction=True)
def test_rendered_and_stored_only_after_the_commit(edition, make_user, mailoutbox, monkeypatch):
    person = make_user(language="en")
    rendered_inside = []

    def spy(*args):
        rendered_inside.append(connection.in_atomic_block)
        return render_email(*args)

    monkeypatch.setattr(notify_module, "render_email", spy)
    with transaction.atomic():
        notify(to=person, template="team_member_added", context=team_context(edition), links=STAFF)
        assert rendered_inside == [] and not OutgoingEmail.objects.exists() and mailoutbox == []
    assert rendered_inside == [False]
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
    assert [message.to for message in mailoutbox] == [[person.email]]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_rendered_stored_or_sent_when_the_transaction_rolls_back(
    edition, make_user, mailoutbox, monkeypatch
):
    person = make_user()
    rendered = []
    monkeypatch.setattr(notify_module, "render_email", lambda *args: rendered.append(args))
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(to=person, template="team_member_added", context=team_context(edition))
        raise RuntimeError("rolled back")
    # A savepoint rolled back inside a transaction that commits drops its e-mail too.
    with transaction.atomic():
        try:
            with transaction.atomic():
                notify(to=person, template="team_member_added", context=team_context(edition))
                raise RuntimeError("inner")
        except RuntimeError:
            pass
    assert rendered == [] and not OutgoingEmail.objects.exists() and mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_an_account_erased_before_the_commit_gets_nothing(edition, make_user, mailoutbox):
    leaving, staying = make_user(), make_user()
    with transaction.atomic():
        for person in (leaving, staying):
            notify(to=person, template="team_member_added", context=team_context(edition), links=STAFF)
        leaving.delete()
    assert [message.to for message in mailoutbox] == [[staying.email]]
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [staying.email]


# --- A release: many readers, one lock -------------------------------------------------------------
def draft_slot(proposal) -> Slot:
    return Slot.objects.get(schedule__version=None, proposal=proposal)


@pytest.fixture
def moved(programme, make_session):  # noqa: F811
    """A session published in v1 and then moved in the draft; ``move()`` moves it again."""
    session = make_session(room="hall", start=at(1, 10), title={"en": "Water rights", "ar": "الحق في الماء"})
    scheduling.publish(conference=programme["conference"], comment={}, by=None, send_email=False)
    hours = iter([14, 16, 9, 11])

    def move():
        scheduling.place(slot=draft_slot(session), room=programme["rooms"]["hall"], start=at(2, next(hours)),
                         by=None)

    move()
    return {"session": session, "move": move}


def fans(make, session, count, language="ar"):
    people = [make(language=language) for _n in range(count)]
    Star.objects.bulk_create(Star(user=person, proposal=session) for person in people)
    return people


@pytest.mark.django_db(transaction=True)
def test_a_release_renders_its_emails_after_the_drafts_lock_is_released(
    programme, moved, make_confirmed_delegate, mailoutbox, monkeypatch  # noqa: F811
):
    conference = programme["conference"]
    readers = fans(make_confirmed_delegate, moved["session"], 3)
    draft_pk = Schedule.objects.get(conference=conference, version=None).pk
    seen = []

    def second_connection_locks_the_draft() -> bool:
        """Another request (a new connection) takes the draft's row lock without waiting."""
        result = {}

        def work():
            try:
                with transaction.atomic():
                    draft = Schedule.objects.select_for_update(nowait=True).filter(pk=draft_pk)
                    result["locked"] = draft.exists()
            except Exception as error:  # the failure is what the test reports
                result["locked"] = repr(error)
            finally:
                connection.close()

        thread = threading.Thread(target=work)
        thread.start()
        thread.join(10)
        return result.get("locked")

    def spy(*args):
        seen.append(connection.in_atomic_block)
        if connection.vendor == "postgresql" and len(seen) == 1:
            seen.append(second_connection_locks_the_draft())
        return render_email(*args)

    monkeypatch.setattr(notify_module, "render_email", spy)
    scheduling.publish(conference=conference, comment={"en": "Moved"}, by=None)
    expected = [False] * len(readers)
    if connection.vendor == "postgresql":
        expected.insert(1, True)
    assert seen == expected
    assert sorted(message.to[0] for message in mailoutbox) == sorted(person.email for person in readers)


def publish_counting(conference, django_capture_on_commit_callbacks) -> int:
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        scheduling.publish(conference=conference, comment={}, by=None)
    return len(queries)


def test_a_release_to_more_readers_costs_the_same_queries_until_sending(
    programme, moved, make_confirmed_delegate, django_capture_on_commit_callbacks, monkeypatch  # noqa: F811
):
    """Addressing, greeting, rendering and storing: flat. Only the sending task (one per
    e-mail, run by the worker) grows with the readers."""
    conference = programme["conference"]
    monkeypatch.setattr(send_outgoing_email, "delay", lambda pk: None)
    fans(make_confirmed_delegate, moved["session"], 2)
    few = publish_counting(conference, django_capture_on_commit_callbacks)
    moved["move"]()
    fans(make_confirmed_delegate, moved["session"], 6, language="en")
    many = publish_counting(conference, django_capture_on_commit_callbacks)
    assert OutgoingEmail.objects.filter(kind="programme_release").count() == 2 + 8
    assert many == few


def test_sending_a_release_costs_a_flat_number_of_queries_per_email(
    programme, moved, make_confirmed_delegate, django_capture_on_commit_callbacks, mailoutbox  # noqa: F811
):
    conference = programme["conference"]
    fans(make_confirmed_delegate, moved["session"], 2)
    few = publish_counting(conference, django_capture_on_commit_callbacks)
    moved["move"]()
    fans(make_confirmed_delegate, moved["session"], 4)
    many = publish_counting(conference, django_capture_on_commit_callbacks)  # 6 e-mails, 4 more
    assert len(mailoutbox) == 2 + 6
    per_email = (many - few) / 4
    assert per_email == int(per_email) and per_email <= 4, (few, many)
