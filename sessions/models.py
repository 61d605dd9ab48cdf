"""The programme: rooms and days, the call for sessions and its review, schedule
versions (a working draft and published releases), workshop sign-ups, personal agendas
and attendance. Rows change only through the services of this app."""

import datetime as dt
import secrets
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conference import limits
from conference.i18n import TranslatedField
from conference.models import Conference, Organization, Track


class Room(models.Model):
    conference = models.ForeignKey(
        Conference, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="rooms"
    )
    slug = models.SlugField(_("slug"), max_length=60)
    name = TranslatedField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("seats"), validators=[limits.max_count])
    interpretation_booth = models.BooleanField(_("interpretation booth"), default=False)
    step_free = models.BooleanField(_("step-free access"), default=True)
    equipment = TranslatedField(_("equipment"), blank=True, max_length=300)
    # In every language like the room's name: it is shown beside it. Rooms are in the
    # same zone when their texts are equal (scheduling.zone_key).
    zone = TranslatedField(
        _("zone"),
        max_length=40,
        blank=True,
        help_text=_("Building or wing. Rooms in different zones are far apart: speakers need a break."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["conference", "order", "slug"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="room_slug_unique"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="room_capacity_positive"),
        ]

    def __str__(self) -> str:
        return str(self.name)


def _code() -> str:
    # Short, unambiguous public id for links and feeds (no 0/O, 1/I/L).
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _i in range(6))


def _token() -> str:
    return secrets.token_urlsafe(32)


MAX_DURATION_MINUTES = 24 * 60


class ConferenceDay(models.Model):
    """A day of the edition with the hours sessions may use."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="conference_days"
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("first session from"), default=dt.time(9, 0))
    ends_at = models.TimeField(_("last session until"), default=dt.time(18, 0))

    class Meta:
        ordering = ["conference", "date"]
        verbose_name = _("conference day")
        verbose_name_plural = _("conference days")
        constraints = [
            models.UniqueConstraint(fields=["conference", "date"], name="day_unique_per_edition"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="day_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.date.isoformat()

    def bounds(self, tz: ZoneInfo | None = None) -> tuple[dt.datetime, dt.datetime]:
        """The day's hours as aware datetimes in the edition's time zone."""
        tz = tz or ZoneInfo(self.conference.time_zone)
        return (
            dt.datetime.combine(self.date, self.starts_at, tzinfo=tz),
            dt.datetime.combine(self.date, self.ends_at, tzinfo=tz),
        )


class CallForSessions(models.Model):
    conference = models.OneToOneField(
        Conference, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="call_for_sessions"
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    intro = TranslatedField(_("introduction"), multiline=True, blank=True)
    anonymous_review = models.BooleanField(
        _("anonymous review"),
        default=False,
        help_text=_("Reviewers see no speaker, proposer or organisation; organizers still do."),
    )

    class Meta:
        verbose_name = _("call for sessions")
        verbose_name_plural = _("calls for sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="cfs_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return str(self.conference)

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.opens_at is None or now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at


class ReviewCriterion(models.Model):
    conference = models.ForeignKey(
        Conference, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="review_criteria"
    )
    name = TranslatedField(_("name"), max_length=120)
    help_text = TranslatedField(_("what reviewers weigh"), multiline=True, blank=True)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["conference", "order", "pk"]
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gte=1) & Q(max_score__lte=100), name="criterion_max_range"
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)


class ProposalQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(state=Proposal.State.ACCEPTED)


class Proposal(models.Model):
    """A proposed session; once accepted it is a session of the programme."""

    class Format(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        PANEL = "panel", _("Panel")
        WORKSHOP = "workshop", _("Workshop")
        TRAINING = "training", _("Training")
        SIDE_MEETING = "side_meeting", _("Side meeting")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled")

    conference = models.ForeignKey(
        Conference, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="proposals"
    )
    code = models.CharField(_("code"), max_length=8, unique=True, default=_code, editable=False)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = TranslatedField(_("title"), max_length=200)
    abstract = TranslatedField(_("abstract"), multiline=True)
    format = models.CharField(_("format"), max_length=16, choices=Format.choices)
    track = models.ForeignKey(Track, verbose_name=_("track"), on_delete=models.PROTECT, related_name="+")
    languages = models.JSONField(_("languages spoken"), default=list)
    interpretation_wanted = models.BooleanField(_("interpretation wanted"), default=False)
    duration = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[
            MinValueValidator(15, _("A session lasts at least 15 minutes.")),
            MaxValueValidator(MAX_DURATION_MINUTES, _("A session cannot last longer than a day.")),
        ],
    )
    expected_audience = models.PositiveIntegerField(
        _("expected audience"), default=0, validators=[limits.max_count]
    )
    signup_capacity = models.PositiveIntegerField(
        _("places for sign-up"),
        null=True,
        blank=True,
        validators=[limits.max_count],
        help_text=_("Workshops and trainings with limited places: delegates sign up."),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("proposed for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposals",
    )
    notes = models.TextField(
        _("notes for the organizers"), blank=True, max_length=limits.TEXT,
        validators=[limits.max_length(limits.TEXT)],
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["conference", "created_at", "pk"]
        verbose_name = _("session proposal")
        verbose_name_plural = _("session proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gte=15) & Q(duration__lte=MAX_DURATION_MINUTES),
                name="proposal_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def needs_signup(self) -> bool:
        return self.signup_capacity is not None


class Speaker(models.Model):
    """A person on a proposal. The proposer naming themself is linked at once; everyone
    else is invited by e-mail and linked when they confirm with that address (see
    sessions.cfp: naming someone must not reveal whether they registered)."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")
        FACILITATOR = "facilitator", _("Facilitator")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="speakers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="speaker_roles",
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.SPEAKER)
    invite_token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["proposal", "order", "pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "email"], name="speaker_once_per_proposal"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def conflict_id(self) -> int:
        """The id the conflict function knows the person by: the account, or (for an
        invitee who has not confirmed yet) a negative id of this row."""
        return self.user_id if self.user_id else -self.pk


class Availability(models.Model):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="availability")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    class Meta:
        ordering = ["speaker", "starts_at"]
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="availability_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} to {self.ends_at:%H:%M}"


