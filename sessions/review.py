"""Reviewing proposals and deciding on them: the only writers of review criteria, reviews
and the accepted/rejected state of proposals.

Scores: every criterion is scored from 0 ("not at all") to its highest score. Zero is a
real answer, distinct from "not scored", so a proposal that fails one criterion outright
can say so. A review's score is the weighted mean of value / highest score, in percent:
100 * sum(weight * value / max) / sum(weight), over the criteria the review scored. It is
stored on the review so lists sort without joins; changing a criterion's highest score
or weight recomputes it for the whole edition.

Conflicts of interest: a reviewer never reviews a proposal made for their own
organisation (the organisation of their delegate profile, when they have one), nor one
they proposed or speak in. ``reviewable_proposals`` and ``save_review`` share one
definition of that rule (``review_conflict``).
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from conference.i18n import TranslatedText, as_translated
from conference.models import Conference, Track, User
from conference.notify import letter, notify_many
from conference.permissions import Perm, has_perm
from registrations import people
from sessions.exceptions import ProgrammeError
from sessions.models import Proposal, Review, ReviewCriterion, ReviewScore, Schedule, Slot, Speaker

log = logging.getLogger(__name__)
State = Proposal.State

MAX_WEIGHT = 100
MAX_COMMENT = 5000


# --- Criteria ------------------------------------------------------------------------
def _require(user: User, perm: Perm, conference: Conference) -> None:
    if not has_perm(user, perm, conference):
        raise ProgrammeError(
            _("You do not have the right to do this in this edition."), code="forbidden", status=403
        )


def save_criterion(
    *,
    conference: Conference,
    by: User,
    name,
    help_text=None,
    max_score: int = 5,
    weight: int = 1,
    order: int = 0,
    criterion: ReviewCriterion | None = None,
) -> ReviewCriterion:
    """Add a criterion (``criterion`` None) or change one. A highest score lower than a
    score already given is refused: lowering it would silently change those reviews."""
    _require(by, Perm.MANAGE_PROGRAMME, conference)
    name, help_text = as_translated(name), as_translated(help_text or {})
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Write this in at least one language.")
    if not isinstance(max_score, int) or not 1 <= max_score <= 100:
        errors["max_score"] = _("The highest score is a whole number from 1 to 100.")
    if not isinstance(weight, int) or not 1 <= weight <= MAX_WEIGHT:
        errors["weight"] = _("The weight is a whole number from 1 to %(limit)d.") % {"limit": MAX_WEIGHT}
    if criterion is not None and criterion.conference_id != conference.pk:
        raise ProgrammeError(_("This criterion belongs to another edition."), code="other_edition")
    if criterion is not None and "max_score" not in errors:
        given = ReviewScore.objects.filter(criterion=criterion).order_by("-value")
        highest = given.values_list("value", flat=True).first()
        if highest is not None and highest > max_score:
            errors["max_score"] = _(
                "Reviews already give up to %(given)d on this criterion: the highest score cannot be lower."
            ) % {"given": highest}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rescore = criterion is not None and (criterion.max_score != max_score or criterion.weight != weight)
        criterion = criterion or ReviewCriterion(conference=conference)
        criterion.name, criterion.help_text = name, help_text
        criterion.max_score, criterion.weight, criterion.order = max_score, weight, order
        criterion.save()
        if rescore:
            _rescore_edition(conference)
    return criterion


def delete_criterion(*, criterion: ReviewCriterion, by: User) -> None:
    """Remove a criterion and the scores given on it; every review's score is worked
    out again from the criteria left."""
    conference = criterion.conference
    _require(by, Perm.MANAGE_PROGRAMME, conference)
    with transaction.atomic():
        criterion.delete()
        _rescore_edition(conference)


def _rescore_edition(conference: Conference) -> None:
    reviews = list(
        Review.objects.filter(proposal__conference=conference).prefetch_related("scores__criterion")
    )
    for review in reviews:
        review.score = weighted_score((s.criterion, s.value) for s in review.scores.all())
    Review.objects.bulk_update(reviews, ["score"], batch_size=500)


def weighted_score(pairs) -> float | None:
    """Percent from (criterion, value) pairs; None when nothing is scored."""
    total = weights = 0.0
    for criterion, value in pairs:
        total += criterion.weight * value / criterion.max_score
        weights += criterion.weight
    if not weights:
        return None
    return round(100 * total / weights, 1)


# --- Conflicts of interest -----------------------------------------------------------------
def reviewer_organization_id(reviewer: User) -> int | None:
    profile = getattr(reviewer, "delegate_profile", None)
    return profile.organization_id if profile is not None else None


def review_conflict(proposal: Proposal, reviewer: User) -> str | None:
    """Why this reviewer must not review this proposal, or None. Update
    ``reviewable_proposals`` with it: the two are one rule."""
    organization_id = reviewer_organization_id(reviewer)
    if organization_id is not None and proposal.organization_id == organization_id:
        return _("This proposal comes from your own organisation: another reviewer scores it.")
    if proposal.proposer_id == reviewer.pk:
        return _("You proposed this session: another reviewer scores it.")
    speaks = Speaker.objects.filter(proposal=proposal).filter(
        Q(user=reviewer) | Q(email__iexact=reviewer.email)
    )
    if speaks.exists():
        return _("You are a speaker of this session: another reviewer scores it.")
    return None


def reviewable_proposals(reviewer: User, conference: Conference) -> QuerySet[Proposal]:
    """The submitted proposals this reviewer may score: never their own organisation's,
    nor ones they proposed or speak in (see ``review_conflict``)."""
    if not has_perm(reviewer, Perm.REVIEW_PROPOSALS, conference):
        return Proposal.objects.none()
    queryset = Proposal.objects.filter(conference=conference, state=State.SUBMITTED).exclude(
        proposer=reviewer
    )
    organization_id = reviewer_organization_id(reviewer)
    if organization_id is not None:
        queryset = queryset.exclude(organization_id=organization_id)
    speaks = Speaker.objects.filter(proposal=OuterRef("pk")).filter(
        Q(user=reviewer) | Q(email__iexact=reviewer.email)
    )
    return queryset.exclude(Exists(speaks))


# --- Reviews ---------------------------------------------------------------------------
def check_can_review(*, proposal: Proposal, reviewer: User) -> None:
    if not has_perm(reviewer, Perm.REVIEW_PROPOSALS, proposal.conference):
        raise ProgrammeError(
            _("Only the edition's reviewers score proposals."), code="not_reviewer", status=403
        )
    conflict = review_conflict(proposal, reviewer)
    if conflict:
        raise ProgrammeError(conflict, code="conflict")
    if proposal.state != State.SUBMITTED:
        raise ProgrammeError(
            _("This proposal is no longer open for review (%(state)s).")
            % {"state": proposal.get_state_display()},
            code="closed",
        )


def criterion_field(criterion: ReviewCriterion | int) -> str:
    """The form field (and error key) of one criterion."""
    return f"criterion_{getattr(criterion, 'pk', criterion)}"


def save_review(*, proposal: Proposal, reviewer: User, scores: dict[int, int], comment: str = "") -> Review:
    """Create or change the reviewer's one review of the proposal. Every criterion of the
    edition must be scored, from 0 to its highest score; errors are keyed by
    ``criterion_field`` so a form shows them by their input."""
    check_can_review(proposal=proposal, reviewer=reviewer)
    criteria = list(ReviewCriterion.objects.filter(conference_id=proposal.conference_id))
    if not criteria:
        raise ProgrammeError(
            _("This edition has no review criteria yet: an organizer adds them first."), code="no_criteria"
        )
    known = {c.pk: c for c in criteria}
    errors: dict[str, str] = {}
    unknown = set(scores) - set(known)
    if unknown:
        errors["__all__"] = _("A score was given for a criterion this edition does not use.")
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None or value == "":
            errors[criterion_field(criterion)] = _("Give a score for “%(name)s”.") % {"name": criterion.name}
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= criterion.max_score:
            errors[criterion_field(criterion)] = _("Give a whole number from 0 to %(max)d.") % {
                "max": criterion.max_score
            }
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        errors["comment"] = _("Keep the comment under %(limit)d characters.") % {"limit": MAX_COMMENT}
    if errors:
        raise ValidationError(errors)
    score = weighted_score((known[pk], value) for pk, value in scores.items())
    try:
        with transaction.atomic():
            review, created = Review.objects.select_for_update().get_or_create(
                proposal=proposal, reviewer=reviewer, defaults={"comment": comment, "score": score}
            )
            if not created:
                review.comment, review.score = comment, score
                review.save(update_fields=["comment", "score", "updated_at"])
                review.scores.all().delete()
            ReviewScore.objects.bulk_create(
                ReviewScore(review=review, criterion_id=pk, value=value) for pk, value in scores.items()
            )
    except IntegrityError as error:
        # Two tabs saving the first review at once: the second lost the race to create.
        raise ProgrammeError(_("Your review was saved from another window meanwhile: reload and check it."),
                            code="race", status=409) from error
    log.info("review of %s by %s: %s", proposal.code, reviewer.pk, score)
    return review


# --- Decisions -------------------------------------------------------------------------
def draft_schedule(conference: Conference) -> Schedule:
    # The agreed contract with the schedule editor: the draft is the edition's one
    # version-less schedule, made on first use by whoever needs it.
    draft, _created = Schedule.objects.get_or_create(conference=conference, version=None)
    return draft


def _when(slot: Slot) -> str:
    tz = ZoneInfo(slot.schedule.conference.time_zone)
    start = slot.starts_at.astimezone(tz)
    return f"{formats.date_format(start, 'l j F')} {formats.time_format(start, 'H:i')}"


def decide(*, proposals, accept: bool, by: User, note: str = "") -> dict:
    """Accept or reject one or many proposals. Each is decided in its own transaction
    under a row lock, so one refusal does not undo the others and two organizers
    deciding at once never mail twice. A proposal already in that state is left as it
    is and nobody is mailed again (idempotent).

    Returns ``{"done": [proposals], "unchanged": [proposals], "refused": [(proposal,
    message)]}``."""
    result: dict = {"done": [], "unchanged": [], "refused": []}
    note = (note or "").strip()[:2000]
    target = State.ACCEPTED if accept else State.REJECTED
    checked: set[int] = set()
    for proposal in proposals:
        if proposal.conference_id not in checked:
            _require(by, Perm.MANAGE_PROGRAMME, proposal.conference)
            checked.add(proposal.conference_id)
        try:
            changed = _decide_one(proposal=proposal, target=target, by=by, note=note)
        except ProgrammeError as refusal:
            result["refused"].append((proposal, refusal.message))
        else:
            result["done" if changed else "unchanged"].append(proposal)
    return result


def _decide_one(*, proposal: Proposal, target: str, by: User, note: str) -> bool:
    with transaction.atomic():
        locked = (
            # Only the proposal's row is locked: PostgreSQL refuses to lock the nullable
            # side of the outer join to the proposer.
            Proposal.objects.select_for_update(no_key=True, of=("self",))
            .select_related("conference", "proposer")
            .get(pk=proposal.pk)
        )
        if locked.state == target:
            return False
        if locked.state not in (State.SUBMITTED, State.ACCEPTED, State.REJECTED):
            raise ProgrammeError(
                _("“%(title)s” is %(state)s: it can no longer be decided.")
                % {"title": as_translated(locked.title), "state": locked.get_state_display()},
                code="closed",
            )
        draft = draft_schedule(locked.conference)
        if target == State.ACCEPTED:
            Slot.objects.get_or_create(schedule=draft, proposal=locked)
        else:
            _unschedule_for_rejection(locked, draft)
        locked.state, locked.decided_at, locked.decided_by = target, timezone.now(), by
        locked.save(update_fields=["state", "decided_at", "decided_by", "updated_at"])
        _mail_decision(locked, note)
    proposal.state, proposal.decided_at, proposal.decided_by = locked.state, locked.decided_at, by
    log.info("proposal %s %s by %s", locked.code, target, by.pk)
    return True


def _unschedule_for_rejection(proposal: Proposal, draft: Schedule) -> None:
    """Caller holds the lock on the proposal. A session placed in the draft stays until
    an organizer unplaces it in the editor: rejecting must not move the schedule."""
    placed = (
        Slot.objects.filter(schedule=draft, proposal=proposal, room__isnull=False)
        .select_related("room", "schedule__conference")
        .first()
    )
    if placed is not None:
        raise ProgrammeError(
            _("“%(title)s” is placed in the draft schedule (%(room)s, %(when)s): unplace it first.")
            % {"title": as_translated(proposal.title), "room": placed.room.name, "when": _when(placed)},
            code="placed",
        )
    released = Slot.objects.filter(proposal=proposal, schedule__version__isnull=False).exists()
    if released:
        raise ProgrammeError(
            _("“%(title)s” is in the published programme: cancel it in the schedule instead.")
            % {"title": as_translated(proposal.title)},
            code="published",
        )
    Slot.objects.filter(schedule=draft, proposal=proposal, room__isnull=True).delete()


def decision_recipients(proposal: Proposal) -> list[User]:
    """The speakers with an account, then the proposer: each person once."""
    people: dict[int, User] = {}
    for speaker in proposal.speakers.select_related("user").order_by("order", "pk"):
        if speaker.user is not None and speaker.user.is_active:
            people.setdefault(speaker.user.pk, speaker.user)
    if proposal.proposer is not None and proposal.proposer.is_active:
        people.setdefault(proposal.proposer.pk, proposal.proposer)
    return list(people.values())


def _mail_decision(proposal: Proposal, note: str) -> None:
    conference = proposal.conference
    title: TranslatedText = as_translated(proposal.title)
    context = {
        "accepted": proposal.state == State.ACCEPTED,
        "edition_title": as_translated(conference.title),
        "session_title": title,
        "code": proposal.code,
        "note": note,
    }
    notify_many(
        letter(
            to=person,
            template="programme_decision",
            context=context,
            links={"link_path": ("edition", {"edition": conference.slug})},
        )
        for person in decision_recipients(proposal)
    )


# --- Reads for the review pages ---------------------------------------------------------
def review_queue(reviewer: User, conference: Conference) -> QuerySet[Proposal]:
    """The reviewer's queue with their own review's score (None: not reviewed yet)."""
    own = Review.objects.filter(proposal=OuterRef("pk"), reviewer=reviewer)
    return (
        reviewable_proposals(reviewer, conference)
        .select_related("track", "organization")
        .annotate(reviewed=Exists(own), my_score=Subquery(own.values("score")[:1]))
        .order_by("track__order", "created_at", "pk")
    )


def organizer_proposals(conference: Conference, *, track=None, state: str = "", sort: str = "-score"):
    """Every proposal with its mean score and number of reviews, in one query."""
    queryset = (
        Proposal.objects.filter(conference=conference)
        .select_related("track", "organization")
        .annotate(mean_score=Avg("reviews__score"), review_count=Count("reviews"))
    )
    if track is not None:
        queryset = queryset.filter(track=track)
    if state:
        queryset = queryset.filter(state=state)
    orders = {
        "-score": [F("mean_score").desc(nulls_last=True)],
        "score": [F("mean_score").asc(nulls_last=True)],
        "-reviews": ["-review_count"],
        "created": ["created_at"],
    }
    return queryset.order_by("track__order", *orders.get(sort or "-score", orders["-score"]), "pk")


def criterion_means(conference: Conference) -> dict[tuple[int, int], float]:
    """(proposal id, criterion id) -> mean value given, for the whole edition at once."""
    rows = (
        ReviewScore.objects.filter(review__proposal__conference=conference)
        .values("review__proposal_id", "criterion_id")
        .annotate(mean=Avg("value"))
        .order_by()
    )
    return {(row["review__proposal_id"], row["criterion_id"]): row["mean"] for row in rows}


def track_counts(conference: Conference) -> list[dict]:
    """Per track: proposed (not withdrawn), awaiting a decision, accepted, rejected."""
    counted = (
        Proposal.objects.filter(conference=conference)
        .exclude(state=State.WITHDRAWN)
        .values("track_id")
        .annotate(
            proposed=Count("pk"),
            waiting=Count("pk", filter=Q(state=State.SUBMITTED)),
            accepted=Count("pk", filter=Q(state=State.ACCEPTED)),
            rejected=Count("pk", filter=Q(state=State.REJECTED)),
        )
        .order_by()
    )
    by_track = {row["track_id"]: row for row in counted}
    rows = []
    for track in Track.objects.order_by("order"):
        row = by_track.get(track.pk)
        if row:
            rows.append({"track": track, **row})
    return rows


def staff_speaker_name(speaker: Speaker) -> str:
    """How staff pages name a speaker (never shown publicly: see selectors for that)."""
    if speaker.user is None:
        return speaker.email
    return people.staff_name(speaker.user)


def people_for_reviewer(proposal: Proposal, *, names_hidden: bool, anonymous: bool) -> dict:
    """Who is on a proposal, as the review page shows it. Organizers (``names_hidden``
    False) see everyone. Reviewers never read the name of a person at risk, nor an
    invitee's address (it may belong to one); under an anonymous review they see no
    speaker, proposer or organisation at all. Speakers need ``user__delegate_profile``
    and the proposer ``proposer__delegate_profile`` loaded."""
    speakers = []
    for speaker in proposal.speakers.all():
        if not names_hidden:
            name = staff_speaker_name(speaker)
        elif anonymous:
            name = _("A speaker")
        elif speaker.user is None:
            name = _("Invited speaker")
        elif people.is_at_risk(speaker.user):
            name = _("A speaker at risk")
        else:
            name = staff_speaker_name(speaker)
        speakers.append((speaker, name))
    proposer = proposal.proposer
    if proposer is None or anonymous:
        proposer_name = None
    elif names_hidden and people.is_at_risk(proposer):
        proposer_name = _("A delegate at risk")
    else:
        proposer_name = proposer.get_full_name()
    return {
        "speakers": speakers,
        "proposer_name": proposer_name,
        "organization": None if anonymous else proposal.organization,
    }
