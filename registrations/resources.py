"""Export of an edition's registrations (django-import-export), for the organizers'
spreadsheets.

Columns are stable English keys, codes and slugs (status, category slug, country and
governorate codes, tracks and choice answers as keys joined by "|"), so a sheet can be
filtered and sorted without knowing the interface language. Each question of the
edition adds one column.

Passport data goes out only in ``RegistrationPassportResource``, which
``export_registrations`` uses only for a viewer with ``Perm.VIEW_PASSPORTS`` in the
edition; every person in such a file is written to the passport access log.

The number of queries does not grow with the number of rows: everything is joined or
prefetched once (see ``export_queryset``), and the queryset is read in one go instead of
the library's paginated reading, which would repeat the prefetches for every page.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX

from conference.i18n import as_translated
from conference.models import Conference, User
from conference.permissions import Perm, has_perm
from registrations import services
from registrations.models import Answer, Question, Registration

FORMATS = {"csv": CSV, "xlsx": XLSX}
PASSPORT_FIELDS = ("passport_number", "passport_expiry", "nationality", "date_of_birth")
SEPARATOR = "|"

# A cell that starts with one of these is read as a formula by spreadsheet programs; a
# delegate's free text must never run in an organizer's Excel. Phone-like values
# ("+964 770 ...") hold no function call and are left as they are.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_HARMLESS = re.compile(r"^[0-9 +\-().\/]*$")


def _joined(values) -> str:
    return SEPARATOR.join(str(value) for value in values or [])


def _profile(registration: Registration):
    user = registration.user
    if user is None:
        return None
    # Joined by select_related: reading it here costs no query.
    return getattr(user, "delegate_profile", None)


class ProfileField(fields.Field):
    """A column read from the delegate's profile (empty once the account is deleted)."""

    def __init__(self, name: str, **kwargs):
        super().__init__(column_name=name, readonly=True, **kwargs)
        self.profile_attribute = name

    def get_value(self, registration):
        profile = _profile(registration)
        return None if profile is None else getattr(profile, self.profile_attribute)


class JoinedWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return _joined(value)


class DateWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class RegistrationResource(resources.ModelResource):
    """One row per registration of one edition; build it with ``conference=``."""

    uuid = fields.Field(attribute="uuid", column_name="registration", readonly=True)
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    category = fields.Field(attribute="category__slug", column_name="category", readonly=True)
    registered_at = fields.Field(column_name="registered_at", readonly=True)
    email = fields.Field(attribute="user__email", column_name="email", readonly=True)
    passport_name = ProfileField("passport_name")
    arabic_name = ProfileField("arabic_name")
    badge_name = ProfileField("badge_name")
    organization = fields.Field(column_name="organization", readonly=True)
    organization_kind = fields.Field(column_name="organization_kind", readonly=True)
    position = ProfileField("position")
    country = fields.Field(column_name="country", readonly=True)
    governorate = fields.Field(column_name="governorate", readonly=True)
    languages = ProfileField("languages", widget=JoinedWidget())
    interpretation_needed = ProfileField("interpretation_needed", widget=JoinedWidget())
    accessibility_needs = ProfileField("accessibility_needs")
    dietary_needs = ProfileField("dietary_needs")
    phone = ProfileField("phone")
    gender = ProfileField("gender")
    at_risk = ProfileField("at_risk", widget=widgets.BooleanWidget())
    tracks = fields.Field(column_name="tracks", readonly=True)

    class Meta:
        model = Registration
        fields = [
            "uuid", "status", "category", "registered_at", "email", "passport_name", "arabic_name",
            "badge_name", "organization", "organization_kind", "position", "country", "governorate",
            "languages", "interpretation_needed", "accessibility_needs", "dietary_needs", "phone",
            "gender", "at_risk", "tracks",
        ]
        export_order = fields

    with_passports = False

    def __init__(self, *, conference: Conference, questions=None, **kwargs):
        super().__init__(**kwargs)
        self.conference = conference
        if questions is None:
            questions = list(Question.objects.filter(conference=conference))
        self.questions = list(questions)
        if self.with_passports:
            for name in PASSPORT_FIELDS:
                widget = DateWidget() if name in ("passport_expiry", "date_of_birth") else None
                self.fields[name] = ProfileField(name, **({"widget": widget} if widget else {}))
        for question in self.questions:
            name = f"question_{question.pk}"
            self.fields[name] = fields.Field(
                column_name=self.question_column(question), readonly=True,
                dehydrate_method=self._answer_reader(question),
            )

    @staticmethod
    def question_column(question: Question) -> str:
        # The number keeps two questions with the same wording apart.
        return f"q{question.pk}: {as_translated(question.label)}"

    def get_export_order(self):
        names = list(self._meta.export_order)
        if self.with_passports:
            names += PASSPORT_FIELDS
        return (*names, *(f"question_{question.pk}" for question in self.questions))

    # --- Reading ---------------------------------------------------------------------
    def export_queryset(self, queryset):
        """``queryset`` narrowed to the edition, with everything a row reads joined or
        prefetched: a fixed number of queries whatever the number of rows."""
        queryset = (
            queryset.filter(conference=self.conference)
            .select_related(
                "category", "organization", "governorate", "user__delegate_profile__organization",
                "user__delegate_profile__governorate",
            )
            .prefetch_related(
                "tracks",
                Prefetch("answers", queryset=Answer.objects.only(
                    "registration_id", "question_id", "value", "file", "file_name"
                )),
            )
        )
        if not queryset.query.order_by:
            queryset = queryset.order_by("created_at", "pk")
        if not self.with_passports:
            # Never read (nor decrypt) passport data for a file that does not show it.
            queryset = queryset.defer(*(f"user__delegate_profile__{name}" for name in PASSPORT_FIELDS))
        return queryset

    def iter_queryset(self, queryset):
        # The library pages a prefetching queryset, repeating every prefetch per page;
        # one read keeps the query count flat.
        yield from queryset

    # --- Columns -----------------------------------------------------------------------
    def dehydrate_registered_at(self, registration):
        moment = timezone.localtime(registration.created_at, self.conference.tzinfo)
        return moment.strftime("%Y-%m-%d %H:%M")

    def _organization(self, registration):
        profile = _profile(registration)
        if profile is not None:
            return profile.organization
        return registration.organization

    def dehydrate_organization(self, registration):
        organization = self._organization(registration)
        return organization.name if organization else ""

    def dehydrate_organization_kind(self, registration):
        organization = self._organization(registration)
        return organization.kind if organization else ""

    def dehydrate_country(self, registration):
        profile = _profile(registration)
        country = profile.country if profile is not None else registration.country
        return (country.code or "") if country else ""

    def dehydrate_governorate(self, registration):
        profile = _profile(registration)
        governorate = profile.governorate if profile is not None else registration.governorate
        return governorate.code if governorate else ""

    def dehydrate_tracks(self, registration):
        return _joined(sorted(track.slug for track in registration.tracks.all()))

    def _answer_reader(self, question: Question):
        def read(registration):
            answers = registration.__dict__.get("_answers_by_question")
            if answers is None:
                answers = {answer.question_id: answer for answer in registration.answers.all()}
                registration.__dict__["_answers_by_question"] = answers
            return answer_text(answers.get(question.pk))

        return read


