"""Import of invited delegates from an organizer's spreadsheet (CSV or XLSX).

All or nothing: every row is checked first, and one bad row imports no row; the
organizer gets each problem with its row (as numbered in the spreadsheet, the header
being row 1) and column, fixes the file and imports it again. Importing the same file
twice is harmless: people already registered in the edition are skipped and listed.

Each invitee gets one e-mail, in their language, saying they are invited and whether
their place is confirmed or on the waiting list: new accounts get a link to choose
their password (the invitation proves the address, so it is marked verified), people
who already had an account a link to their registration.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django import forms
from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from import_export.formats.base_formats import XLSX

from conference import services as core_services
from conference.i18n import as_translated
from conference.models import Governorate, Organization, User
from conference.notify import notify
from conference.permissions import Perm, has_perm
from registrations import services
from registrations.models import Category, Registration

COLUMNS = (
    "email", "full_name", "passport_name", "arabic_name", "preferred_language", "country",
    "governorate", "organization",
)
REQUIRED_COLUMNS = ("email", "passport_name", "country")
INVITE_LANGUAGES = ("ar", "ckb", "en")
FORMATS = ("csv", "xlsx")
MAX_ROWS = 5000
# 5,000 rows of a dozen short columns fit in well under 4 MB; a bigger file is a
# mistake (or an attack), refused before it is read (below DATA_UPLOAD_MAX_MEMORY_SIZE).
MAX_FILE_BYTES = 4 * 1024 * 1024

_SPACES = re.compile(r"\s+")
# Besides letters: what passports print between the parts of a name.
_NAME_PUNCTUATION = frozenset(" -'.")


def _is_latin(text: str) -> bool:
    for char in text:
        if char in _NAME_PUNCTUATION:
            continue
        if not char.isalpha() or not unicodedata.name(char, "").startswith("LATIN "):
            return False
    return True


class InviteeRow(forms.Form):
    """One row of the file. Field names are the column names, so each error names
    its column."""

    email = forms.EmailField(max_length=254)
    full_name = forms.CharField(max_length=200, required=False)
    passport_name = forms.CharField(max_length=200)
    arabic_name = forms.CharField(max_length=200, required=False)
    preferred_language = forms.CharField(required=False)
    country = forms.CharField()
    governorate = forms.CharField(required=False)
    organization = forms.CharField(required=False)

    def __init__(self, data, *, governorates: dict, organizations: dict):
        super().__init__(data)
        self.governorates = governorates
        self.organizations = organizations

    def clean_email(self):
        return self.cleaned_data["email"].lower()

    def clean_full_name(self):
        return _SPACES.sub(" ", self.cleaned_data["full_name"]).strip()

    def clean_passport_name(self):
        name = _SPACES.sub(" ", self.cleaned_data["passport_name"]).strip()
        if not _is_latin(name):
            raise forms.ValidationError(
                _("Write the name in Latin letters, exactly as printed in the passport."), code="not_latin"
            )
        return name

    def clean_arabic_name(self):
        return _SPACES.sub(" ", self.cleaned_data["arabic_name"]).strip()

    def clean_preferred_language(self):
        language = self.cleaned_data["preferred_language"].strip().lower() or settings.LANGUAGE_CODE
        if language not in INVITE_LANGUAGES:
            raise forms.ValidationError(
                _("“%(value)s” is not a language of the site: write ar, ckb or en."),
                code="invalid_choice", params={"value": language},
            )
        return language

    def clean_country(self):
        code = self.cleaned_data["country"].strip().upper()
        if code not in countries:
            raise forms.ValidationError(
                _("“%(value)s” is not a country code: write the two-letter ISO code, such as IQ or DE."),
                code="invalid_choice", params={"value": code},
            )
        return code

    def clean_governorate(self):
        code = self.cleaned_data["governorate"].strip().lower()
        if not code:
            return None
        if code not in self.governorates:
            raise forms.ValidationError(
                _("“%(value)s” is not a governorate code."), code="invalid_choice", params={"value": code}
            )
        return self.governorates[code]

    def clean_organization(self):
        slug = self.cleaned_data["organization"].strip().lower()
        if not slug:
            return None
        if slug not in self.organizations:
            raise forms.ValidationError(
                _("No organisation in the directory has the short name “%(value)s”."),
                code="invalid_choice", params={"value": slug},
            )
        return self.organizations[slug]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("governorate") and cleaned.get("country") not in (None, "IQ"):
            self.add_error(
                "governorate", _("Only people who live in Iraq have a governorate: leave it empty.")
            )
        return cleaned


# --- Reading the file -----------------------------------------------------------------
def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_table(data: bytes, fmt: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the first sheet, every cell as stripped text."""
    if fmt == "csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise services.RegistrationError(
                _("The file is not in UTF-8. In Excel, save it as “CSV UTF-8 (Comma delimited)”."),
                code="not_utf8",
            ) from None
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        try:
            table = [[_cell(value) for value in row] for row in reader]
        except csv.Error:
            # A cell past the csv module's limit, or a NUL byte: not a list of people.
            raise services.RegistrationError(
                _("The file could not be read as a CSV table."), code="unreadable"
            ) from None
    else:
        try:
            dataset = XLSX().create_dataset(data)
        except Exception:
            raise services.RegistrationError(
                _("The file could not be read as an Excel (XLSX) workbook."), code="unreadable"
            ) from None
        table = [[_cell(value) for value in dataset.headers or []]]
        table += [[_cell(value) for value in row] for row in dataset]
    if not table:
        return [], []
    return [name.lower() for name in table[0]], table[1:]


