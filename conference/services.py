"""The only writers of the core's data. One function per state change: validate, lock
where needed, write, and queue side effects (e-mail) with transaction.on_commit."""

from __future__ import annotations

import csv
import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conference.audit import action_log
from conference.exceptions import DomainError
from conference.models import (
    ActionLog,
    Conference,
    Governorate,
    OutgoingEmail,
    RoleGrantEvent,
    TeamMember,
    Track,
    User,
)
from conference.notify import notify
from conference.permissions import (
    Perm,
    has_perm,
    role_grant_approval_refused,
    role_needs_second_person,
)

log = logging.getLogger(__name__)
Action = RoleGrantEvent.Action
Verb = ActionLog.Verb


# --- Editions ------------------------------------------------------------------------
def conference_make_current(*, conference: Conference) -> Conference:
    """Make ``conference`` the one current edition. The partial unique index
    ``one_current_edition`` guarantees no two are current, even if two organizers
    press the button at once: the loser's transaction fails and is retried by them."""
    with transaction.atomic():
        Conference.objects.filter(is_current=True).exclude(pk=conference.pk).update(
            is_current=False
        )
        Conference.objects.filter(pk=conference.pk).update(is_current=True)
    conference.is_current = True
    return conference


# --- Team ----------------------------------------------------------------------------
def team_member_add(
    *, conference: Conference, user: User, role: str, added_by: User | None = None
) -> TeamMember:
    """Give ``user`` a role in the edition's team and tell them by e-mail, in their
    language. Adding a role they already hold is refused with a clear message.

    A role that opens passports (permissions.role_needs_second_person) is given here
    only by a superuser: the grant is logged and the edition's organizers and visa
    officers are told. Organizers ask for it with team_role_request instead."""
    if role not in TeamMember.Role.values:
        raise DomainError(_("Unknown role."), code="unknown_role", field="role")
    guarded = role_needs_second_person(role)
    if guarded and not (added_by is not None and added_by.is_superuser):
        raise DomainError(
            _("This role reads passports: another organizer must approve it."),
            code="needs_approval",
            field="role",
        )
    with transaction.atomic():
        member = _member_create(conference=conference, user=user, role=role, added_by=added_by)
        _log_team(Verb.TEAM_ROLE_ADDED, actor=added_by, obj=member, role=role, person_id=user.pk)
        if guarded:
            RoleGrantEvent.objects.create(
                conference=conference, user=user, role=role, action=Action.GRANTED, by=added_by
            )
    log.info("team: %s given role %s in %s by %s", user.pk, role, conference.slug, added_by)
    _tell_member(member)
    if guarded:
        _tell_team_of_grant(member, requested_by=None, given_by=added_by)
    return member


def team_member_remove(*, member: TeamMember, removed_by: User | None = None) -> None:
    log.info(
        "team: %s loses role %s in %s (by %s)",
        member.user_id, member.role, member.conference.slug, removed_by,
    )
    with transaction.atomic():
        if role_needs_second_person(member.role):
            RoleGrantEvent.objects.create(
                conference=member.conference, user=member.user, role=member.role,
                action=Action.REMOVED, by=removed_by,
            )
        _log_team(
            Verb.TEAM_ROLE_REMOVED, actor=removed_by, obj=member, role=member.role, person_id=member.user_id
        )
        member.delete()


