"""The contract of registrations' lifecycle signals (registrations/signals.py): sent
once after commit, never for a rolled-back change, with the documented arguments; a
failing receiver is logged and undoes nothing; ``person_erasing`` comes inside the
erasure, while the person's rows still exist."""

from __future__ import annotations

import logging

import pytest
from django.db import connection, transaction
from django.utils.translation import gettext as _

from conference.models import TeamMember
from registrations import services, signals
from registrations.models import Registration

S = Registration.Status

# Real commits: "after commit" is what is under test.
pytestmark = pytest.mark.django_db(transaction=True)


class Rollback(Exception):
    pass


@pytest.fixture
def heard():
    """What each signal delivered, in order: (signal name, arguments, in a transaction)."""
    received = []

    def listener(name):
        def receive(sender, signal, **arguments):
            received.append((name, arguments, connection.in_atomic_block))

        return receive

    listeners = {
        name: listener(name) for name in ("registration_ended", "registration_confirmed", "person_erasing")
    }
    for name, receive in listeners.items():
        getattr(signals, name).connect(receive, dispatch_uid=f"test.{name}")
    yield received
    for name in listeners:
        getattr(signals, name).disconnect(dispatch_uid=f"test.{name}")


@pytest.fixture
def confirmed(edition, make_category, make_delegate):
    return services.register(
        user=make_delegate(), category=make_category(edition, capacity=5), send_email=False
    )


def names(received) -> list[str]:
    return [name for name, _arguments, _inside in received]


def test_a_cancellation_is_announced_once_after_commit(confirmed, heard):
    person = confirmed.user
    heard.clear()
    with transaction.atomic():
        services.cancel(registration=confirmed, by=person, reason="Cannot travel.", send_email=False)
        assert heard == []  # not while the transaction is open
    assert heard == [
        (
            "registration_ended",
            {
                "registration_id": confirmed.pk,
                "user_id": person.pk,
                "conference_id": confirmed.conference_id,
                "status": "cancelled",
                "by_id": person.pk,
                "reason": "Cannot travel.",
            },
            False,
        )
    ]


def test_a_rolled_back_cancellation_sends_nothing(confirmed, heard):
    heard.clear()
    with pytest.raises(Rollback), transaction.atomic():
        services.cancel(registration=confirmed, by=confirmed.user, send_email=False)
        raise Rollback
    assert heard == []
    assert Registration.objects.get(pk=confirmed.pk).status == S.CONFIRMED


def test_a_rejection_in_bulk_names_who_and_why(edition, make_category, make_delegate, make_staff, heard):
    category = make_category(edition, requires_approval=True)
    organizer = make_staff(edition, TeamMember.Role.ORGANIZER)
    pending = [
        services.register(user=make_delegate(), category=category, send_email=False) for _n in range(2)
    ]
    heard.clear()
    services.decide_many(
        registrations=pending, action="reject", by=organizer, reason="Duplicate.", send_email=False
    )
    assert names(heard) == ["registration_ended", "registration_ended"]
    assert {arguments["registration_id"] for _name, arguments, _inside in heard} == {r.pk for r in pending}
    told = {(a["status"], a["by_id"], a["reason"]) for _n, a, _i in heard}
    assert told == {("rejected", organizer.pk, "Duplicate.")}


def test_an_expired_offer_ends_the_registration_by_nobody(edition, make_category, make_delegate, heard):
    import datetime as dt

    from django.utils import timezone

    category = make_category(edition, capacity=1, offer_hours=24)
    holder = services.register(user=make_delegate(), category=category, send_email=False)
    waiting = services.register(user=make_delegate(), category=category, send_email=False)
    services.cancel(registration=holder, by=holder.user, send_email=False)
    assert Registration.objects.get(pk=waiting.pk).status == S.OFFERED
    heard.clear()
    assert services.expire_offers(now=timezone.now() + dt.timedelta(hours=25), send_email=False) == 1
    assert names(heard) == ["registration_ended"]
    arguments = heard[0][1]
    told = (arguments["registration_id"], arguments["status"], arguments["by_id"])
    assert told == (waiting.pk, "cancelled", None)
    assert arguments["reason"] == str(_("The offer expired."))  # in the language active then


