"""Export of an edition's registrations and import of invited delegates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from allauth.account.models import EmailAddress
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext as _

from conference.models import Governorate, Organization, OutgoingEmail, Track, User
from conference.permissions import Role
from registrations import services
from registrations.imports import invited_import
from registrations.models import (
    Answer,
    DelegateProfile,
    PassportAccessLog,
    Question,
    QuestionOption,
    Registration,
)
from registrations.resources import export_registrations

pytestmark = pytest.mark.django_db

PASSPORT_COLUMNS = ["passport_number", "passport_expiry", "nationality", "date_of_birth"]


@pytest.fixture
def category(edition, make_category):
    return make_category(edition, capacity=2000)


@pytest.fixture
def questions(edition):
    why = Question.objects.create(
        conference=edition, kind=Question.Kind.SHORT_TEXT, order=1,
        label={"ar": "لماذا تشارك؟", "en": "Why do you take part?"},
    )
    topics = Question.objects.create(
        conference=edition, kind=Question.Kind.MULTIPLE_CHOICE, order=2, label={"en": "Topics"},
    )
    for order, key in enumerate(["water", "media", "women"]):
        QuestionOption.objects.create(question=topics, key=key, label={"en": key.title()}, order=order)
    letter = Question.objects.create(
        conference=edition, kind=Question.Kind.FILE, order=3, label={"en": "Letter of support"},
    )
    return why, topics, letter


@pytest.fixture
def organizer(edition, make_staff):
    return make_staff(edition, Role.ORGANIZER, "organizer@example.org", language="en")


@pytest.fixture
def visa_officer(edition, make_staff):
    return make_staff(edition, Role.VISA_OFFICER, "visa@example.org", language="en")


@pytest.fixture
def two_registrations(edition, category, questions, make_delegate):
    import datetime as dt

    why, topics, letter = questions
    org = Organization.objects.create(slug="basra-water", name="Basra Water Forum",
                                      name_ar="منتدى مياه البصرة", kind="ngo", country="IQ")
    zainab = make_delegate(
        "zainab@example.org", passport_name="Zainab Al-Saadi", arabic_name="زينب الساعدي",
        organization=org, governorate=Governorate.objects.get(code="basra"), position="Coordinator",
        languages=["ar", "en"], interpretation_needed=["en"], phone="+964 770 123 4567",
        gender="woman", at_risk=True, badge_name="=HYPERLINK(\"http://evil\")",
        passport_number="A1234567", passport_expiry=dt.date(2030, 1, 2), nationality="IQ",
        date_of_birth=dt.date(1990, 5, 6),
    )
    karwan = make_delegate("karwan@example.org", language="ckb", passport_name="Karwan Aziz",
                           arabic_name="کاروان عەزیز", country="DE")
    first = services.register(
        user=zainab, category=category,
        answers={why: "الدفاع عن حق الماء", topics: ["water", "women"]},
        tracks=Track.objects.filter(slug__in=["youth", "democracy"]), send_email=False,
    )
    second = services.register(user=karwan, category=category, send_email=False)
    Answer.objects.create(registration=first, question=letter, file="registrations/answers/x/document.pdf",
                          file_name="رسالة دعم.pdf")
    return first, second


def rows_of_csv(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


# --- Export -------------------------------------------------------------------------------
def test_csv_export_has_every_column_with_arabic_text(edition, organizer, two_registrations, questions):
    first, _second = two_registrations
    why, topics, letter = questions
    # Question headers follow the organizer's language (the page's); here Arabic.
    with translation.override("ar"):
        content, content_type, name = export_registrations(
            queryset=Registration.objects.all(), fmt="csv", viewer=organizer, conference=edition
        )
    assert content_type == "text/csv; charset=utf-8"
    assert re.fullmatch(r"baghdad-2027-registrations-\d{4}-\d{2}-\d{2}\.csv", name)
    rows = rows_of_csv(content)
    assert len(rows) == 2
    row = rows[0]
    assert list(row)[:21] == [
        "registration", "status", "category", "registered_at", "email", "passport_name", "arabic_name",
        "badge_name", "organization", "organization_kind", "position", "country", "governorate",
        "languages", "interpretation_needed", "accessibility_needs", "dietary_needs", "phone",
        "gender", "at_risk", "tracks",
    ]
    assert row["registration"] == str(first.uuid)
    assert row["status"] == "confirmed" and row["category"] == "delegate"
    assert row["email"] == "zainab@example.org"
    assert row["passport_name"] == "Zainab Al-Saadi" and row["arabic_name"] == "زينب الساعدي"
    assert row["organization"] == "Basra Water Forum" and row["organization_kind"] == "ngo"
    assert row["country"] == "IQ" and row["governorate"] == "basra"
    assert row["languages"] == "ar|en" and row["interpretation_needed"] == "en"
    assert row["phone"] == "+964 770 123 4567"
    assert row["gender"] == "woman" and row["at_risk"] == "1"
    assert row["tracks"] == "democracy|youth"
    # A delegate's text never runs as a formula in the organizer's spreadsheet.
    assert row["badge_name"] == "'=HYPERLINK(\"http://evil\")"
    # One column per question, in the edition's order.
    assert list(row)[21:] == [f"q{why.pk}: لماذا تشارك؟", f"q{topics.pk}: Topics",
                              f"q{letter.pk}: Letter of support"]
    assert row[f"q{why.pk}: لماذا تشارك؟"] == "الدفاع عن حق الماء"
    assert row[f"q{topics.pk}: Topics"] == "water|women"
    assert row[f"q{letter.pk}: Letter of support"] == "رسالة دعم.pdf"
    assert rows[1]["arabic_name"] == "کاروان عەزیز" and rows[1]["governorate"] == ""
    assert rows[1][f"q{topics.pk}: Topics"] == ""
    for column in PASSPORT_COLUMNS:
        assert column not in row
    assert PassportAccessLog.objects.count() == 0


def test_xlsx_export_opens_back_with_arabic_names(edition, organizer, two_registrations):
    content, content_type, name = export_registrations(
        queryset=Registration.objects.all(), fmt="xlsx", viewer=organizer, conference=edition
    )
    assert content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert name.endswith(".xlsx")
    # The codes sheet keeps the stable keys (the first sheet is for people: see below).
    sheet = openpyxl.load_workbook(io.BytesIO(content))["codes"]
    values = list(sheet.values)
    headers = list(values[0])
    assert headers[:3] == ["registration", "status", "category"]
    assert "passport_number" not in headers
    rows = [dict(zip(headers, row, strict=True)) for row in values[1:]]
    assert [row["arabic_name"] for row in rows] == ["زينب الساعدي", "کاروان عەزیز"]
    assert rows[0]["tracks"] == "democracy|youth"
    # openpyxl reads a string starting with "=" as a formula; it stays text.
    assert sheet.cell(row=2, column=headers.index("badge_name") + 1).data_type == "s"


def _sheet_rows(sheet) -> list[dict]:
    values = list(sheet.values)
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_xlsx_first_sheet_is_for_people_in_the_exporters_language(
    edition, organizer, two_registrations, questions
):
    """Issue 10: the sheet was "Tablib Dataset", with ngo, basra and 1 under machine
    headers. Now a named sheet with labels, and the codes in a second sheet."""
    with translation.override("en"):
        content, _type, _name = export_registrations(
            queryset=Registration.objects.all(), fmt="xlsx", viewer=organizer, conference=edition
        )
        track_names = {str(t.name) for t in Track.objects.filter(slug__in=["youth", "democracy"])}
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Registrations", "codes"]
    assert book.active.title == "Registrations"
    people, codes = book["Registrations"], book["codes"]
    assert not people.sheet_view.rightToLeft
    assert people.freeze_panes == "A2" and people["A1"].font.bold
    zainab, karwan = _sheet_rows(people)
    assert list(zainab)[:6] == ["Registration", "Status", "Category", "Registered", "E-mail",
                                "Name as in passport (Latin script)"]
    assert zainab["Status"] == "Confirmed"
    assert zainab["Organisation"] == "Basra Water Forum"
    assert zainab["Kind of organisation"] == "Non-governmental organisation"
    assert zainab["Country"] == "Iraq" and zainab["Governorate"] == "Basra"
    assert zainab["At risk"] == "Yes" and karwan["At risk"] == "No"
    assert karwan["Country"] == "Germany"
    assert zainab["Gender"] == "Woman"
    assert zainab["Languages spoken"] == "Arabic, English"
    assert set(zainab["Tracks of interest"].split(", ")) == track_names
    assert zainab["Topics"] == "Water, Women"
    assert zainab["Letter of support"] == "رسالة دعم.pdf"
    assert isinstance(zainab["Registered"], dt.datetime)
    # A delegate's text is text in both sheets, never a formula.
    badge = list(zainab).index("Name on badge") + 1
    assert people.cell(row=2, column=badge).data_type == "s"
    # Both sheets hold the same rows and as many columns.
    assert people.max_row == codes.max_row == 3 and people.max_column == codes.max_column
    assert _sheet_rows(codes)[0]["organization_kind"] == "ngo"


def test_xlsx_for_an_arabic_reader_reads_right_to_left_with_arabic_labels(
    edition, organizer, two_registrations
):
    with translation.override("ar"):
        content, _type, _name = export_registrations(
            queryset=Registration.objects.all(), fmt="xlsx", viewer=organizer, conference=edition
        )
        expected = {
            "sheet": str(_("Registrations")), "status": str(_("Status")),
            "confirmed": str(Registration.Status.CONFIRMED.label),
            "ngo": str(Organization.Kind.NGO.label), "yes": str(_("Yes")),
            "country": str(_("Country")),
        }
    book = openpyxl.load_workbook(io.BytesIO(content))
    people = book.worksheets[0]
    assert people.title == expected["sheet"] and people.sheet_view.rightToLeft
    zainab = _sheet_rows(people)[0]
    assert zainab[expected["status"]] == expected["confirmed"]
    assert zainab[expected["country"]] == "العراق"
    assert "ngo" not in zainab.values() and expected["ngo"] in zainab.values()
    assert expected["yes"] in zainab.values()
    # The organisation under its Arabic name for an Arabic reader.
    assert "منتدى مياه البصرة" in zainab.values()


def test_visa_officer_gets_passport_columns_and_each_view_is_logged(edition, visa_officer, two_registrations):
    first, second = two_registrations
    content, _type, _name = export_registrations(
        queryset=Registration.objects.all(), fmt="csv", viewer=visa_officer, conference=edition
    )
    rows = rows_of_csv(content)
    assert list(rows[0])[21:25] == PASSPORT_COLUMNS
    assert rows[0]["passport_number"] == "A1234567"
    assert rows[0]["passport_expiry"] == "2030-01-02" and rows[0]["date_of_birth"] == "1990-05-06"
    assert rows[0]["nationality"] == "IQ"
    assert rows[1]["passport_number"] == ""
    logged = PassportAccessLog.objects.filter(viewer=visa_officer, conference=edition, context="export")
    assert sorted(logged.values_list("subject_id", flat=True)) == sorted([first.user_id, second.user_id])


def test_export_keeps_to_the_edition_and_to_staff_who_may(edition, organizer, two_registrations,
                                                          make_conference, make_category, make_delegate,
                                                          make_staff):
    other = make_conference("erbil-2028")
    services.register(user=make_delegate(), category=make_category(other), invited=True, send_email=False)
    content, _type, _name = export_registrations(
        queryset=Registration.objects.all(), fmt="csv", viewer=organizer, conference=edition
    )
    assert len(rows_of_csv(content)) == 2
    reviewer = make_staff(edition, Role.REVIEWER)
    with pytest.raises(services.RegistrationError):
        export_registrations(queryset=Registration.objects.all(), fmt="csv", viewer=reviewer,
                             conference=edition)
    # A visa officer of another edition sees no passports of this one.
    with pytest.raises(services.RegistrationError):
        export_registrations(queryset=Registration.objects.all(), fmt="csv",
                             viewer=make_staff(other, Role.VISA_OFFICER), conference=edition)


def _many_registrations(edition, category, questions, count: int) -> None:
    """``count`` registrations with profiles, tracks and answers, written in bulk."""
    import datetime as dt

    why, topics, _letter = questions
    users = User.objects.bulk_create(
        [User(email=f"bulk{n}@example.org", full_name=f"Bulk {n}", password="!") for n in range(count)]
    )
    basra = Governorate.objects.get(code="basra")
    DelegateProfile.objects.bulk_create([
        DelegateProfile(user=user, passport_name=f"Person Number {n}", arabic_name=f"شخص {n}", country="IQ",
                        governorate=basra, languages=["ar"], passport_number=f"P{n:07d}",
                        passport_expiry=dt.date(2031, 1, 1))
        for n, user in enumerate(users)
    ])
    registrations = Registration.objects.bulk_create([
        Registration(conference=edition, category=category, user=user, status="confirmed", country="IQ")
        for user in users
    ])
    tracks = list(Track.objects.all()[:2])
    Registration.tracks.through.objects.bulk_create([
        Registration.tracks.through(registration=registration, track=track)
        for registration in registrations for track in tracks
    ])
    Answer.objects.bulk_create(
        [Answer(registration=r, question=why, value="نعم") for r in registrations]
        + [Answer(registration=r, question=topics, value=["water"]) for r in registrations]
    )


# TeamMember (permissions), questions, registrations with everything joined, and one
# prefetch each for tracks and answers.
EXPORT_QUERIES = 5


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_count_does_not_grow_with_rows(edition, category, questions, organizer,
                                                    django_assert_num_queries, count, fmt):
    _many_registrations(edition, category, questions, count)
    # The XLSX file's sheet for people reads the choice questions' labels: one more.
    with django_assert_num_queries(EXPORT_QUERIES + (fmt == "xlsx")) as captured:
        content, _type, _name = export_registrations(
            queryset=Registration.objects.all(), fmt=fmt, viewer=organizer, conference=edition
        )
    # The organizer's file does not even read (nor decrypt) the passport columns.
    for column in PASSPORT_COLUMNS:
        assert not any(f'."{column}"' in query["sql"] for query in captured.captured_queries)
    if fmt == "csv":
        rows = rows_of_csv(content)
        assert len(rows) == count
        assert rows[-1]["arabic_name"] == f"شخص {count - 1}"
        assert rows[-1]["tracks"].count("|") == 1


@pytest.mark.parametrize("count", [10, 1000])
def test_passport_export_query_count_is_flat_but_for_the_log(edition, category, questions, visa_officer,
                                                             count):
    from django.db import connection

    _many_registrations(edition, category, questions, count)
    with CaptureQueriesContext(connection) as queries:
        content, _type, _name = export_registrations(
            queryset=Registration.objects.all(), fmt="csv", viewer=visa_officer, conference=edition
        )
    logs = ("passportaccesslog", "conference_actionlog", "savepoint")
    reads = [q["sql"] for q in queries.captured_queries if not any(w in q["sql"].lower() for w in logs)]
    # The reads are the organizer's; the log is one bulk insert, which SQLite splits
    # into batches of its parameter limit (PostgreSQL takes it in one statement), plus
    # one staff-action row (conference.audit), both in one savepoint.
    assert len(reads) == EXPORT_QUERIES
    assert any('."passport_number"' in sql for sql in reads)
    assert PassportAccessLog.objects.filter(context="export").count() == count
    assert rows_of_csv(content)[-1]["passport_number"] == f"P{count - 1:07d}"


# --- Import -------------------------------------------------------------------------------
HEADER = "email,full_name,passport_name,arabic_name,preferred_language,country,governorate,organization"


def csv_file(*lines: str, bom: bool = True) -> bytes:
    return (("\ufeff" if bom else "") + "\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-8")


@pytest.fixture
def english():
    # Tests that read the organizer's messages read the English msgids: translations
    # of them must not break the tests.
    with translation.override("en"):
        yield


@pytest.fixture
def directory_org(db):
    return Organization.objects.create(slug="erbil-media", name="Erbil Free Press", kind="media",
                                       country="IQ")


def test_import_creates_accounts_profiles_registrations_and_invites_each_in_their_language(
    client, edition, category, organizer, make_delegate, directory_org, mailoutbox,
    django_capture_on_commit_callbacks,
):
    existing = make_delegate("Old.Friend@example.org", language="en", passport_name="Old Friend")
    data = csv_file(
        "hawraa@example.org,حوراء كاظم,Hawraa Kadhim,حوراء كاظم,ar,iq,baghdad,",
        "shilan@example.org,,Shilan Omer,شیلان عومەر,ckb,IQ,erbil,erbil-media",
        "anna@example.org,Anna Berg,Anna Berg,,en,DE,,",
        "old.friend@EXAMPLE.org,,Someone Else,,ar,IQ,,",
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = invited_import(data=data, fmt="csv", category=category, by=organizer)
    assert result == {"created": 3, "registered": 4, "skipped": [], "errors": []}

    shilan = User.objects.get(email="shilan@example.org")
    assert shilan.preferred_language == "ckb" and not shilan.has_usable_password()
    assert EmailAddress.objects.filter(user=shilan, email="shilan@example.org", verified=True,
                                       primary=True).exists()
    profile = shilan.delegate_profile
    assert profile.passport_name == "Shilan Omer" and profile.arabic_name == "شیلان عومەر"
    assert profile.governorate.code == "erbil" and profile.organization == directory_org
    assert User.objects.get(email="anna@example.org").delegate_profile.governorate is None
    # The existing person keeps their profile and just gets the registration.
    existing.refresh_from_db()
    assert existing.delegate_profile.passport_name == "Old Friend"
    registrations = Registration.objects.filter(conference=edition)
    assert registrations.count() == 4
    assert all(r.invited and r.status == "confirmed" and r.category == category for r in registrations)
    assert set(registrations.values_list("changes__by", flat=True)) == {organizer.pk}

    # One e-mail per person, the invitation, in their language.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "anna@example.org", "hawraa@example.org", "old.friend@example.org", "shilan@example.org"]
    assert set(OutgoingEmail.objects.values_list("kind", flat=True)) == {"registration_invited"}
    by_address = {m.to[0]: m for m in mailoutbox}
    for address, language, direction in [("hawraa@example.org", "ar", "rtl"),
                                         ("shilan@example.org", "ckb", "rtl"),
                                         ("anna@example.org", "en", "ltr")]:
        message = by_address[address]
        assert message.extra_headers["Content-Language"] == language
        assert f'lang="{language}" dir="{direction}"' in message.alternatives[0][0]
        link = re.search(r"http://\S+/password/reset/key/\S+/", message.body).group(0)
        assert f"/{language}/accounts/password/reset/key/" in link
        path = link.split("://", 1)[1].split("/", 1)[1]
        response = client.get("/" + path, follow=True)
        assert response.status_code == 200
        assert 'name="password1"' in response.content.decode(), address
        client.logout()
    english = by_address["anna@example.org"]
    assert "invite you to take part" in english.body and "Your place is confirmed" in english.body
    assert "Hello Anna Berg," in english.body
    assert "حوراء كاظم" in by_address["hawraa@example.org"].body
    # Someone with an account is sent to their registration, not to a password form.
    old = by_address["old.friend@example.org"]
    assert "/password/reset/" not in old.body
    assert f"/en/{edition.slug}/my-registration/" in old.body
    assert f"Hello {existing.get_full_name()}," in old.body  # the name on their account is kept


def test_the_set_password_link_sets_the_password(client, edition, category, organizer, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invited_import(data=csv_file("anna@example.org,,Anna Berg,,en,DE,,"), fmt="csv",
                       category=category, by=organizer)
    link = re.search(r"http://\S+/password/reset/key/\S+/", mailoutbox[0].body).group(0)
    response = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    form_path = response.redirect_chain[-1][0]
    client.post(form_path, {"password1": "a long new passphrase 42", "password2": "a long new passphrase 42"})
    assert User.objects.get(email="anna@example.org").check_password("a long new passphrase 42")


def test_import_reads_xlsx(edition, category, organizer, mailoutbox, django_capture_on_commit_callbacks):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["email", "passport_name", "arabic_name", "country"])
    sheet.append(["muntadhar@example.org", "Muntadhar Ali", "منتظر علي", "IQ"])
    sheet.append([None, None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        result = invited_import(data=buffer.getvalue(), fmt="xlsx", category=category, by=organizer)
    assert result["errors"] == [] and result["created"] == 1
    user = User.objects.get(email="muntadhar@example.org")
    assert user.preferred_language == "ar" and user.delegate_profile.arabic_name == "منتظر علي"
    assert mailoutbox[0].extra_headers["Content-Language"] == "ar"


def test_one_bad_row_imports_nothing_and_says_where(english, edition, category, organizer, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    users_before = User.objects.count()
    data = csv_file(
        "good@example.org,,Good Person,,ar,IQ,,",
        "not-an-address,,زينب,,fr,XX,basra,no-such-org",
        "abroad@example.org,,Abroad Person,,en,DE,erbil,",
        "GOOD@example.org,,Good Again,,ar,IQ,,",
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = invited_import(data=data, fmt="csv", category=category, by=organizer)
    assert result["created"] == 0 and result["registered"] == 0
    found = {(error["row"], error["column"]) for error in result["errors"]}
    assert found == {
        (3, "email"), (3, "passport_name"), (3, "preferred_language"), (3, "country"),
        (3, "organization"), (4, "governorate"), (5, "email"),
    }
    messages = {(e["row"], e["column"]): e["message"] for e in result["errors"]}
    assert all(isinstance(message, str) for message in messages.values())
    assert "Latin" in messages[(3, "passport_name")]
    assert "row 2" in messages[(5, "email")]
    assert User.objects.count() == users_before
    assert Registration.objects.count() == 0 and DelegateProfile.objects.count() == 0
    assert mailoutbox == []


def test_bad_header_and_unreadable_files_are_reported(english, edition, category, organizer):
    result = invited_import(data=b"e-mail,passport_name\r\nx@example.org,X\r\n", fmt="csv",
                            category=category, by=organizer)
    found = {(e["row"], e["column"]) for e in result["errors"]}
    assert found == {(1, "e-mail"), (1, "email"), (1, "country")}
    result = invited_import(data="email,passport_name,country\r\n".encode("utf-16"), fmt="csv",
                            category=category, by=organizer)
    assert result["errors"][0]["row"] is None and "UTF-8" in result["errors"][0]["message"]
    result = invited_import(data=b"not a workbook", fmt="xlsx", category=category, by=organizer)
    assert result["errors"][0]["row"] is None
    assert User.objects.filter(email="x@example.org").count() == 0


def test_importing_again_reports_already_registered(english, edition, category, organizer, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    data = csv_file("hawraa@example.org,,Hawraa Kadhim,,ar,IQ,,", "anna@example.org,,Anna Berg,,en,DE,,")
    with django_capture_on_commit_callbacks(execute=True):
        invited_import(data=data, fmt="csv", category=category, by=organizer)
    assert len(mailoutbox) == 2
    more = data + b"new@example.org,,New Person,,en,IQ,,\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        result = invited_import(data=more, fmt="csv", category=category, by=organizer)
    assert result["errors"] == []
    assert result["created"] == 1 and result["registered"] == 1
    assert result["skipped"] == [
        {"row": 2, "email": "hawraa@example.org", "reason": "already registered"},
        {"row": 3, "email": "anna@example.org", "reason": "already registered"},
    ]
    assert Registration.objects.count() == 3
    assert len(mailoutbox) == 3


def test_dry_run_counts_and_writes_nothing(edition, category, organizer, make_delegate):
    make_delegate("known@example.org")
    data = csv_file("known@example.org,,Known,,ar,IQ,,", "fresh@example.org,,Fresh Person,,ar,IQ,,")
    result = invited_import(data=data, fmt="csv", category=category, by=organizer, dry_run=True)
    assert result == {"created": 1, "registered": 2, "skipped": [], "errors": []}
    assert Registration.objects.count() == 0
    assert not User.objects.filter(email="fresh@example.org").exists()


def test_invitees_beyond_capacity_are_told_their_place_on_the_waiting_list(
    edition, make_category, organizer, mailoutbox, django_capture_on_commit_callbacks,
):
    small = make_category(edition, slug="partners", capacity=1, invite_only=True)
    data = csv_file("one@example.org,,One Person,,en,DE,,", "two@example.org,,Two Person,,en,DE,,")
    with django_capture_on_commit_callbacks(execute=True):
        result = invited_import(data=data, fmt="csv", category=small, by=organizer)
    assert result["registered"] == 2
    statuses = dict(Registration.objects.values_list("user__email", "status"))
    assert statuses == {"one@example.org": "confirmed", "two@example.org": "waitlisted"}
    second = next(m for m in mailoutbox if m.to == ["two@example.org"])
    assert "waiting list, in position 1" in second.body
    assert len(mailoutbox) == 2


def test_only_organizers_import(edition, category, make_staff):
    visa = make_staff(edition, Role.VISA_OFFICER)
    with pytest.raises(services.RegistrationError):
        invited_import(data=csv_file("a@example.org,,A B,,ar,IQ,,"), fmt="csv", category=category, by=visa)