def team_role_request(
    *, conference: Conference, user: User, role: str, requested_by: User
) -> RoleGrantEvent:
    """Ask for a role that needs a second person. Nothing is given yet: the request
    waits on the team page, and the edition's other organizers are asked by e-mail."""
    if not role_needs_second_person(role):
        raise DomainError(_("This role is given directly."), code="direct_role", field="role")
    if not has_perm(requested_by, Perm.MANAGE_TEAM, conference):
        raise DomainError(_("Only organizers of this edition can ask."), code="not_allowed", status=403)
    with transaction.atomic():
        # One request at a time per edition: two organizers asking together would
        # otherwise both see "nothing pending" and leave two requests.
        Conference.objects.select_for_update().filter(pk=conference.pk).first()
        if TeamMember.objects.filter(conference=conference, user=user, role=role).exists():
            raise _already_member(user)
        if RoleGrantEvent.objects.pending().filter(conference=conference, user=user, role=role).exists():
            raise DomainError(
                _("%(person)s is already waiting for this role to be approved.")
                % {"person": user.get_full_name()},
                code="already_requested",
                field="role",
            )
        request = RoleGrantEvent.objects.create(
            conference=conference, user=user, role=role, action=Action.REQUESTED, by=requested_by
        )
        _log_team(Verb.TEAM_ROLE_REQUESTED, actor=requested_by, obj=request, role=role, person_id=user.pk)
    log.info("team: %s asks role %s for %s in %s", requested_by.pk, role, user.pk, conference.slug)
    approvers = _team_users(conference, [TeamMember.Role.ORGANIZER], exclude=[requested_by, user])
    for person in approvers:
        notify(
            to=person,
            template="team_role_requested",
            context={
                **_grant_context(conference, role),
                "grantee_name": user.get_full_name(),
                "requester_name": requested_by.get_full_name(),
            },
            links=_staff_link(conference),
        )
    return request


# What the would-be approver is told, by permissions.role_grant_approval_refused's code.
_APPROVAL_REFUSED = {
    "own_request": _("You asked for this: another organizer must approve it."),
    "own_grant": _("Another organizer must approve a role given to you."),
    "not_allowed": _("Only organizers of this edition can answer."),
    "added_by_requester": _(
        "You were made organizer by the person who asked: another organizer must approve it."
    ),
}


def team_role_approve(*, request: RoleGrantEvent, by: User) -> TeamMember:
    """The second person says yes: the role is given, logged, and the team is told.
    Neither the requester nor the person receiving the role may approve."""
    with transaction.atomic():
        request = _answerable(request, by=by)
        refused = role_grant_approval_refused(by, request)
        if refused is not None:
            raise DomainError(_APPROVAL_REFUSED[refused], code=refused)
        if request.user is None or not request.user.is_active:
            raise DomainError(_("This account no longer exists."), code="gone")
        member = _member_create(
            conference=request.conference, user=request.user, role=request.role, added_by=by
        )
        _answer(request, action=Action.APPROVED, by=by)
        _log_team(
            Verb.TEAM_ROLE_ADDED, actor=by, obj=member, role=request.role, person_id=request.user_id,
            request=request.pk, requested_by=request.by_id,
        )
    log.info("team: %s approves request %s", by.pk, request.pk)
    _tell_member(member)
    _tell_team_of_grant(member, requested_by=request.by, given_by=by)
    return member


def team_role_refuse(*, request: RoleGrantEvent, by: User) -> RoleGrantEvent:
    with transaction.atomic():
        request = _answerable(request, by=by)
        if by.pk == request.by_id:
            raise DomainError(
                _("You asked for this: withdraw it instead."), code="own_request"
            )
        answer = _answer(request, action=Action.REFUSED, by=by)
        _log_team(Verb.TEAM_ROLE_REFUSED, actor=by, obj=request, role=request.role, person_id=request.user_id)
    log.info("team: %s refuses request %s", by.pk, request.pk)
    return answer


def team_role_withdraw(*, request: RoleGrantEvent, by: User) -> RoleGrantEvent:
    with transaction.atomic():
        request = _answerable(request, by=by)
        if by.pk != request.by_id:
            raise DomainError(
                _("Only the organizer who asked can withdraw it."), code="not_requester"
            )
        answer = _answer(request, action=Action.WITHDRAWN, by=by)
        _log_team(
            Verb.TEAM_ROLE_WITHDRAWN, actor=by, obj=request, role=request.role, person_id=request.user_id
        )
    log.info("team: %s withdraws request %s", by.pk, request.pk)
    return answer