def file_too_big_message(size: int) -> str:
    return _("This file is %(size)s MB; an import may be at most %(limit)s MB.") % {
        "size": f"{size / 1_048_576:.1f}", "limit": MAX_FILE_BYTES // 1_048_576,
    }


def _error(row, column, message) -> dict:
    return {"row": row, "column": column, "message": str(message)}


def _rows(header: list[str], table: list[list[str]], errors: list) -> list[tuple[int, dict]]:
    """(row number, {column: text}) for each non-empty row; problems with the header or
    with a row's length go to ``errors``."""
    for index, name in enumerate(header):
        if name and name not in COLUMNS:
            errors.append(_error(1, name, _("Unknown column. The columns are: %(columns)s.")
                                 % {"columns": ", ".join(COLUMNS)}))
        elif name and header.index(name) != index:
            errors.append(_error(1, name, _("This column appears twice.")))
    for name in REQUIRED_COLUMNS:
        if name not in header:
            errors.append(_error(1, name, _("This column is missing.")))
    rows = []
    for offset, values in enumerate(table):
        number = offset + 2
        if not any(values):
            continue
        if len(values) > len(header) and any(values[len(header):]):
            errors.append(_error(number, None, _("This row has more cells than the header has columns.")))
            continue
        row = {}
        for name, value in zip(header, values, strict=False):
            if name in COLUMNS and name not in row:
                row[name] = value
        rows.append((number, row))
    return rows


