"""Import and export of organisations (django-import-export), for the secretariat's
spreadsheets. Rows are matched by slug, tracks are named by slug separated by "|" and
the governorate by its code, so a file exported here imports back unchanged.

The admin's XLSX (``OrganizationWorkbook``) opens on a sheet for people, with labels
in the exporter's language, and keeps those codes in its "codes" sheet, which is the
one an import reads."""

import tablib
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from import_export import fields, resources, widgets
from import_export.formats.base_formats import XLSX

from conference.countries import country_name
from conference.models import Governorate, Organization, Track
from conference.spreadsheets import CODES_SHEET, read_codes_sheet, xlsx_bytes, yes_no


class TranslatedColumnWidget(widgets.Widget):
    def __init__(self, language: str):
        super().__init__()
        self.language = language

    def render(self, value, obj=None, **kwargs):
        return (value or {}).get(self.language, "")


class OrganizationResource(resources.ModelResource):
    governorate = fields.Field(
        attribute="governorate",
        column_name="governorate",
        widget=widgets.ForeignKeyWidget(Governorate, field="code"),
    )
    tracks = fields.Field(
        attribute="tracks",
        column_name="tracks",
        widget=widgets.ManyToManyWidget(Track, separator="|", field="slug"),
    )
    description_ar = fields.Field(column_name="description_ar", readonly=True)
    description_ckb = fields.Field(column_name="description_ckb", readonly=True)
    description_en = fields.Field(column_name="description_en", readonly=True)

    class Meta:
        model = Organization
        import_id_fields = ["slug"]
        fields = [
            "slug", "name", "name_ar", "kind", "country", "governorate", "tracks",
            "website", "verified", "description_ar", "description_ckb", "description_en",
        ]
        export_order = fields
        skip_unchanged = True
        report_skipped = True

    def dehydrate_description_ar(self, org):
        return org.description.get("ar", "")

    def dehydrate_description_ckb(self, org):
        return org.description.get("ckb", "")

    def dehydrate_description_en(self, org):
        return org.description.get("en", "")

    def before_import_row(self, row, **kwargs):
        # Description columns are read-only fields; fold them into the JSON text here.
        self._descriptions = {
            code: (row.get(f"description_{code}") or "").strip() for code in ("ar", "ckb", "en")
        }

    def before_save_instance(self, instance, row, **kwargs):
        descriptions = {k: v for k, v in getattr(self, "_descriptions", {}).items() if v}
        if descriptions:
            instance.description = descriptions
        instance.full_clean(exclude=["tracks"])


def _field_label(name: str) -> str:
    return capfirst(Organization._meta.get_field(name).verbose_name)


def organization_table(dataset: tablib.Dataset) -> tuple[list[str], list[list]]:
    """The codes of ``dataset`` (an OrganizationResource export) as labels in the
    active language, under headers people read, column for column."""
    kinds = dict(Organization.Kind.choices)
    governorates = {g.code: str(g.name) for g in Governorate.objects.all()}
    tracks = {t.slug: str(t.name) for t in Track.objects.all()}
    separator = pgettext("list separator", ", ")
    described = _("Public description (%(language)s)")
    columns = {
        "slug": (_("Identifier"), str),
        "name": (_field_label("name"), str),
        "name_ar": (_field_label("name_ar"), str),
        "kind": (_("Kind"), lambda code: str(kinds.get(code, code))),
        "country": (_("Country"), lambda code: country_name(code) if code else ""),
        "governorate": (_("Governorate"), lambda code: governorates.get(code, code or "")),
        "tracks": (
            _("Tracks"),
            lambda slugs: separator.join(tracks.get(slug, slug) for slug in (slugs or "").split("|") if slug),
        ),
        "website": (_field_label("website"), str),
        "verified": (_field_label("verified"), lambda flag: yes_no(str(flag) in ("1", "True", "true"))),
        "description_ar": (described % {"language": _("Arabic")}, str),
        "description_ckb": (described % {"language": _("Central Kurdish (Sorani)")}, str),
        "description_en": (described % {"language": _("English")}, str),
    }
    headers = [columns[name][0] if name in columns else name for name in dataset.headers]
    convert = [columns[name][1] if name in columns else str for name in dataset.headers]
    rows = [
        [to_text(value) if value is not None else "" for to_text, value in zip(convert, row, strict=True)]
        for row in dataset
    ]
    return headers, rows


class OrganizationWorkbook(XLSX):
    """XLSX for the organisations admin: the sheet for people first, the codes second;
    an import reads the codes sheet (or the first sheet of a file without one)."""

    def export_data(self, dataset, **kwargs):
        headers, rows = organization_table(dataset)
        return xlsx_bytes([(_("Organisations"), headers, rows), (CODES_SHEET, dataset.headers, dataset)])

    def create_dataset(self, in_stream):
        headers, rows = read_codes_sheet(in_stream)
        dataset = tablib.Dataset(headers=headers)
        for row in rows:
            if any(value is not None for value in row):
                dataset.append(row)
        return dataset