def _answerable(request: RoleGrantEvent, *, by: User) -> RoleGrantEvent:
    """Lock the request and check it still waits and ``by`` runs this edition's team.
    Caller holds a transaction."""
    request = (
        # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the user join.
        RoleGrantEvent.objects.select_for_update(of=("self",))
        .select_related("conference", "user")
        .get(pk=request.pk, action=Action.REQUESTED)
    )
    if RoleGrantEvent.objects.filter(request=request).exists():
        raise DomainError(_("This request has already been answered."), code="handled", status=409)
    if not has_perm(by, Perm.MANAGE_TEAM, request.conference):
        raise DomainError(_("Only organizers of this edition can answer."), code="not_allowed", status=403)
    return request


def _answer(request: RoleGrantEvent, *, action: str, by: User) -> RoleGrantEvent:
    try:
        # The one-to-one on ``request`` settles a race between two answers.
        with transaction.atomic():
            return RoleGrantEvent.objects.create(
                conference=request.conference, user=request.user, role=request.role,
                action=action, by=by, request=request,
            )
    except IntegrityError:
        raise DomainError(
            _("This request has already been answered."), code="handled", status=409
        ) from None


def _log_team(verb: str, *, actor, obj, role: str, person_id, **extra) -> None:
    """The audit row of a team change; caller holds the change's transaction. The
    person is kept by id (the log page names them while the account exists)."""
    action_log(
        actor=actor, verb=verb, obj=obj, conference=obj.conference,
        data={"role": role, "person": person_id, **extra},
    )


def _already_member(user: User) -> DomainError:
    return DomainError(
        _("%(person)s already has this role.") % {"person": user.get_full_name()},
        code="already_member",
        field="role",
    )


def _member_create(*, conference: Conference, user: User, role: str, added_by: User | None):
    try:
        with transaction.atomic():
            return TeamMember.objects.create(
                conference=conference, user=user, role=role, added_by=added_by
            )
    except IntegrityError:
        raise _already_member(user) from None


def _team_users(conference: Conference, roles, *, exclude) -> list[User]:
    excluded = {person.pk for person in exclude if person is not None}
    return list(
        User.objects.filter(
            is_active=True, team_roles__conference=conference, team_roles__role__in=roles
        )
        .exclude(pk__in=excluded)
        .distinct()
        .order_by("pk")
    )


def _grant_context(conference: Conference, role: str) -> dict:
    # The label stays lazy: notify renders it in each reader's language.
    return {"edition_title": conference.title, "role_label": TeamMember.Role(role).label}


def _staff_link(conference: Conference) -> dict:
    return {"staff_path": ("staff_team", {"edition": conference.slug})}


def _tell_member(member: TeamMember) -> None:
    notify(
        to=member.user,
        template="team_member_added",
        context=_grant_context(member.conference, member.role),
        links=_staff_link(member.conference),
    )


def _tell_team_of_grant(member: TeamMember, *, requested_by: User | None, given_by: User) -> None:
    """Someone may now read passports: every other organizer and visa officer of the
    edition hears of it, so a grant nobody expected is noticed."""
    watchers = _team_users(
        member.conference,
        [TeamMember.Role.ORGANIZER, TeamMember.Role.VISA_OFFICER],
        exclude=[member.user, given_by],
    )
    for person in watchers:
        notify(
            to=person,
            template="team_role_granted",
            context={
                **_grant_context(member.conference, member.role),
                "grantee_name": member.user.get_full_name(),
                "requester_name": requested_by.get_full_name() if requested_by else "",
                "approver_name": given_by.get_full_name(),
                "by_superuser": requested_by is None,
            },
            links=_staff_link(member.conference),
        )


# --- E-mail --------------------------------------------------------------------------
def outgoing_email_send(*, email_id: int) -> str:
    """Send one queued e-mail. Safe to call twice: the row is locked and a sent e-mail
    is never sent again, so a retried or duplicated task costs nothing."""
    failure: OSError | None = None
    with transaction.atomic():
        # The row lock makes a duplicated task wait here, then see SENT and stop.
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            return "missing"
        if email.status == OutgoingEmail.Status.SENT:
            return "already_sent"
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
            headers={"Content-Language": email.language},
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        email.attempts += 1
        try:
            message.send()
        except OSError as error:
            failure = error
            email.status = OutgoingEmail.Status.FAILED
            email.last_error = str(error)[:2000]
            email.save(update_fields=["status", "attempts", "last_error"])
        else:
            email.status = OutgoingEmail.Status.SENT
            email.sent_at = timezone.now()
            email.save(update_fields=["status", "attempts", "sent_at"])
    if failure is not None:
        # Recorded above and committed; raising lets the task retry with back-off.
        raise failure
    return "sent"


