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
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_countries.fields import Country
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX

from conference.i18n import as_translated
from conference.models import Conference, User
from conference.permissions import Perm, has_perm
from conference.spreadsheets import CODES_SHEET, xlsx_bytes, yes_no
from registrations import services
from registrations.models import (
    INTERPRETATION_LANGUAGES,
    Answer,
    DelegateProfile,
    Question,
    QuestionOption,
    Registration,
    SpokenLanguage,
)

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
            return answer_text(_answers(registration).get(question.pk))

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
            _("You may not export this edition's registrations."), code="forbidden", status=403
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
    if fmt == "xlsx":
        # People read the first sheet (labels in the exporter's language); the codes
        # sheet keeps the stable keys for filters, programs and comparisons.
        headers, human_rows = human_table(resource, rows)
        content = xlsx_bytes(
            [(_("Registrations"), headers, human_rows), (CODES_SHEET, dataset.headers, dataset)]
        )
    else:
        content = file_format.export_data(dataset)
    if isinstance(content, str):
        # The byte-order mark makes Excel read the file as UTF-8 (Arabic and Kurdish).
        content = content.encode("utf-8-sig")
    day = timezone.localdate(now or timezone.now(), conference.tzinfo)
    content_type = file_format.get_content_type()
    if fmt == "csv":
        content_type += "; charset=utf-8"
    return content, content_type, f"{conference.slug}-registrations-{day.isoformat()}.{fmt}"


# --- The sheet for people ----------------------------------------------------------------
def _profile_label(name: str) -> str:
    return capfirst(DelegateProfile._meta.get_field(name).verbose_name)


def _listed(values, names: dict) -> str:
    return pgettext("list separator", ", ").join(str(names.get(value, value)) for value in values or [])


def _human_answer(answer: Answer | None, question: Question, options: dict) -> object:
    if answer is None:
        return ""
    if answer.file:
        return answer_text(answer)
    value = answer.value
    if isinstance(value, bool) or question.kind == Question.Kind.YES_NO:
        return "" if value is None else yes_no(value)
    labels = options.get(question.pk, {})
    if isinstance(value, list):
        return _listed(value, labels)
    if question.kind == Question.Kind.SINGLE_CHOICE:
        return str(labels.get(value, value))
    return "" if value is None else str(value)


def human_table(resource: RegistrationResource, rows: list[Registration]) -> tuple[list, list[list]]:
    """The rows of ``rows`` for people: a header and a label in the active language for
    every column of the codes sheet, in the same order (update ``columns`` below when
    a column is added to the resource; the test compares the two sheets)."""
    tz = resource.conference.tzinfo
    options = {}
    for option in QuestionOption.objects.filter(question__in=resource.questions):
        options.setdefault(option.question_id, {})[option.key] = option.label
    spoken = dict(SpokenLanguage.choices)
    interpretation = dict(INTERPRETATION_LANGUAGES)

    def profile(name):
        return lambda r, p: getattr(p, name) if p is not None else ""

    def dated(name):
        return lambda r, p: (getattr(p, name) or "") if p is not None else ""

    columns = {
        "uuid": (_("Registration"), lambda r, p: str(r.uuid)),
        "status": (_("Status"), lambda r, p: r.get_status_display()),
        "category": (_("Category"), lambda r, p: str(r.category.name)),
        "registered_at": (
            _("Registered"), lambda r, p: timezone.localtime(r.created_at, tz).replace(tzinfo=None)
        ),
        "email": (_("E-mail"), lambda r, p: r.user.email if r.user else ""),
        "passport_name": (_profile_label("passport_name"), profile("passport_name")),
        "arabic_name": (_profile_label("arabic_name"), profile("arabic_name")),
        "badge_name": (_profile_label("badge_name"), profile("badge_name")),
        "organization": (
            _("Organisation"),
            lambda r, p: (o.display_name() if (o := resource._organization(r)) else ""),
        ),
        "organization_kind": (
            _("Kind of organisation"),
            lambda r, p: (o.get_kind_display() if (o := resource._organization(r)) else ""),
        ),
        "position": (_profile_label("position"), profile("position")),
        "country": (_("Country"), lambda r, p: _country(p.country if p is not None else r.country)),
        "governorate": (
            _("Governorate"),
            lambda r, p: str(g.name) if (g := (p.governorate if p is not None else r.governorate)) else "",
        ),
        "languages": (_profile_label("languages"), lambda r, p: _listed(p.languages, spoken) if p else ""),
        "interpretation_needed": (
            _profile_label("interpretation_needed"),
            lambda r, p: _listed(p.interpretation_needed, interpretation) if p else "",
        ),
        "accessibility_needs": (_profile_label("accessibility_needs"), profile("accessibility_needs")),
        "dietary_needs": (_profile_label("dietary_needs"), profile("dietary_needs")),
        "phone": (_profile_label("phone"), profile("phone")),
        "gender": (
            _("Gender"),
            lambda r, p: (p.gender_self_description or p.get_gender_display()) if p and p.gender else "",
        ),
        "at_risk": (_("At risk"), lambda r, p: yes_no(p.at_risk) if p is not None else ""),
        "tracks": (
            _("Tracks of interest"),
            lambda r, p: pgettext("list separator", ", ").join(
                str(t.name) for t in sorted(r.tracks.all(), key=lambda t: t.order)
            ),
        ),
        "passport_number": (_profile_label("passport_number"), profile("passport_number")),
        "passport_expiry": (_profile_label("passport_expiry"), dated("passport_expiry")),
        "nationality": (
            _profile_label("nationality"),
            lambda r, p: _country(Country(p.nationality)) if p is not None and p.nationality else "",
        ),
        "date_of_birth": (_profile_label("date_of_birth"), dated("date_of_birth")),
    }
    for question in resource.questions:
        columns[f"question_{question.pk}"] = (
            as_translated(question.label),
            lambda r, p, q=question: _human_answer(_answers(r).get(q.pk), q, options),
        )
    order = list(resource.get_export_order())
    headers = [columns[name][0] for name in order]
    table = []
    for registration in rows:
        person = _profile(registration)
        table.append([columns[name][1](registration, person) for name in order])
    return headers, table


def _country(country) -> str:
    return country.name if country else ""


def _answers(registration: Registration) -> dict:
    """The registration's answers by question id, read once from the prefetch."""
    answers = registration.__dict__.get("_answers_by_question")
    if answers is None:
        answers = {answer.question_id: answer for answer in registration.answers.all()}
        registration.__dict__["_answers_by_question"] = answers
    return answers