class Review(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    comment = models.TextField(
        _("comment"), blank=True, max_length=limits.TEXT, validators=[limits.max_length(limits.TEXT)]
    )
    # Weighted mean of the criteria as a percentage, kept so lists sort without joins.
    score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["proposal", "created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="one_review_per_reviewer"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} → {self.proposal_id}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class Schedule(models.Model):
    """One version of the programme. ``version`` is empty for the organizers' working
    draft (one per edition); publishing copies the draft into a numbered version."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="schedules"
    )
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    comment = TranslatedField(_("change note"), multiline=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What changed against the previous version, worked out once at publishing:
    # {"added": [proposal ids], "moved": [...], "cancelled": [...]}.
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["conference", "-version"]
        verbose_name = _("schedule version")
        verbose_name_plural = _("schedule versions")
        constraints = [
            models.UniqueConstraint(fields=["conference", "version"], name="schedule_version_unique"),
            models.UniqueConstraint(
                fields=["conference"], condition=Q(version__isnull=True), name="one_draft_schedule"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conference.slug} v{self.version}" if self.version else f"{self.conference.slug} draft"

    @property
    def is_draft(self) -> bool:
        return self.version is None


class Slot(models.Model):
    """Where and when one session sits in one schedule version; an unplaced session of
    the draft has no room and no time."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="slots")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="slots")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True, related_name="slots")
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["schedule", "starts_at", "room__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "proposal"], name="slot_once_per_schedule"),
            models.CheckConstraint(
                condition=(Q(room__isnull=True) & Q(starts_at__isnull=True) & Q(ends_at__isnull=True))
                | (Q(room__isnull=False) & Q(starts_at__isnull=False) & Q(ends_at__gt=F("starts_at"))),
                name="slot_placed_whole_or_not",
            ),
        ]
        indexes = [models.Index(fields=["schedule", "starts_at"], name="slot_schedule_start")]

    def __str__(self) -> str:
        return f"{self.proposal_id} @ {self.room_id} {self.starts_at}"

    @property
    def is_placed(self) -> bool:
        return self.room_id is not None


class Star(models.Model):
    """A session in a delegate's personal agenda."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stars")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="stars")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "proposal"], name="star_once")]

    def __str__(self) -> str:
        return f"{self.user_id} ★ {self.proposal_id}"


class WorkshopSignup(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Signed up")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    # Statuses of a sign-up that is still on: a place, or a place in the line.
    LIVE = (Status.CONFIRMED, Status.WAITLISTED)

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_signups"
    )
    status = models.CharField(max_length=12, choices=Status.choices, db_index=True)
    waitlist_seq = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["proposal", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"],
                condition=~Q(status="cancelled"),
                name="one_live_signup_per_workshop",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id} ({self.status})"


class AgendaFeed(models.Model):
    """The secret address of a delegate's agenda as iCal. Regenerating replaces the
    token, so an address that leaked stops working."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_feeds")
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "conference"], name="one_agenda_feed")]

    def __str__(self) -> str:
        return f"agenda of {self.user_id}"


class Attendance(models.Model):
    """A delegate seen at a session's door (a badge scan). One row per person and
    session: the first scan counts, later ones only update ``last_seen_at``."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance")
    room = models.ForeignKey(Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.proposal_id}"
