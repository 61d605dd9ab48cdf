"""The staff action log: append-only in Django and in the database, written inside the
action's transaction by every audited service, shown to organizers per edition."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation

from conference import audit, services
from conference.models import ActionLog, TeamMember
from registrations import services as registration_services
from sessions import scheduling, workshops
from sessions.models import Slot
from tests.sessions.conftest import at, make_confirmed_delegate, make_session, programme  # noqa: F401 (fixtures)

Role = TeamMember.Role
Verb = ActionLog.Verb


def rows(**filters):
    return list(ActionLog.objects.filter(**filters).order_by("pk"))


@pytest.fixture
def organizer(edition, make_staff):
    return make_staff(edition, Role.ORGANIZER, name="Rana Organizer", language="en")


@pytest.fixture
def entry(edition, organizer):
    with transaction.atomic():
        return audit.action_log(
            actor=organizer, verb=Verb.TEAM_ROLE_ADDED, obj=edition, conference=edition,
            reason="why", data={"role": "reviewer"},
        )


# --- Append-only ----------------------------------------------------------------------------
def test_django_refuses_to_change_or_delete_a_row(entry):
    entry.reason = "changed"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        ActionLog.objects.filter(pk=entry.pk).update(reason="changed")
    with pytest.raises(TypeError):
        ActionLog.objects.all().delete()
    with pytest.raises(TypeError):
        ActionLog._base_manager.filter(pk=entry.pk).update(reason="changed")
    fresh = ActionLog.objects.get(pk=entry.pk)
    assert (fresh.reason, fresh.verb) == ("why", Verb.TEAM_ROLE_ADDED)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE conference_actionlog SET reason = 'rewritten'",
        "UPDATE conference_actionlog SET actor_id = NULL, actor_label = '[erased]', reason = 'x'",
        "UPDATE conference_actionlog SET actor_label = 'Someone else'",
        pytest.param("DELETE FROM conference_actionlog", marks=pytest.mark.postgres),
    ],
)
def test_the_database_refuses_to_change_or_delete_a_row(entry, sql):
    # Runs on SQLite here and on PostgreSQL in the second pass (the triggers of 0004).
    # Deletes only on PostgreSQL: Django's flush empties SQLite tables with DELETE.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    fresh = ActionLog.objects.get(pk=entry.pk)
    assert (fresh.reason, fresh.actor_label) == ("why", "Rana Organizer")


def test_erasing_the_actor_keeps_the_row_without_the_name(entry, organizer):
    organizer.delete()
    fresh = ActionLog.objects.get(pk=entry.pk)
    assert fresh.actor_id is None and fresh.actor_label == ActionLog.ERASED
    assert (fresh.verb, fresh.reason, fresh.data, fresh.conference_id) == (
        entry.verb, "why", {"role": "reviewer"}, entry.conference_id,
    )
    with translation.override("en"):
        assert audit.action_log_describe([fresh])[0]["actor"] == "erased account"


def test_an_edition_with_an_audit_trail_cannot_be_deleted(entry, edition):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        edition.delete()


def test_unknown_verbs_and_passport_data_are_refused(edition, organizer):
    with pytest.raises(ValueError, match="unknown audit verb"):
        audit.action_log(actor=organizer, verb="team.renamed", conference=edition)
    with pytest.raises(ValueError, match="passport"):
        audit.action_log(
            actor=organizer, verb=Verb.PASSPORT_VIEWED, conference=edition,
            data={"from": {"passport_number": "A1234567"}},
        )
    assert not ActionLog.objects.exists()


def test_a_rolled_back_action_leaves_no_row(edition, organizer, make_user, mailoutbox):
    person = make_user()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.team_member_add(conference=edition, user=person, role=Role.REVIEWER, added_by=organizer)
        assert ActionLog.objects.count() == 1
        raise RuntimeError("the caller's transaction fails after the service")
    assert not ActionLog.objects.exists()
    assert not TeamMember.objects.filter(user=person).exists()


# --- Each audited action writes its row -----------------------------------------------------
def test_team_role_changes_are_logged(edition, organizer, make_staff, make_user, mailoutbox):
    person = make_user()
    member = services.team_member_add(
        conference=edition, user=person, role=Role.REVIEWER, added_by=organizer
    )
    member_pk = member.pk
    services.team_member_remove(member=member, removed_by=organizer)
    added, removed = rows(conference=edition)
    assert (added.verb, added.actor, added.conference) == (Verb.TEAM_ROLE_ADDED, organizer, edition)
    assert added.data == {"role": "reviewer", "person": person.pk}
    assert added.object_id == member_pk == removed.object_id and added.content_type.model == "teammember"
    assert (removed.verb, removed.actor) == (Verb.TEAM_ROLE_REMOVED, organizer)
    assert removed.data["person"] == person.pk


def test_the_passport_role_grant_flow_is_logged(edition, organizer, make_staff, make_user, mailoutbox):
    second = make_staff(edition, Role.ORGANIZER)
    officer, other = make_user(), make_user()
    request = services.team_role_request(
        conference=edition, user=officer, role=Role.VISA_OFFICER, requested_by=organizer
    )
    member = services.team_role_approve(request=request, by=second)
    refused = services.team_role_request(
        conference=edition, user=other, role=Role.VISA_OFFICER, requested_by=organizer
    )
    services.team_role_refuse(request=refused, by=second)
    withdrawn = services.team_role_request(
        conference=edition, user=other, role=Role.VISA_OFFICER, requested_by=organizer
    )
    services.team_role_withdraw(request=withdrawn, by=organizer)
    got = [(row.verb, row.actor_id, row.data["person"]) for row in rows(conference=edition)]
    assert got == [
        (Verb.TEAM_ROLE_REQUESTED, organizer.pk, officer.pk),
        (Verb.TEAM_ROLE_ADDED, second.pk, officer.pk),
        (Verb.TEAM_ROLE_REQUESTED, organizer.pk, other.pk),
        (Verb.TEAM_ROLE_REFUSED, second.pk, other.pk),
        (Verb.TEAM_ROLE_REQUESTED, organizer.pk, other.pk),
        (Verb.TEAM_ROLE_WITHDRAWN, organizer.pk, other.pk),
    ]
    approval = rows(verb=Verb.TEAM_ROLE_ADDED)[0]
    assert approval.object_id == member.pk
    assert approval.data["request"] == request.pk and approval.data["requested_by"] == organizer.pk


def test_registration_decisions_by_staff_are_logged_with_their_reason(
    edition, organizer, make_category, make_delegate, mailoutbox
):
    category = make_category(edition, requires_approval=True)
    first, second, third, own = (
        registration_services.register(user=make_delegate(), category=category) for _n in range(4)
    )
    registration_services.approve(registration=first, by=organizer, reason="Welcome")
    registration_services.reject(registration=second, by=organizer, reason="Not a civil society group")
    registration_services.decide_many(
        registrations=[third], action="cancel", by=organizer, reason="Duplicate"
    )
    registration_services.cancel(registration=own, by=own.user, reason="I cannot come")
    got = [(row.verb, row.actor, row.reason, row.object_id, row.data["from"], row.data["to"])
           for row in rows(conference=edition)]
    assert got == [
        (Verb.REGISTRATION_APPROVED, organizer, "Welcome", first.pk, "pending", "confirmed"),
        (Verb.REGISTRATION_REJECTED, organizer, "Not a civil society group", second.pk,
         "pending", "rejected"),
        (Verb.REGISTRATION_CANCELLED, organizer, "Duplicate", third.pk, "pending", "cancelled"),
    ]  # the delegate's own cancellation is theirs, not a staff action
    assert rows()[0].object_label == f"delegate #{first.pk}"


def test_a_refused_decision_leaves_no_row(edition, organizer, make_category, make_delegate, mailoutbox):
    category = make_category(edition)
    registration = registration_services.register(user=make_delegate(), category=category)
    result = registration_services.decide_many(registrations=[registration], action="approve", by=organizer)
    assert result["refused"] and not ActionLog.objects.exists()


def test_capacity_changes_are_logged(edition, organizer, make_category, make_delegate, mailoutbox):
    category = make_category(edition, capacity=1)
    registration_services.register(user=make_delegate(), category=category)
    registration_services.register(user=make_delegate(), category=category)
    registration_services.category_set_capacity(category=category, capacity=3, by=organizer)
    (row,) = rows()
    assert (row.verb, row.actor, row.conference, row.object_label) == (
        Verb.CATEGORY_CAPACITY_CHANGED, organizer, edition, "delegate",
    )
    assert row.data == {"from": 1, "to": 3, "promoted": 1}


def test_schedule_moves_and_releases_are_logged(programme, make_session, organizer, mailoutbox):  # noqa: F811
    session = make_session()
    slot = Slot.objects.get(proposal=session, schedule__version=None)
    room = programme["rooms"]["tigris"]
    scheduling.place(slot=slot, room=room, start=at(2, 11), by=organizer)
    release = scheduling.publish(conference=programme["conference"], comment={"en": "First"}, by=organizer)
    scheduling.unplace(slot=slot, by=organizer)
    moved, released, unplaced = rows()
    assert (moved.verb, moved.actor, moved.conference, moved.object_id) == (
        Verb.SCHEDULE_MOVED, organizer, programme["conference"], session.pk,
    )
    assert moved.data == {"from": {"room": None, "start": None},
                          "to": {"room": "tigris", "start": "2027-04-14 11:00"}}
    assert (released.verb, released.object_id, released.object_label) == (
        Verb.SCHEDULE_RELEASED, release.pk, "v1",
    )
    assert released.data == {"version": 1, "added": 1, "moved": 0, "cancelled": 0}
    assert (unplaced.verb, unplaced.data["to"]) == (Verb.SCHEDULE_UNPLACED, {"room": None, "start": None})


def test_workshop_places_changes_are_logged(programme, make_session, organizer):  # noqa: F811
    session = make_session()
    workshops.set_places(proposal=session, places=12, by=organizer)
    (row,) = rows()
    assert (row.verb, row.actor, row.conference, row.object_id) == (
        Verb.WORKSHOP_PLACES_CHANGED, organizer, programme["conference"], session.pk,
    )
    assert row.data == {"from": None, "to": 12, "promoted": 0}


def test_passport_views_are_logged_without_passport_data(edition, make_staff, make_delegate, make_user):
    from registrations.models import PassportAccessLog

    officer = make_staff(edition, Role.VISA_OFFICER)
    person = make_delegate(passport_number="A1234567")
    registration_services.passport_data_read(
        viewer=officer, profile=person.delegate_profile, conference=edition, context="profile"
    )
    registration_services.passport_views_log(
        viewer=officer, conference=edition, subject_ids=[person.pk, make_user().pk], context="export"
    )
    seen, exported = rows()
    assert (seen.verb, seen.actor, seen.conference) == (Verb.PASSPORT_VIEWED, officer, edition)
    assert seen.data == {"context": "profile", "people": 1, "person": person.pk}
    assert exported.data == {"context": "export", "people": 2}
    assert "A1234567" not in str(seen.data) + seen.object_label + seen.reason
    assert PassportAccessLog.objects.count() == 3  # the per-person log keeps its rows


# --- The organizers' page ---------------------------------------------------------------------
def url(edition, language="en"):
    return f"/{language}/{edition.slug}/staff/log/"


def test_only_organizers_open_the_page(client, edition, organizer, make_staff):
    assert client.get(url(edition)).status_code == 302  # to the login page
    for role in (Role.REVIEWER, Role.VISA_OFFICER, Role.VENUE_STAFF, Role.FINANCE_ETHICS):
        client.force_login(make_staff(edition, role))
        assert client.get(url(edition)).status_code == 403
        assert "/staff/log/" not in client.get(f"/en/{edition.slug}/staff/").content.decode()
    client.force_login(organizer)
    assert client.get(url(edition)).status_code == 200
    team_page = client.get(f"/en/{edition.slug}/staff/").content.decode()
    assert f'href="/en/{edition.slug}/staff/log/"' in team_page
    assert client.post(url(edition)).status_code == 405


def _log_some(edition, organizer, other, n):
    from conference.models import Conference

    elsewhere = Conference.objects.exclude(pk=edition.pk).first()
    with transaction.atomic():
        for index in range(n):
            audit.action_log(
                actor=organizer if index % 2 else other,
                verb=Verb.TEAM_ROLE_ADDED if index % 2 else Verb.REGISTRATION_REJECTED,
                obj=organizer if index % 2 else edition,
                conference=edition,
                reason=f"reason {index}",
                data=(
                    {"role": "reviewer", "person": other.pk} if index % 2
                    else {"from": "pending", "to": "rejected"}
                ),
            )
        if elsewhere is not None:
            audit.action_log(
                actor=organizer, verb=Verb.TEAM_ROLE_ADDED, conference=elsewhere, reason="other edition"
            )


def test_the_page_lists_newest_first_and_filters(client, edition, organizer, make_staff, make_conference):
    make_conference("erbil-2028", start_date=dt.date(2028, 5, 1), end_date=dt.date(2028, 5, 2))
    other = make_staff(edition, Role.ORGANIZER, name="Karwan Second")
    _log_some(edition, organizer, other, 4)
    client.force_login(organizer)
    body = client.get(url(edition)).content.decode()
    assert body.index("reason 3") < body.index("reason 2") < body.index("reason 0")
    assert "other edition" not in body
    assert "Role given" in body and "Karwan Second" in body and "reviewer".capitalize() in body

    def reasons(**params):
        response = client.get(url(edition), params)
        return sorted(row["entry"].reason for row in response.context["rows"])

    assert reasons(group="team") == ["reason 1", "reason 3"]
    assert reasons(group="registration") == ["reason 0", "reason 2"]
    assert reasons(actor=other.pk) == ["reason 0", "reason 2"]
    from django.contrib.contenttypes.models import ContentType

    user_type = ContentType.objects.get_for_model(organizer)
    assert reasons(object_type=user_type.pk) == ["reason 1", "reason 3"]
    today = timezone.localdate(timezone.now(), edition.tzinfo)
    assert len(reasons(since=today.isoformat(), until=today.isoformat())) == 4
    assert reasons(since=(today + dt.timedelta(days=1)).isoformat()) == []
    assert reasons(until=(today - dt.timedelta(days=1)).isoformat()) == []


def test_the_page_reads_right_to_left_in_arabic_and_sorani(client, edition, organizer, make_staff):
    _log_some(edition, organizer, make_staff(edition, Role.ORGANIZER), 2)
    client.force_login(organizer)
    for language in ("ar", "ckb"):
        body = client.get(url(edition, language)).content.decode()
        assert f'lang="{language}" dir="rtl"' in body
        assert "reason 1" in body


@pytest.mark.parametrize("count", [3, 60])
def test_the_page_query_count_is_flat(
    client, edition, organizer, make_staff, count, django_assert_num_queries
):
    _log_some(edition, organizer, make_staff(edition, Role.ORGANIZER), count)
    client.force_login(organizer)
    client.get(url(edition))  # warm the content-type cache and the session
    # session, user, edition, roles, TOTP, actor choices, object types, count, page, named people
    with django_assert_num_queries(10):
        response = client.get(url(edition))
    assert response.status_code == 200


def test_the_log_is_not_in_the_admin():
    from django.contrib import admin

    assert ActionLog not in admin.site._registry
