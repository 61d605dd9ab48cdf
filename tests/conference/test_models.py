import datetime as dt
import os
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conference import services
from conference.models import Conference, Governorate, Organization, Track

pytestmark = pytest.mark.django_db


def test_only_one_edition_is_current(make_conference):
    first = make_conference("baghdad-2027", current=True)
    second = make_conference("erbil-2028")
    # The database itself refuses a second current edition.
    with pytest.raises(IntegrityError), transaction.atomic():
        Conference.objects.filter(pk=second.pk).update(is_current=True)
    services.conference_make_current(conference=second)
    assert list(Conference.objects.filter(is_current=True)) == [second]
    first.refresh_from_db()
    assert first.is_current is False
    assert Conference.objects.current() == second


def test_dates_must_be_in_order(make_conference):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_conference(start_date=dt.date(2027, 4, 15), end_date=dt.date(2027, 4, 13))
    conference = make_conference()
    conference.end_date = dt.date(2027, 4, 1)
    with pytest.raises(ValidationError) as caught:
        conference.full_clean()
    assert "end_date" in caught.value.message_dict


@pytest.mark.parametrize(
    ("slug", "valid"),
    [("2027", True), ("baghdad-2027", True), ("ar", False), ("healthz", False),
     ("conference", False), ("Baghdad-2027", False), ("-2027", False), ("a--2027", False)],
)
def test_edition_slug_rules(make_conference, slug, valid):
    conference = make_conference("erbil-2030")
    conference.slug = slug
    if valid:
        conference.full_clean()
    else:
        with pytest.raises(ValidationError):
            conference.full_clean()


def test_time_zone_is_validated(make_conference):
    conference = make_conference()
    assert conference.time_zone == "Asia/Baghdad"
    conference.time_zone = "Mars/Olympus"
    with pytest.raises(ValidationError) as caught:
        conference.full_clean()
    assert "time_zone" in caught.value.message_dict


def test_governorate_only_for_iraqi_organizations(reference_data):
    basra = Governorate.objects.get(code="basra")
    org = Organization(slug="x", name="Partner e.V.", kind="international", country="DE",
                       governorate=basra)
    with pytest.raises(ValidationError):
        org.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        org.save()
    org.country = "IQ"
    org.full_clean()
    org.save()


def test_organization_names_unique_whatever_the_case(reference_data):
    Organization.objects.create(slug="a", name="Basra Water Forum", kind="ngo", country="IQ")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(slug="b", name="basra water forum", kind="ngo", country="IQ")


def test_reference_data_is_loaded_from_the_shared_csv_and_idempotent(reference_data):
    assert Track.objects.count() == 9
    assert [t.slug for t in Track.objects.all()][:3] == [
        "defenders-nonviolence", "democracy", "peacebuilding-reconciliation"
    ]
    assert Governorate.objects.count() == 19
    assert str(Governorate.objects.get(code="halabja").name.get_in("ckb")) == "هەڵەبجە"
    counts = services.reference_data_load()
    assert counts == {"tracks": 9, "governorates": 19}
    assert Track.objects.count() == 9 and Governorate.objects.count() == 19


def test_registration_window(make_conference):
    from django.utils import timezone

    now = timezone.now()
    conference = make_conference(registration_opens=now - dt.timedelta(days=1),
                                 registration_closes=now + dt.timedelta(days=1))
    assert conference.registration_is_open()
    assert not conference.registration_is_open(at=now + dt.timedelta(days=2))
    conference.status = Conference.Status.CLOSED
    assert not conference.registration_is_open()


def test_reference_data_ships_inside_the_repository():
    """A clone in an empty folder must find its data: the default folder is the
    repository's own, and no source file points outside it."""
    from django.conf import settings

    root = Path(settings.BASE_DIR)
    default = Path(settings.REFERENCE_DATA_DIR)
    assert default.resolve().is_relative_to(root.resolve()) or "REFERENCE_DATA_DIR" in os.environ
    shipped = root / "conference" / "data"
    for name in ("tracks.csv", "governorates.csv", "funder-exclusions.csv"):
        assert (shipped / name).is_file(), name
    offenders = [
        str(path.relative_to(root))
        for folder in ("conference", "registrations", "sessions", "visas", "donations",
                       "exchanges", "scripts", ".ci")
        for path in (root / folder).rglob("*")
        if path.is_file() and path.suffix in {".py", ".sh", ""}
        and ("../shared" in path.read_text(errors="ignore")
             or '"shared" / "data"' in path.read_text(errors="ignore"))
    ]
    assert offenders == []
