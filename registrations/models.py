"""Delegates, their guarded profiles, categories, questions and registrations.

Statuses change only through ``registrations.services``; models hold data and the
invariants the database can keep (one live registration per person and edition).
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_countries.fields import CountryField

from conference import limits
from conference.crypto import EncryptedDateField, EncryptedTextField
from conference.i18n import TranslatedField
from conference.models import Conference, Governorate, Organization, Track
from conference.text import fold_for_search
from registrations.uploads import DetectedTypeFileField, stored_name, validate_upload

INTERPRETATION_LANGUAGES = [("ar", _("Arabic")), ("ckb", _("Central Kurdish (Sorani)")), ("en", _("English"))]


class SpokenLanguage(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    SORANI = "ckb", _("Central Kurdish (Sorani)")
    KURMANJI = "kmr", _("Northern Kurdish (Kurmanji)")
    ENGLISH = "en", _("English")
    SYRIAC = "syc", _("Syriac")
    TURKMEN = "tk", _("Turkmen")
    PERSIAN = "fa", _("Persian")
    TURKISH = "tr", _("Turkish")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    SPANISH = "es", _("Spanish")
    ITALIAN = "it", _("Italian")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    SELF_DESCRIBED = "self", _("I describe myself another way")


class OrganizationProposal(models.Model):
    """An organisation a delegate could not find in the directory. An organizer
    approves it (it joins the directory) or merges it into one that exists."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        MERGED = "merged", _("Merged into an existing organisation")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("name (Latin script)"), max_length=200)
    name_ar = models.CharField(_("name in Arabic script"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Organization.Kind.choices)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The directory entry it became or was merged into."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class DelegateProfile(models.Model):
    """What a delegate tells us once, reused by every edition they attend.

    The passport block is encrypted at rest and shown to visa officers only; each
    staff view of it writes a PassportAccessLog row. ``search_text`` holds the names
    folded for search (see registrations.text), so the organizer list searches one
    indexed column instead of decrypting or OR-ing spellings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegate_profile"
    )
    passport_name = models.CharField(
        _("name as in passport (Latin script)"),
        max_length=200,
        help_text=_("Exactly as printed in your passport, in Latin letters."),
    )
    arabic_name = models.CharField(_("name in Arabic script"), max_length=200, blank=True)
    badge_name = models.CharField(
        _("name on badge"),
        max_length=80,
        blank=True,
        help_text=_("Leave empty to use your name. If you are at risk, choose a name that is safe to wear."),
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegates",
        verbose_name=_("organisation"),
    )
    proposed_organization = models.ForeignKey(
        OrganizationProposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="profiles"
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    country = CountryField(_("country of residence"))
    governorate = models.ForeignKey(
        Governorate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("governorate"),
        help_text=_("For delegates living in Iraq."),
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    interpretation_needed = models.JSONField(_("interpretation needed into"), default=list, blank=True)
    accessibility_needs = models.TextField(
        _("accessibility needs"), blank=True, max_length=limits.TEXT,
        validators=[limits.max_length(limits.TEXT)],
    )
    dietary_needs = models.CharField(_("dietary needs"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    gender = models.CharField(_("gender (optional)"), max_length=8, choices=Gender.choices, blank=True)
    gender_self_description = models.CharField(_("in your words"), max_length=60, blank=True)
    # The year alone, kept plain for the "under 30" balance of the room; the full date
    # of birth is encrypted below.
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    passport_number = EncryptedTextField(_("passport number"), blank=True)
    passport_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    passport_expiry = EncryptedDateField(_("passport expiry date"), null=True, blank=True)
    nationality = EncryptedTextField(_("nationality"), blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)

    at_risk = models.BooleanField(
        _("I am at risk"),
        default=False,
        help_text=_("You never appear in any public list, and your badge can carry a name you choose."),
    )
    public_listing = models.BooleanField(_("show me in the public list of participants"), default=False)

    search_text = models.CharField(max_length=700, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # What a delegate fills in (the form and the service share this list).
    EDITABLE_FIELDS = (
        "passport_name", "arabic_name", "badge_name", "organization", "position", "country", "governorate",
        "languages", "interpretation_needed", "accessibility_needs", "dietary_needs", "phone", "gender",
        "gender_self_description", "passport_number", "passport_expiry", "nationality", "date_of_birth",
        "at_risk", "public_listing",
    )

    class Meta:
        # Not unique: refusing a number already on file would tell whoever typed it
        # that someone registered with it. Profiles sharing a number are flagged to
        # the visa officers instead (registrations.selectors.shared_passport_q).
        indexes = [models.Index(fields=["passport_number_hash"], name="profile_passport_hash")]

    def __str__(self) -> str:
        return self.passport_name

    @property
    def display_badge_name(self) -> str:
        from registrations.people import badge_name

        return badge_name(self)

    def languages_display(self) -> str:
        names = dict(SpokenLanguage.choices)
        return pgettext("list separator", ", ").join(str(names.get(code, code)) for code in self.languages)

    def interpretation_display(self) -> str:
        names = dict(INTERPRETATION_LANGUAGES)
        separator = pgettext("list separator", ", ")
        return separator.join(str(names.get(code, code)) for code in self.interpretation_needed)

    @property
    def is_public(self) -> bool:
        from registrations.people import is_publicly_listed

        return is_publicly_listed(self)

    def refresh_derived(self) -> None:
        from registrations.text import passport_hash

        self.search_text = fold_for_search(
            " ".join([self.passport_name, self.arabic_name, self.badge_name, self.user.email])
        )[:700]
        self.passport_number_hash = passport_hash(self.passport_number) if self.passport_number else ""
        self.birth_year = self.date_of_birth.year if self.date_of_birth else None


class PassportAccessLog(models.Model):
    """Who saw whose passport data, when, and where (page or export)."""

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="passport_views"
    )
    conference = models.ForeignKey(Conference, null=True, on_delete=models.SET_NULL, related_name="+")
    context = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.viewer_id} saw {self.subject_id} ({self.context}) at {self.at:%Y-%m-%d %H:%M}"


def _invite_token() -> str:
    return secrets.token_urlsafe(18)


class Category(models.Model):
    class Kind(models.TextChoices):
        DELEGATE = "delegate", _("Iraqi civil society delegate")
        PARTNER = "partner", _("International partner")
        SPEAKER = "speaker", _("Speaker or facilitator")
        PRESS = "press", _("Press")
        VOLUNTEER = "volunteer", _("Volunteer")
        STAFF = "staff", _("Staff")
        OTHER = "other", _("Other")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="categories")
    slug = models.SlugField(max_length=40)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    name = TranslatedField(_("name"))
    description = TranslatedField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[limits.max_count])
    requires_approval = models.BooleanField(_("approval required"), default=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    invite_only = models.BooleanField(_("invite-only"), default=False)
    invite_token = models.CharField(max_length=32, unique=True, default=_invite_token, editable=False)
    per_organization_limit = models.PositiveIntegerField(
        _("confirmed delegates per organisation"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
        validators=[limits.max_count],
    )
    offer_hours = models.PositiveIntegerField(
        _("hours to accept a freed seat"),
        default=0,
        help_text=_("0 confirms the next person on the waiting list at once."),
        validators=[limits.max_order],
    )
    order = models.PositiveSmallIntegerField(default=0, validators=[limits.max_order])

    class Meta:
        ordering = ["conference", "order", "pk"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="category_slug_per_edition"),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="category_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)

    def window(self):
        """Opening and closing times: the category's own, else the edition's."""
        return (
            self.opens_at or self.conference.registration_opens,
            self.closes_at or self.conference.registration_closes,
        )


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single", _("Single choice")
        MULTIPLE_CHOICE = "multiple", _("Multiple choice")
        YES_NO = "yes_no", _("Yes/no")
        DATE = "date", _("Date")
        FILE = "file", _("File upload")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="questions")
    categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="questions",
        help_text=_("Leave empty to ask every category."),
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    label = TranslatedField(_("question"))
    help_text = TranslatedField(_("help text"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(default=0, validators=[limits.max_order])

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return str(self.label)


class QuestionOption(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(max_length=40)
    label = TranslatedField(_("label"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["question", "key"], name="option_key_per_question")]

    def __str__(self) -> str:
        return str(self.label)


class RegistrationQuerySet(models.QuerySet):
    def live(self):
        return self.exclude(status__in=[Registration.Status.CANCELLED, Registration.Status.REJECTED])


class Registration(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        PENDING = "pending", _("Pending approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("Seat offered")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    # Statuses that hold a seat of the category's capacity.
    SEAT_HOLDING = (Status.CONFIRMED, Status.OFFERED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="registrations")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="registrations")
    # Null once the person deleted their account: the row stays for anonymous counts.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    # Copies kept for counts after an account is deleted (never names).
    country = CountryField(blank=True)
    governorate = models.ForeignKey(
        Governorate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tracks = models.ManyToManyField(
        Track, blank=True, related_name="registrations", verbose_name=_("tracks of interest")
    )
    # First come, first served: a number handed out under the category lock.
    waitlist_seq = models.PositiveBigIntegerField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    invited = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["category", "status"], name="registration_category_status")]
        constraints = [
            # A double click or resubmitted form cannot make a second registration.
            models.UniqueConstraint(
                fields=["conference", "user"],
                condition=~Q(status="cancelled") & ~Q(status="rejected") & Q(user__isnull=False),
                name="one_live_registration_per_edition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.conference_id} ({self.status})"


class StatusChange(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True, max_length=limits.NOTE, validators=[limits.max_length(limits.NOTE)])
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


def answer_upload_to(instance, filename: str) -> str:
    # ``filename`` is already ours (uploads.stored_name: random, the detected type's
    # extension); a random folder as well, so names never reveal who uploaded what.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"registrations/answers/{uuid.uuid4().hex}/{stored_name(extension)}"


class Answer(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    file = DetectedTypeFileField(upload_to=answer_upload_to, blank=True, validators=[validate_upload])
    file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.file_name or self.value}"

    def display_value(self) -> str:
        """The answer as a person reads it: option labels, yes/no, or the text."""
        if self.file:
            return self.file_name
        if isinstance(self.value, bool):
            return str(_("Yes") if self.value else _("No"))
        labels = {option.key: str(option.label) for option in self.question.options.all()}
        if isinstance(self.value, list):
            return ", ".join(labels.get(key, key) for key in self.value)
        return labels.get(self.value, str(self.value)) if isinstance(self.value, str) else str(self.value)