def outgoing_email_prune(*, now=None) -> int:
    """Delete sent e-mails older than OUTGOING_EMAIL_KEEP_DAYS; failed and queued ones
    stay until they are sent or a person looks at them."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.OUTGOING_EMAIL_KEEP_DAYS)
    deleted, _by_model = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.SENT, sent_at__lt=cutoff
    ).delete()
    return deleted


# --- Reference data ------------------------------------------------------------------
def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise DomainError(
            f"Reference data file {path} is missing (set REFERENCE_DATA_DIR).", code="no_data"
        )
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def reference_data_load(*, directory: Path | None = None) -> dict[str, int]:
    """Load the charter's tracks and Iraq's governorates from the CSV files shipped in
    `conference/data/` (or REFERENCE_DATA_DIR). Idempotent: rows are matched by slug/code
    and updated in place."""
    directory = Path(directory or settings.REFERENCE_DATA_DIR)
    tracks = _read_csv(directory / "tracks.csv")
    governorates = _read_csv(directory / "governorates.csv")
    with transaction.atomic():
        # Orders are unique: park the existing ones out of the way, so a reordered CSV
        # never collides with a row not yet updated.
        Track.objects.update(order=F("order") + 1000)
        for row in tracks:
            scope = {"en": row["scope_en"]} if row.get("scope_en") else {}
            Track.objects.update_or_create(
                slug=row["slug"],
                defaults={
                    "order": int(row["order"]),
                    "name": {code: row[f"name_{code}"] for code in ("ar", "ckb", "en")},
                    "scope": scope,
                },
            )
        for position, row in enumerate(governorates, start=1):
            Governorate.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": {code: row[f"name_{code}"] for code in ("ar", "ckb", "en")},
                    "region": row["region"],
                    "order": position,
                },
            )
    return {"tracks": len(tracks), "governorates": len(governorates)}


# --- Accounts and the directory (written for the apps above the core) -----------------
def account_name_set(*, user: User, full_name: str) -> None:
    """Give an account its name (the registrations app fills an empty one from the
    passport name). Writes that one column, so a concurrent save loses nothing."""
    user.full_name = full_name
    User.objects.filter(pk=user.pk).update(full_name=full_name)


def account_create_verified(*, email: str, full_name: str, preferred_language: str) -> User:
    """An account without a password whose address counts as verified: made for a
    person invited by e-mail, whose following the invitation's link proves the address."""
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(
        email, password=None, full_name=full_name, preferred_language=preferred_language
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def organization_create(*, slug: str, name: str, name_ar: str, kind: str, country, website: str):
    """Add an organisation to the directory, unverified (an organizer verifies it)."""
    from conference.models import Organization

    return Organization.objects.create(
        slug=slug, name=name, name_ar=name_ar, kind=kind, country=country, website=website
    )


def accounts_create_verified(*, accounts: list[User]) -> list[User]:
    """Insert many unsaved accounts in one statement, each with a verified address (the
    demo's people); returns them as stored."""
    from allauth.account.models import EmailAddress

    User.objects.bulk_create(accounts)
    fresh = list(User.objects.filter(email__in=[user.email for user in accounts]))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in fresh]
    )
    return fresh


def accounts_rename(*, users: list[User]) -> None:
    """Store the ``full_name`` each of ``users`` carries, in one statement."""
    User.objects.bulk_update(users, ["full_name"])


def outgoing_email_forget(*, address: str) -> int:
    """Delete the stored e-mails sent to an address (an account being erased): their
    bodies hold the person's name and data."""
    deleted, _by_model = OutgoingEmail.objects.filter(to__iexact=address).delete()
    return deleted
