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
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from conference.exceptions import ConferenceError
from conference.mail import queue_email
from conference.models import Conference, Governorate, OutgoingEmail, TeamMember, Track, User

log = logging.getLogger(__name__)


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
    language. Adding a role they already hold is refused with a clear message."""
    if role not in TeamMember.Role.values:
        raise ConferenceError(_("Unknown role."), code="unknown_role", field="role")
    try:
        with transaction.atomic():
            member = TeamMember.objects.create(
                conference=conference, user=user, role=role, added_by=added_by
            )
    except IntegrityError:
        raise ConferenceError(
            _("%(person)s already has this role.") % {"person": user.get_full_name()},
            code="already_member",
            field="role",
        ) from None
    log.info("team: %s given role %s in %s by %s", user.pk, role, conference.slug, added_by)
    queue_email(
        to=user.email,
        name="team_member_added",
        language=user.preferred_language,
        context={
            "person_name": user.get_full_name(),
            "edition_title": conference.title,
            "role_label": TeamMember.Role(role).label,
            "staff_path": _path_in(user.preferred_language, "staff_team", edition=conference.slug),
        },
    )
    return member


def team_member_remove(*, member: TeamMember, removed_by: User | None = None) -> None:
    log.info(
        "team: %s loses role %s in %s (by %s)",
        member.user_id, member.role, member.conference.slug, removed_by,
    )
    member.delete()


def _path_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


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
        raise ConferenceError(
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
