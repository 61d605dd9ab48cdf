"""Workshop sign-up: places, a waiting list, and no overselling.

The guarantee is the registrations one: a sign-up decision takes a row lock on the
session (``SELECT … FOR NO KEY UPDATE``) and only then counts the places taken, in a
statement of its own. Under READ COMMITTED a statement sees what was committed when it
began, so a count that starts after the lock is granted sees every place the previous
lock holder took. Before the session, the person's row is locked too: that keeps one
person's sign-ups in order, so two clashing workshops cannot both slip past the clash
check from two browser tabs. The lock order is always person, then session.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conference.audit import action_log
from conference.i18n import as_translated
from conference.models import ActionLog, Conference, User
from conference.notify import notify
from registrations.people import is_confirmed_delegate
from sessions.exceptions import ProgrammeError
from sessions.models import Proposal, Slot, WorkshopSignup
from sessions.selectors import released_slot, slot_when

log = logging.getLogger(__name__)
S = WorkshopSignup.Status
LIVE = WorkshopSignup.LIVE


def seats_taken(proposal: Proposal) -> int:
    return WorkshopSignup.objects.filter(proposal=proposal, status=S.CONFIRMED).count()


def waitlist_position(signup: WorkshopSignup) -> int | None:
    if signup.status != S.WAITLISTED or signup.waitlist_seq is None:
        return None
    return WorkshopSignup.objects.filter(
        proposal_id=signup.proposal_id, status=S.WAITLISTED, waitlist_seq__lte=signup.waitlist_seq
    ).count()


def _released_slot(proposal: Proposal) -> Slot:
    slot = released_slot(proposal)
    if slot is None:
        raise ProgrammeError(_("This session is not in the published programme."), code="not_published")
    return slot


def _check_can_sign_up(proposal: Proposal, user: User) -> Slot:
    if proposal.signup_capacity is None or proposal.state != Proposal.State.ACCEPTED:
        raise ProgrammeError(_("This session has no sign-up: just come."), code="no_signup")
    slot = _released_slot(proposal)
    if not is_confirmed_delegate(user=user, conference=proposal.conference):
        raise ProgrammeError(
            _("Only delegates with a confirmed registration can sign up for workshops."),
            code="not_delegate",
            status=403,
        )
    return slot


def _clash(slot: Slot, user: User) -> Slot | None:
    """Another workshop the person holds a place (or a waiting-list place) in that
    overlaps this one in the published programme."""
    return (
        Slot.objects.filter(
            schedule_id=slot.schedule_id,
            room__isnull=False,
            starts_at__lt=slot.ends_at,
            ends_at__gt=slot.starts_at,
            proposal__signups__user=user,
            proposal__signups__status__in=LIVE,
        )
        .exclude(proposal_id=slot.proposal_id)
        .select_related("proposal__conference")
        .first()
    )


def sign_up(*, proposal: Proposal, user: User, now: dt.datetime | None = None) -> WorkshopSignup:
    """A place in the workshop, or a place on its waiting list when it is full.
    Idempotent: a person already signed up gets their sign-up back."""
    with transaction.atomic():
        User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()
        # Checked under the person's lock: a registration that ends meanwhile has its
        # places released under this same lock (signups_release_for), so either that
        # release sees this sign-up or this check sees the ending.
        slot = _check_can_sign_up(proposal, user)
        locked = Proposal.objects.select_for_update(no_key=True, of=("self",)).get(pk=proposal.pk)
        existing = WorkshopSignup.objects.filter(proposal=locked, user=user, status__in=LIVE).first()
        if existing is not None:
            return existing
        other = _clash(slot, user)
        if other is not None:
            raise ProgrammeError(
                _("This workshop clashes with “%(title)s” (%(when)s), which you are signed up for.")
                % {
                    "title": as_translated(other.proposal.title),
                    "when": slot_when(other, ZoneInfo(other.proposal.conference.time_zone)),
                },
                code="clash",
            )
        # A statement of its own after the lock (see the module docstring).
        figures = WorkshopSignup.objects.filter(proposal=locked).aggregate(
            taken=Count("pk", filter=Q(status=S.CONFIRMED)), last=Max("waitlist_seq")
        )
        if figures["taken"] < locked.signup_capacity:
            status, sequence = S.CONFIRMED, None
        else:
            status, sequence = S.WAITLISTED, (figures["last"] or 0) + 1
        signup = WorkshopSignup.objects.create(
            proposal=locked, user=user, status=status, waitlist_seq=sequence, created_at=now or timezone.now()
        )
    log.debug("workshop %s: %s %s", proposal.pk, user.pk, status)
    return signup


def cancel(*, proposal: Proposal, user: User) -> None:
    """Give the place up; the first person waiting takes it and is told by e-mail."""
    with transaction.atomic():
        User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()
        locked = Proposal.objects.select_for_update(no_key=True, of=("self",)).get(pk=proposal.pk)
        signup = WorkshopSignup.objects.filter(proposal=locked, user=user, status__in=LIVE).first()
        if signup is None:
            return
        signup.status = S.CANCELLED
        signup.save(update_fields=["status", "updated_at"])
        fill_free_places(locked)


def signups_release_for(
    *, user_id: int, conference_id: int | None = None, unless_confirmed: bool = False
) -> list[WorkshopSignup]:
    """Give up every live sign-up (a place or a place in line) the person holds in one
    edition, or in every edition when ``conference_id`` is None. Each freed place goes
    to the first person waiting, who is told by e-mail; the promoted are returned.
    Idempotent: with nothing live, nothing changes. Used when a registration ends or an
    account is erased (sessions/receivers.py). With ``unless_confirmed``, a person who
    holds a confirmed registration in the edition (registered again since) keeps
    everything. Locks the person, then the sessions in id order, as ``sign_up`` and
    ``cancel`` do; the check runs under the person's lock, as ``sign_up``'s does."""
    promoted: list[WorkshopSignup] = []
    held: set[int] = set()
    with transaction.atomic():
        person = User.objects.select_for_update(no_key=True).filter(pk=user_id).first()
        if unless_confirmed and person is not None and is_confirmed_delegate(
            user=person, conference=Conference.objects.get(pk=conference_id)
        ):
            return promoted
        live = WorkshopSignup.objects.filter(user_id=user_id, status__in=LIVE)
        if conference_id is not None:
            live = live.filter(proposal__conference_id=conference_id)
        held = set(live.values_list("proposal_id", flat=True))
        sessions = Proposal.objects.select_for_update(no_key=True, of=("self",)).filter(pk__in=held)
        for locked in sessions.order_by("pk"):
            WorkshopSignup.objects.filter(proposal=locked, user_id=user_id, status__in=LIVE).update(
                status=S.CANCELLED, updated_at=timezone.now()
            )
            promoted += fill_free_places(locked)
    if held:
        log.info("workshops %s: places of %s released", sorted(held), user_id)
    return promoted


def fill_free_places(proposal: Proposal) -> list[WorkshopSignup]:
    """Promote from the waiting list while places are free. Called with the session
    locked (after a cancellation, or when an organizer raised the places)."""
    if proposal.signup_capacity is None:
        return []
    free = proposal.signup_capacity - seats_taken(proposal)
    promoted = []
    if free <= 0:
        return promoted
    waiting = (
        WorkshopSignup.objects.filter(proposal=proposal, status=S.WAITLISTED)
        .select_related("user", "proposal__conference")
        .order_by("waitlist_seq", "pk")[:free]
    )
    slot = None
    for signup in waiting:
        signup.status = S.CONFIRMED
        signup.save(update_fields=["status", "updated_at"])
        slot = slot or released_slot(proposal)  # read once for every e-mail
        _tell_promoted(signup, slot)
        promoted.append(signup)
    return promoted


def _tell_promoted(signup: WorkshopSignup, slot: Slot | None) -> None:
    user, proposal = signup.user, signup.proposal
    with translation.override(user.preferred_language):
        when = slot_when(slot, ZoneInfo(proposal.conference.time_zone)) if slot else ""
    notify(
        to=user,
        template="programme_signup_promoted",
        context={
            "edition_title": as_translated(proposal.conference.title),
            "session_title": as_translated(proposal.title),
            "when": when,
            "room": as_translated(slot.room.name) if slot else "",
        },
        links={
            "link_path": ("programme_session", {"edition": proposal.conference.slug, "code": proposal.code})
        },
    )


def set_places(*, proposal: Proposal, places: int | None, by: User | None = None) -> list[WorkshopSignup]:
    """An organizer changes how many places a session offers for sign-up (None: no
    sign-up). More places go to the waiting list at once, in line order, and those
    promoted are told by e-mail. Fewer places than people already signed up is
    refused: nobody loses a place they were given."""
    if places is not None and places < 1:
        raise ProgrammeError(
            _("A session with sign-up has at least one place."), code="too_few", field="places"
        )
    with transaction.atomic():
        locked = Proposal.objects.select_for_update(no_key=True, of=("self",)).get(pk=proposal.pk)
        live = WorkshopSignup.objects.filter(proposal=locked, status__in=LIVE)
        taken = live.filter(status=S.CONFIRMED).count()
        if places is None and live.exists():
            raise ProgrammeError(
                _("People have signed up for this session: its sign-up cannot be turned off."),
                code="in_use",
                field="places",
            )
        if places is not None and places < taken:
            raise ProgrammeError(
                ngettext(
                    "%(taken)s person already holds a place: the session cannot offer fewer places.",
                    "%(taken)s people already hold a place: the session cannot offer fewer places.",
                    taken,
                )
                % {"taken": taken},
                code="below_taken",
                field="places",
            )
        before = locked.signup_capacity
        locked.signup_capacity = places
        locked.save(update_fields=["signup_capacity", "updated_at"])
        promoted = fill_free_places(locked)
        action_log(
            actor=by, verb=ActionLog.Verb.WORKSHOP_PLACES_CHANGED, obj=locked,
            conference=proposal.conference, label=str(locked)[:120],
            data={"from": before, "to": places, "promoted": len(promoted)},
        )
    proposal.signup_capacity = places
    log.info("workshop %s: places set to %s by %s", proposal.pk, places, getattr(by, "pk", None))
    return promoted
