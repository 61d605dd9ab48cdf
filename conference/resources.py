"""Import and export of organisations (django-import-export), for the secretariat's
spreadsheets. Rows are matched by slug, tracks are named by slug separated by "|" and
the governorate by its code, so a file exported here imports back unchanged."""

from import_export import fields, resources, widgets

from conference.models import Governorate, Organization, Track


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
