import pytest
import tablib

from conference.models import Organization
from conference.resources import OrganizationResource

pytestmark = pytest.mark.django_db


def test_organizations_export_and_import_round_trip(reference_data):
    from conference.models import Governorate, Track

    org = Organization.objects.create(
        slug="basra-water", name="Basra Water Forum", name_ar="منتدى مياه البصرة", kind="ngo",
        country="IQ", governorate=Governorate.objects.get(code="basra"), verified=True,
        description={"ar": "حق الماء", "en": "Right to water"},
    )
    org.tracks.set(Track.objects.filter(slug__in=["heritage-environment", "youth"]))
    exported = OrganizationResource().export()
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["governorate"] == "basra"
    assert set(row["tracks"].split("|")) == {"heritage-environment", "youth"}
    assert row["description_ar"] == "حق الماء"

    # A spreadsheet with one changed row and one new one.
    data = tablib.Dataset(headers=exported.headers)
    data.append([row[h] if h != "verified" else "0" for h in exported.headers])
    new = dict(row, slug="erbil-media", name="Erbil Free Press", name_ar="ڕۆژنامەی هەولێر",
               kind="media", governorate="erbil", tracks="democracy", description_ar="",
               description_en="Independent news", description_ckb="هەواڵی سەربەخۆ")
    data.append([new[h] for h in exported.headers])
    result = OrganizationResource().import_data(data, dry_run=False, raise_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    org.refresh_from_db()
    assert org.verified is False
    created = Organization.objects.get(slug="erbil-media")
    assert created.governorate.code == "erbil"
    assert list(created.tracks.values_list("slug", flat=True)) == ["democracy"]
    assert created.description == {"en": "Independent news", "ckb": "هەواڵی سەربەخۆ"}


def test_import_refuses_bad_rows_with_reasons(reference_data):
    headers = ["slug", "name", "name_ar", "kind", "country", "governorate", "tracks", "website",
               "verified", "description_ar", "description_ckb", "description_en"]
    data = tablib.Dataset(headers=headers)
    data.append(["berlin-x", "Partner e.V.", "", "international", "DE", "basra", "", "", "1",
                 "", "", ""])
    result = OrganizationResource().import_data(data, dry_run=True)
    assert result.has_validation_errors()
    assert Organization.objects.count() == 0


def test_admin_pages_open_for_superusers_with_two_factor(client, make_user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    admin = make_user(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/admin/conference/organization/")
    assert response.status_code == 302 and "/accounts/2fa/totp/activate/" in response["Location"]
    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    for path in ("/admin/conference/organization/", "/admin/conference/organization/import/",
                 "/admin/conference/conference/", "/admin/conference/outgoingemail/",
                 "/admin/registrations/category/", "/admin/registrations/question/add/",
                 "/admin/registrations/registration/"):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("ckb", "rtl"), ("en", "ltr")])
def test_login_page_uses_the_project_layout(client, reference_data, language, direction):
    response = client.get(f"/{language}/accounts/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in body
    assert "data-language-switcher" in body


def test_organizations_xlsx_has_a_sheet_for_people_and_imports_from_its_codes(reference_data):
    """Issue 10: "Tablib Dataset" with ngo, kirkuk and 0/1 under machine headers. The
    admin's XLSX opens on named, labelled columns; the codes sheet re-imports."""
    import io

    import openpyxl
    from django.utils import translation

    from conference.admin import OrganizationAdmin
    from conference.models import Governorate, Track
    from conference.resources import OrganizationWorkbook

    org = Organization.objects.create(
        slug="kirkuk-unions", name="Kirkuk Workers", name_ar="عمال كركوك", kind="ngo", country="IQ",
        governorate=Governorate.objects.get(code="kirkuk"), verified=True,
    )
    org.tracks.set(Track.objects.filter(slug="youth"))
    assert OrganizationWorkbook in OrganizationAdmin.formats
    with translation.override("en"):
        content = OrganizationWorkbook().export_data(OrganizationResource().export())
        kirkuk = str(Governorate.objects.get(code="kirkuk").name)
        youth = str(Track.objects.get(slug="youth").name)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Organisations", "codes"] and book.active.title == "Organisations"
    people = list(book["Organisations"].values)
    row = dict(zip(people[0], people[1], strict=True))
    assert row["Kind"] == "Non-governmental organisation" and row["Governorate"] == kirkuk
    assert row["Country"] == "Iraq" and row["Verified"] == "Yes" and row["Tracks"] == youth
    assert row["Name in Arabic script"] == "عمال كركوك"
    codes = list(book["codes"].values)
    assert dict(zip(codes[0], codes[1], strict=True))["governorate"] == "kirkuk"
    with translation.override("ar"):
        arabic_file = OrganizationWorkbook().export_data(OrganizationResource().export())
    arabic = openpyxl.load_workbook(io.BytesIO(arabic_file))
    assert arabic.worksheets[0].sheet_view.rightToLeft and arabic.worksheets[0].title != "Organisations"

    # Re-import: the file as exported, read from its codes sheet, changes nothing.
    dataset = OrganizationWorkbook().create_dataset(content)
    assert dataset.headers[:3] == ["slug", "name", "name_ar"]
    result = OrganizationResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    org.refresh_from_db()
    assert org.governorate.code == "kirkuk" and org.verified