def test_confirmations_are_announced_however_they_come(
    edition, make_category, make_delegate, make_staff, heard
):
    """At once on registering, by approval, and by a promotion from the waiting list."""
    open_category = make_category(edition, capacity=1)
    vetted = make_category(edition, slug="observer", requires_approval=True)
    organizer = make_staff(edition, TeamMember.Role.ORGANIZER)
    first = services.register(user=make_delegate(), category=open_category, send_email=False)
    second = services.register(user=make_delegate(), category=open_category, send_email=False)  # waits
    pending = services.register(user=make_delegate(), category=vetted, send_email=False)
    services.approve(registration=pending, by=organizer, send_email=False)
    services.cancel(registration=first, by=first.user, send_email=False)  # promotes ``second``
    confirmed = [a["registration_id"] for name, a, _i in heard if name == "registration_confirmed"]
    assert confirmed == [first.pk, pending.pk, second.pk]
    assert [a["registration_id"] for name, a, _i in heard if name == "registration_ended"] == [first.pk]


def test_a_failing_receiver_is_logged_and_undoes_nothing(confirmed, heard, caplog):
    def broken(**_arguments):
        raise RuntimeError("receiver broke")

    signals.registration_ended.connect(broken, dispatch_uid="test.broken")
    try:
        heard.clear()
        with caplog.at_level(logging.ERROR, logger="django.dispatch"):
            services.cancel(registration=confirmed, by=confirmed.user, send_email=False)
    finally:
        signals.registration_ended.disconnect(dispatch_uid="test.broken")
    assert Registration.objects.get(pk=confirmed.pk).status == S.CANCELLED
    assert names(heard) == ["registration_ended"]  # the other receivers still ran
    failures = [record for record in caplog.records if "receiver broke" in record.getMessage()]
    assert len(failures) == 1 and failures[0].exc_info is not None


def test_person_erasing_comes_inside_the_erasure_before_the_rows_go(confirmed, heard):
    from conference.models import User

    person = confirmed.user
    person_id = person.pk  # deleting the account clears ``person.pk``
    seen = {}

    def look(*, user_id, **_arguments):
        seen["user still there"] = User.objects.filter(pk=user_id).exists()
        seen["registration"] = Registration.objects.get(pk=confirmed.pk).status

    signals.person_erasing.connect(look, dispatch_uid="test.look")
    try:
        heard.clear()
        services.account_delete(user=person, send_email=False)
    finally:
        signals.person_erasing.disconnect(dispatch_uid="test.look")
    # Live registrations are cancelled (and announced) first; then the erasure.
    assert names(heard) == ["registration_ended", "person_erasing"]
    assert heard[1][1] == {"user_id": person_id} and heard[1][2] is True
    assert seen == {"user still there": True, "registration": S.CANCELLED}
    assert not User.objects.filter(pk=person_id).exists()


def test_a_failing_erasing_receiver_does_not_stop_the_erasure(confirmed, caplog):
    from conference.models import User

    def broken(**_arguments):
        with transaction.atomic():  # a receiver's writes sit in its own savepoint
            User.objects.filter(pk=confirmed.user_id).update(full_name="half done")
            raise RuntimeError("erasing receiver broke")

    signals.person_erasing.connect(broken, dispatch_uid="test.broken")
    try:
        with caplog.at_level(logging.ERROR, logger="django.dispatch"):
            services.account_delete(user=confirmed.user, send_email=False)
    finally:
        signals.person_erasing.disconnect(dispatch_uid="test.broken")
    assert not User.objects.filter(pk=confirmed.user_id).exists()
    assert any("erasing receiver broke" in record.getMessage() for record in caplog.records)


def test_registrations_and_the_core_never_import_the_apps_above():
    """The signals are the only way down: no module of the core or of registrations
    imports the programme, visas, exchanges, donations or logistics (the project
    wiring in conference/ -- settings, root URLs, Celery, WSGI/ASGI -- excepted)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    above = {"sessions", "visas", "exchanges", "donations", "logistics"}
    wiring = {"settings.py", "urls.py", "celery.py", "wsgi.py", "asgi.py"}
    found = []
    for app in ("conference", "registrations"):
        for path in sorted((root / app).rglob("*.py")):
            if app == "conference" and path.parent.name == "conference" and path.name in wiring:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                where = path.relative_to(root)
                found += [f"{where}: {name}" for name in names if name.split(".")[0] in above]
    assert found == []