# --- The import -------------------------------------------------------------------------
def invited_import(*, data: bytes, fmt: str, category: Category, by: User, dry_run: bool = False) -> dict:
    """Register everyone in the file in ``category`` as invited by ``by`` (an organizer).

    Returns ``{"created": accounts made, "registered": registrations made, "skipped":
    [{"row", "email", "reason"}], "errors": [{"row", "column", "message"}]}``. With any
    error, or with ``dry_run``, nothing is written (a dry run counts what would be)."""
    conference = category.conference
    if not has_perm(by, Perm.MANAGE_REGISTRATIONS, conference):
        raise services.RegistrationError(
            _("Only organizers import invited delegates."), code="forbidden", status=403
        )
    if fmt not in FORMATS:
        raise ValueError(f"unknown import format: {fmt!r}")
    result: dict = {"created": 0, "registered": 0, "skipped": [], "errors": []}
    errors = result["errors"]
    if len(data) > MAX_FILE_BYTES:
        errors.append(_error(None, None, file_too_big_message(len(data))))
        return result
    try:
        header, table = _read_table(data, fmt)
    except services.RegistrationError as problem:
        errors.append(_error(None, None, problem.message))
        return result
    rows = _rows(header, table, errors)
    if errors:
        return result
    if not rows:
        errors.append(_error(None, None, _("The file has no one to import.")))
        return result
    if len(rows) > MAX_ROWS:
        errors.append(_error(None, None, _("Import at most %(count)s people at a time.")
                             % {"count": MAX_ROWS}))
        return result

    governorates = {governorate.code: governorate for governorate in Governorate.objects.all()}
    slugs = {row.get("organization", "").lower() for _number, row in rows} - {""}
    organizations = {org.slug: org for org in Organization.objects.filter(slug__in=slugs)}
    emails = {row.get("email", "").lower() for _number, row in rows} - {""}
    existing = {
        user.email.lower(): user
        for user in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .select_related("delegate_profile")
    }
    registered = set(
        Registration.objects.live()
        .filter(conference=conference, user__in=existing.values())
        .values_list("user_id", flat=True)
    )

    accepted: list[tuple[dict, User | None]] = []
    first_row_of: dict[str, int] = {}
    for number, row in rows:
        form = InviteeRow(row, governorates=governorates, organizations=organizations)
        if not form.is_valid():
            for column, messages in form.errors.items():
                for message in messages:
                    errors.append(_error(number, column if column in COLUMNS else None, message))
            continue
        person = form.cleaned_data
        email = person["email"]
        if email in first_row_of:
            errors.append(_error(number, "email", _("This address is already in row %(row)s.")
                                 % {"row": first_row_of[email]}))
            continue
        first_row_of[email] = number
        user = existing.get(email)
        if user is not None and user.pk in registered:
            result["skipped"].append({"row": number, "email": email, "reason": str(_("already registered"))})
            continue
        accepted.append((person, user))

    if errors or dry_run:
        if not errors:
            result["created"] = sum(1 for _person, user in accepted if user is None)
            result["registered"] = len(accepted)
        return result

    with transaction.atomic():
        for person, user in accepted:
            created = user is None
            if created:
                user = _account_create(person)
                result["created"] += 1
            if getattr(user, "delegate_profile", None) is None:
                services.profile_save(user=user, data={
                    "passport_name": person["passport_name"], "arabic_name": person["arabic_name"],
                    "country": person["country"], "governorate": person["governorate"],
                    "organization": person["organization"],
                })
            # One e-mail per person: the invitation below tells the status too.
            registration = services.register(
                user=user, category=category, by=by, invited=True, send_email=False
            )
            result["registered"] += 1
            _invitation_send(user=user, registration=registration, person=person, created=created)
    return result


def _account_create(person: dict) -> User:
    # The invitation reaches this address: following its link proves it.
    return core_services.account_create_verified(
        email=person["email"],
        full_name=person["full_name"] or person["passport_name"],
        preferred_language=person["preferred_language"],
    )


def _invitation_send(*, user: User, registration: Registration, person: dict, created: bool) -> None:
    conference = registration.conference
    # An account nobody has set a password for yet (new, or made by an earlier import
    # and never used) gets the link to choose one; others go to their registration.
    set_password = not user.has_usable_password()
    if set_password:
        link = ("account_reset_password_from_key", {
            "uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user),
        })
    else:
        link = ("registration_status", {"edition": conference.slug})
    notify(
        to=user,
        template="registration_invited",
        links={"link_path": link},
        # A new account is greeted as the organizer wrote the name; an existing one by the
        # name its owner gave (notify's greeting).
        context={
            # as_translated: an object made in this process (not read back from the
            # database) holds a plain dict, which would print as one.
            "edition_title": as_translated(conference.title),
            "category_name": as_translated(registration.category.name),
            "status": registration.status,
            "status_label": Registration.Status(registration.status).label,
            "position": services.waitlist_position(registration),
            "set_password": set_password,
            "link_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
    )