class RegistrationPassportResource(RegistrationResource):
    """The same rows with the passport block: for visa officers only (logged)."""

    with_passports = True


def answer_text(answer: Answer | None) -> str:
    if answer is None:
        return ""
    if answer.file:
        return answer.file_name or os.path.basename(answer.file.name)
    value = answer.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return _joined(value)
    return str(value)


def _neutralise(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _HARMLESS.match(value):
        return "'" + value
    return value


def export_registrations(
    *, queryset, fmt: str, viewer: User, conference: Conference, now: dt.datetime | None = None
) -> tuple[bytes, str, str]:
    """The registrations of ``queryset`` (narrowed to ``conference``) as a CSV or XLSX
    file: ``(content, content type, file name)``. Passport columns are added, and each
    exported person's passport view logged, only for a viewer with VIEW_PASSPORTS."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format: {fmt!r}")
    with_passports = has_perm(viewer, Perm.VIEW_PASSPORTS, conference)
    if not with_passports and not has_perm(viewer, Perm.MANAGE_REGISTRATIONS, conference):
        raise services.RegistrationError(
            _("You may not export this edition's registrations."), code="forbidden"
        )
    resource_class = RegistrationPassportResource if with_passports else RegistrationResource
    resource = resource_class(conference=conference)
    rows = list(resource.export_queryset(queryset))
    dataset = resource.export(queryset=rows)
    for index, row in enumerate(dataset):
        dataset[index] = tuple(_neutralise(cell) for cell in row)
    if with_passports:
        services.passport_views_log(
            viewer=viewer, conference=conference, context="export",
            subject_ids=[registration.user_id for registration in rows if registration.user_id],
        )
    file_format = FORMATS[fmt]()
    content = file_format.export_data(dataset)
    if isinstance(content, str):
        # The byte-order mark makes Excel read the file as UTF-8 (Arabic and Kurdish).
        content = content.encode("utf-8-sig")
    day = timezone.localdate(now or timezone.now(), conference.tzinfo)
    content_type = file_format.get_content_type()
    if fmt == "csv":
        content_type += "; charset=utf-8"
    return content, content_type, f"{conference.slug}-registrations-{day.isoformat()}.{fmt}"
