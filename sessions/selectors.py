"""Reads of the programme shared by the public pages, the feeds and agendas.

Each function fetches a whole schedule in a fixed number of queries, whatever its size:
slots with their session, track and room in one join, speakers and their profiles in
one prefetch.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet
from django.utils import formats, timezone

from conference.models import Conference
from registrations import people
from sessions.models import Proposal, Schedule, Slot, Speaker


def latest_release(conference: Conference) -> Schedule | None:
    """The schedule the public sees: the highest published version."""
    return Schedule.objects.filter(conference=conference, version__isnull=False).order_by("-version").first()


# What public pages and feeds need of a speaker. Loading whole profiles would decrypt
# every speaker's passport fields on each view, for nothing. The profile fields are the
# ones the name rules read (registrations.people.NAME_FIELDS).
PUBLIC_SPEAKER_FIELDS = (
    "proposal_id",
    "user_id",
    "role",
    "confirmed_at",
    "order",
    "user__full_name",
    *(f"user__delegate_profile__{field}" for field in people.NAME_FIELDS),
)


def speakers_prefetch(prefix: str = "proposal__") -> Prefetch:
    return Prefetch(
        f"{prefix}speakers",
        queryset=Speaker.objects.select_related("user__delegate_profile")
        .only(*PUBLIC_SPEAKER_FIELDS)
        .order_by("order", "pk"),
    )


def placed_slots(schedule: Schedule) -> QuerySet[Slot]:
    """The placed sessions of one version, in time order, ready to print."""
    return (
        Slot.objects.filter(schedule=schedule, room__isnull=False)
        .exclude(proposal__state=Proposal.State.CANCELLED)
        .select_related("proposal__track", "room")
        .prefetch_related(speakers_prefetch())
        .order_by("starts_at", "room__order", "pk")
    )


def released_slot(proposal: Proposal) -> Slot | None:
    """Where the latest release places the session (with its room), or None."""
    release = latest_release(proposal.conference)
    if release is None:
        return None
    return (
        Slot.objects.filter(schedule=release, proposal=proposal, room__isnull=False)
        .select_related("room", "proposal__conference")
        .first()
    )


def slot_when(slot: Slot, tz: ZoneInfo) -> str:
    """The day and hours of a placed session, e.g. "Tuesday 13 April 10:00 to 11:30" with
    an en dash, in the active language and the given time zone."""
    start, end = timezone.localtime(slot.starts_at, tz), timezone.localtime(slot.ends_at, tz)
    day, hours = formats.date_format(start, "l j F"), formats.time_format(start, "H:i")
    return f"{day} {hours}\u2013{formats.time_format(end, 'H:i')}"


def public_speaker_name(speaker: Speaker) -> str | None:
    """The name a speaker is shown by in public, or None when they must not be named:
    people at risk are never named publicly, and an invitee who has not confirmed is not
    on the programme yet."""
    if speaker.user_id is None or speaker.confirmed_at is None:
        return None
    return people.public_name(speaker.user)


def public_speakers(proposal: Proposal) -> tuple[list[str], int]:
    """Named speakers of a session and how many others are on it unnamed."""
    names, unnamed = [], 0
    for speaker in proposal.speakers.all():
        name = public_speaker_name(speaker)
        if name:
            names.append(name)
        elif speaker.confirmed_at is not None:
            unnamed += 1
    return names, unnamed
