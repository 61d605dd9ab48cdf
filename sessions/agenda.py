"""A delegate's personal agenda: starred sessions plus workshop sign-ups, read from the
latest published release, and its secret iCal address."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction

from conference.models import Conference, User
from sessions.models import AgendaFeed, Proposal, Slot, Star, WorkshopSignup
from sessions.selectors import latest_release, placed_slots


@dataclass
class AgendaEntry:
    slot: Slot
    starred: bool
    signup: WorkshopSignup | None

    @property
    def proposal(self) -> Proposal:
        return self.slot.proposal


def star(*, user: User, proposal: Proposal) -> None:
    Star.objects.get_or_create(user=user, proposal=proposal)


def unstar(*, user: User, proposal: Proposal) -> None:
    Star.objects.filter(user=user, proposal=proposal).delete()


def agenda(user: User, conference: Conference) -> list[AgendaEntry]:
    """Four queries whatever the agenda's size: the release, the stars, the sign-ups
    and the slots (plus the speakers' prefetch)."""
    release = latest_release(conference)
    if release is None:
        return []
    starred = set(
        Star.objects.filter(user=user, proposal__conference=conference).values_list("proposal_id", flat=True)
    )
    signups = {
        signup.proposal_id: signup
        for signup in WorkshopSignup.objects.filter(
            user=user,
            proposal__conference=conference,
            status__in=WorkshopSignup.LIVE,
        )
    }
    wanted = starred | set(signups)
    if not wanted:
        return []
    slots = placed_slots(release).filter(proposal_id__in=wanted)
    return [AgendaEntry(slot, slot.proposal_id in starred, signups.get(slot.proposal_id)) for slot in slots]


def clashes(entries: list[AgendaEntry]) -> list[tuple[AgendaEntry, AgendaEntry]]:
    """Pairs of entries that overlap in time (touching end to start is no clash)."""
    ordered = sorted(entries, key=lambda entry: (entry.slot.starts_at, entry.slot.ends_at))
    pairs = []
    open_entries: list[AgendaEntry] = []
    for entry in ordered:
        open_entries = [other for other in open_entries if other.slot.ends_at > entry.slot.starts_at]
        pairs.extend((other, entry) for other in open_entries)
        open_entries.append(entry)
    return pairs


def feed(user: User, conference: Conference) -> AgendaFeed:
    return AgendaFeed.objects.get_or_create(user=user, conference=conference)[0]


def regenerate_feed(user: User, conference: Conference) -> AgendaFeed:
    with transaction.atomic():
        current = feed(user, conference)
        current.token = secrets.token_urlsafe(32)
        current.save(update_fields=["token"])
    return current


def feed_owner(token: str) -> AgendaFeed | None:
    if not token or len(token) > 64:
        return None
    return AgendaFeed.objects.select_related("user", "conference").filter(token=token).first()
