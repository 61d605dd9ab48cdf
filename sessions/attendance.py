"""Attendance at sessions: badge scans at room doors.

The badge issue's scanner calls ``record_scan``; it answers at once whether the person
was let in for the first time, came back, or is at the wrong door. One row per person
and session (the first scan counts; later scans only move ``last_seen_at``), so a
session's headcount is a count of rows and a scanner that retries after a network
error never counts anyone twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.models import User
from registrations.people import is_confirmed_delegate
from sessions.exceptions import ProgrammeError
from sessions.models import Attendance, Proposal, Room
from sessions.selectors import released_slot


@dataclass(frozen=True)
class ScanResult:
    attendance: Attendance
    first_time: bool


def record_scan(
    *,
    proposal: Proposal,
    user: User,
    room: Room | None = None,
    by: User | None = None,
    at: dt.datetime | None = None,
) -> ScanResult:
    """Record that ``user`` came in to ``proposal``. Only delegates with a confirmed
    registration are let in; a scan at a door other than the session's room in the
    published programme is refused, so people are sent to the right room."""
    at = at or timezone.now()
    if not is_confirmed_delegate(user=user, conference=proposal.conference):
        raise ProgrammeError(
            _("This badge does not belong to a confirmed delegate."), code="not_delegate", status=403
        )
    slot = released_slot(proposal)
    if slot is None:
        raise ProgrammeError(_("This session is not in the published programme."), code="not_published")
    if room is not None and room.pk != slot.room_id:
        raise ProgrammeError(_("This session takes place in another room."), code="wrong_room")
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                proposal=proposal,
                user=user,
                room_id=slot.room_id,
                first_seen_at=at,
                last_seen_at=at,
                scanned_by=by,
            )
        return ScanResult(attendance, True)
    except IntegrityError:
        # Seen before (or a retried scan racing the first): keep the first scan.
        Attendance.objects.filter(proposal=proposal, user=user).update(last_seen_at=at)
        return ScanResult(Attendance.objects.get(proposal=proposal, user=user), False)


def headcounts(proposals) -> dict[int, int]:
    """People seen at each session, in one query."""
    rows = (
        Attendance.objects.filter(proposal__in=proposals)
        .values("proposal_id")
        .annotate(people=Count("pk"))
        .values_list("proposal_id", "people")
    )
    return dict(rows)
