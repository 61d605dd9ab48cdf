"""The shared core: accounts, editions, organisations, tracks, governorates, teams.

Writes go through ``conference.services``; models hold data and invariants only.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_bidi, pgettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conference.i18n import TranslatedField

# Paths that sit beside /<edition-slug>/ at the site root (feeds live there without a
# language prefix), so no edition may take one of these names.
RESERVED_SLUGS = frozenset(
    {"admin", "accounts", "api", "healthz", "i18n", "media", "static", "staff", "robots.txt"}
    | {code for code, _name in settings.LANGUAGES}
)


# An edition's slug carries its year. That keeps /<edition>/ apart from every other
# root path (language prefixes, /admin/, /healthz), so an unknown prefix such as /fr/
# is a plain 404 instead of being mistaken for an edition. conference.urls uses it too.
EDITION_SLUG_PATTERN = r"[a-z0-9-]*[0-9]{4}[a-z0-9-]*"
EDITION_SLUG_RE = rf"^(?=[a-z0-9])(?!.*--){EDITION_SLUG_PATTERN}$"


def validate_edition_slug(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is reserved; choose another."), params={"slug": value})


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(tz)s” is not a known time zone."), params={"tz": value})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """An account, identified by e-mail. The delegate's passport name, Arabic-script
    name and the rest of the profile live in registrations (guarded personal data);
    here only what every account needs."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("E-mails to you are written in this language."),
    )
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Governorate(models.Model):
    class Region(models.TextChoices):
        FEDERAL = "federal", _("Federal Iraq")
        KURDISTAN = "kurdistan", _("Kurdistan Region")

    code = models.SlugField(_("code"), unique=True)
    name = TranslatedField(_("name"), max_length=100)
    region = models.CharField(_("region"), max_length=16, choices=Region.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("governorate")
        verbose_name_plural = _("governorates")

    def __str__(self) -> str:
        return str(self.name)

    def natural_key(self):
        return (self.code,)


class Track(models.Model):
    """One of the charter's nine thematic tracks (loaded from the shared data)."""

    slug = models.SlugField(_("slug"), unique=True)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    name = TranslatedField(_("name"), max_length=200)
    scope = TranslatedField(_("scope"), multiline=True, blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")

    def __str__(self) -> str:
        return str(self.name)


class ConferenceQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=Conference.Status.DRAFT)

    def current(self):
        return self.filter(is_current=True).select_related("governorate").first()


class Conference(models.Model):
    """One annual edition of the conference."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    slug = models.SlugField(
        _("short name in addresses"),
        unique=True,
        max_length=40,
        validators=[
            validate_edition_slug,
            RegexValidator(
                EDITION_SLUG_RE,
                _("Use lowercase Latin letters, digits and hyphens, with the year, "
                  "e.g. 2026 or baghdad-2026."),
            ),
        ],
        help_text=_("Appears in links and feeds, e.g. 2026 or baghdad-2026."),
    )
    title = TranslatedField(_("title"), max_length=200)
    tagline = TranslatedField(_("tagline"), max_length=300, blank=True)
    city = TranslatedField(_("city"), max_length=100)
    governorate = models.ForeignKey(
        Governorate, verbose_name=_("governorate"), on_delete=models.PROTECT, related_name="+"
    )
    venue_address = TranslatedField(_("venue address"), multiline=True, blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Baghdad", validators=[validate_time_zone]
    )
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # Exactly one edition is current when any exists: the partial unique index forbids
    # two, and conference_make_current() moves the flag inside one transaction.
    is_current = models.BooleanField(_("current edition"), default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("conference edition")
        verbose_name_plural = _("conference editions")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_edition"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="edition_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_opens__isnull=True)
                | Q(registration_closes__isnull=True)
                | Q(registration_closes__gt=F("registration_opens")),
                name="registration_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return str(self.title) or self.slug

    def get_absolute_url(self) -> str:
        return reverse("edition", kwargs={"edition": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day cannot come before the first day.")
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes <= self.registration_opens
        ):
            errors["registration_closes"] = _("Registration must close after it opens.")
        if errors:
            raise ValidationError(errors)

    def place(self) -> str:
        """"Basra, Basra" reads badly: name the governorate only when it differs."""
        city, governorate = str(self.city), str(self.governorate.name)
        if not governorate or governorate == city:
            return city
        return pgettext("list separator", ", ").join([city, governorate])

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    def registration_is_open(self, at=None) -> bool:
        at = at or timezone.now()
        if self.status != self.Status.OPEN:
            return False
        if self.registration_opens and at < self.registration_opens:
            return False
        return not (self.registration_closes and at >= self.registration_closes)


class Organization(models.Model):
    class Kind(models.TextChoices):
        NGO = "ngo", _("Non-governmental organisation")
        UNION = "union", _("Trade union")
        PROFESSIONAL = "professional", _("Professional association")
        VOLUNTEER = "volunteer", _("Informal volunteer group")
        MOVEMENT = "movement", _("Social movement")
        MEDIA = "media", _("Independent media")
        COOPERATIVE = "cooperative", _("Cooperative or social enterprise")
        INTERNATIONAL = "international", _("International partner")

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    name = models.CharField(_("name in Latin script"), max_length=200)
    name_ar = models.CharField(_("name in Arabic script"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    country = CountryField(_("country"))
    governorate = models.ForeignKey(
        Governorate,
        verbose_name=_("governorate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        help_text=_("For organisations based in Iraq."),
    )
    tracks = models.ManyToManyField(
        Track, verbose_name=_("tracks"), blank=True, related_name="organizations"
    )
    website = models.URLField(_("website"), blank=True)
    description = TranslatedField(_("public description"), multiline=True, blank=True)
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Checked by the network's secretariat.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        # A network-wide role, decided in conference.permissions.moderates_directory.
        permissions = [("moderate_directory", _("Can moderate the organisation directory"))]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organization_name_ci_unique"),
            models.CheckConstraint(
                condition=Q(governorate__isnull=True) | Q(country="IQ"),
                name="organization_governorate_only_in_iraq",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self) -> str:
        if get_language_bidi() and self.name_ar:
            return self.name_ar
        return self.name

    def clean(self):
        super().clean()
        if self.governorate_id and self.country and self.country.code != "IQ":
            raise ValidationError(
                {"governorate": _("Only organisations based in Iraq have a governorate.")}
            )


class TeamMember(models.Model):
    """A person's role in one edition's team. One row per role: a person may hold
    several. Access is decided by conference.permissions, never by reading this directly."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("Organizer")
        REVIEWER = "reviewer", _("Reviewer")
        VENUE_STAFF = "venue_staff", _("Venue staff")
        VISA_OFFICER = "visa_officer", _("Visa officer")
        FINANCE_ETHICS = "finance_ethics", _("Finance and ethics reviewer")

    conference = models.ForeignKey(
        Conference, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="team"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="team_roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["conference", "role", "user__email"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "user", "role"], name="team_member_role_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class AppendOnlyQuerySet(models.QuerySet):
    # People fields that may be cleared: deleting an account (SET_NULL, done by Django
    # with this update) keeps the entry but forgets who it was.
    FORGETTABLE = frozenset({"user", "by"})

    def update(self, **kwargs):
        if set(kwargs) <= self.FORGETTABLE and all(value is None for value in kwargs.values()):
            return super().update(**kwargs)
        raise TypeError(f"{self.model.__name__} is append-only")

    def delete(self):
        raise TypeError(f"{self.model.__name__} is append-only")

    def pending(self):
        """Requests nobody has answered yet."""
        return self.filter(action=RoleGrantEvent.Action.REQUESTED, answer__isnull=True)


class RoleGrantEvent(models.Model):
    """Append-only log of the roles that need a second person (those that read
    passports, see conference.permissions.role_needs_second_person): a request, its one
    answer, a superuser's direct grant, a removal. Rows are never changed or deleted;
    the one-to-one ``request`` lets a request be answered once, even by two organizers
    pressing at the same moment. Written only by conference.services.team_role_*."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Asked for")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        GRANTED = "granted", _("Given by a platform administrator")
        REMOVED = "removed", _("Removed")

    conference = models.ForeignKey(
        Conference, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=20, choices=TeamMember.Role.choices)
    action = models.CharField(max_length=12, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    request = models.OneToOneField(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="answer"
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("role grant log entry")
        verbose_name_plural = _("role grant log")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["approved", "refused", "withdrawn"], request__isnull=False)
                | (~Q(action__in=["approved", "refused", "withdrawn"]) & Q(request__isnull=True)),
                name="role_grant_answer_names_its_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.role} for {self.user_id} by {self.by_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("RoleGrantEvent is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("RoleGrantEvent is append-only")


class ActionLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # The one change allowed: Django's SET_NULL when an account is erased. The
        # frozen name goes with it, so the row stays but no longer says who it was.
        if kwargs == {"actor": None}:
            return super().update(actor=None, actor_label=ActionLog.ERASED)
        raise TypeError("ActionLog is append-only")

    def delete(self):
        raise TypeError("ActionLog is append-only")


class ActionLog(models.Model):
    """One staff action: who, when, what (``verb``, from ``Verb``), on which object, in
    which edition, why, and a little before/after ``data``. Append-only: rows are
    written only by conference.audit.action_log, never changed or deleted (the model,
    its queryset and, in the database, triggers refuse; migration 0004). Never holds
    passport numbers or birth dates; ``object_label`` is a short non-personal label."""

    # Update this list and the page's groups (conference.audit.VERB_GROUPS) together.
    class Verb(models.TextChoices):
        TEAM_ROLE_ADDED = "team.role_added", _("Role given")
        TEAM_ROLE_REMOVED = "team.role_removed", _("Role removed")
        TEAM_ROLE_REQUESTED = "team.role_requested", _("Role asked for")
        TEAM_ROLE_REFUSED = "team.role_refused", _("Role request refused")
        TEAM_ROLE_WITHDRAWN = "team.role_withdrawn", _("Role request withdrawn")
        REGISTRATION_APPROVED = "registration.approved", _("Registration approved")
        REGISTRATION_REJECTED = "registration.rejected", _("Registration rejected")
        REGISTRATION_CANCELLED = "registration.cancelled", _("Registration cancelled by staff")
        CATEGORY_CAPACITY_CHANGED = "category.capacity_changed", _("Category capacity changed")
        SCHEDULE_MOVED = "schedule.moved", _("Session moved in the draft")
        SCHEDULE_UNPLACED = "schedule.unplaced", _("Session taken off the draft")
        SCHEDULE_RELEASED = "schedule.released", _("Schedule released")
        WORKSHOP_PLACES_CHANGED = "workshop.places_changed", _("Sign-up places changed")
        PASSPORT_VIEWED = "passport.viewed", _("Passport data seen")

    # actor_label of a row whose account was erased (see ActionLogQuerySet.update).
    ERASED = "[erased]"

    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The actor's name when they acted; blanked to ERASED with the account.
    actor_label = models.CharField(max_length=200, blank=True)
    verb = models.CharField(_("action"), max_length=40, choices=Verb.choices)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, null=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True)
    object_label = models.CharField(max_length=120, blank=True)
    # PROTECT: an edition with an audit trail is archived, never deleted.
    conference = models.ForeignKey(
        Conference, verbose_name=_("edition"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = ActionLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        # Django's deletion collector uses the base manager for SET_NULL: ours keeps
        # the erased name out of the row.
        base_manager_name = "objects"
        verbose_name = _("staff action")
        verbose_name_plural = _("staff actions")
        indexes = [
            models.Index(fields=["conference", "-at"], name="actionlog_edition_at"),
            models.Index(fields=["content_type", "object_id"], name="actionlog_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} by {self.actor_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("ActionLog is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("ActionLog is append-only")


class OutgoingEmail(models.Model):
    """An e-mail rendered in its reader's language, waiting for the worker to send it.

    Kept so a retried task never sends twice and staff can see what left and when. The
    body may hold personal data: sent rows are pruned after
    settings.OUTGOING_EMAIL_KEEP_DAYS (conference.services.outgoing_email_prune, run
    every six hours by the worker's scheduler)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField()
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    kind = models.CharField(max_length=60, help_text="Template name, for auditing.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outgoing_email_status")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to} ({self.status})"
