"""Programme fixtures: an edition with three days and rooms, and sessions made straight
as rows (the services under test are exercised by their own tests)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

BAGHDAD = ZoneInfo("Asia/Baghdad")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A time on day 1..3 of the test edition (13-15 April 2027), Baghdad time."""
    return dt.datetime(2027, 4, 12 + day, hour, minute, tzinfo=BAGHDAD)


@pytest.fixture
def programme(edition, make_category):
    """The edition with its three days (09:00 to 18:00), four rooms, a delegate category
    and an open call for sessions."""
    from conference.models import Track
    from sessions.models import CallForSessions, ConferenceDay, Room

    conference = edition
    for offset in range(3):
        ConferenceDay.objects.create(
            conference=conference, date=conference.start_date + dt.timedelta(days=offset)
        )
    rooms = {
        "hall": Room.objects.create(
            conference=conference,
            slug="hall",
            name={"ar": "القاعة الكبرى", "en": "Main hall"},
            capacity=300,
            interpretation_booth=True,
            zone="main",
            order=1,
        ),
        "tigris": Room.objects.create(
            conference=conference,
            slug="tigris",
            name={"ar": "قاعة دجلة", "en": "Tigris room"},
            capacity=80,
            interpretation_booth=True,
            zone="main",
            order=2,
        ),
        "library": Room.objects.create(
            conference=conference,
            slug="library",
            name={"ar": "المكتبة", "en": "Library"},
            capacity=25,
            interpretation_booth=False,
            zone="annex",
            order=3,
        ),
        "garden": Room.objects.create(
            conference=conference,
            slug="garden",
            name={"ar": "الحديقة", "en": "Garden tent"},
            capacity=40,
            interpretation_booth=False,
            zone="annex",
            order=4,
        ),
    }
    CallForSessions.objects.create(
        conference=conference,
        opens_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        closes_at=dt.datetime(2027, 2, 1, tzinfo=dt.UTC),
    )
    category = make_category(conference, capacity=1000)
    return {
        "conference": conference,
        "rooms": rooms,
        "tracks": list(Track.objects.order_by("order")),
        "category": category,
    }


@pytest.fixture
def make_confirmed_delegate(programme, make_delegate):
    """A delegate with a confirmed registration in the programme's edition."""
    from registrations import services as registration_services

    def make(email=None, **profile):
        user = make_delegate(email, **profile)
        # Its registration e-mail is not what programme tests are about.
        registration = registration_services.register(
            user=user, category=programme["category"], send_email=False
        )
        assert registration.status == "confirmed"
        return user

    return make


@pytest.fixture
def make_session(programme, make_confirmed_delegate):
    """An accepted session with confirmed speakers, placed in the draft schedule when
    ``room``/``start`` are given."""
    from sessions.models import Proposal, Schedule, Slot, Speaker

    counter = {"n": 0}

    def make(*, room=None, start=None, speakers=None, duration=60, track=None, **fields):
        counter["n"] += 1
        conference = programme["conference"]
        values = {
            "title": {"ar": f"جلسة {counter['n']}", "en": f"Session {counter['n']}"},
            "abstract": {"en": "About it."},
            "format": Proposal.Format.PANEL,
            "languages": ["ar"],
            "expected_audience": 20,
            "state": Proposal.State.ACCEPTED,
        }
        values.update(fields)
        proposal = Proposal.objects.create(
            conference=conference,
            duration=duration,
            track=track or programme["tracks"][counter["n"] % len(programme["tracks"])],
            **values,
        )
        if speakers is None:
            speakers = [make_confirmed_delegate()]
        for order, user in enumerate(speakers):
            Speaker.objects.create(
                proposal=proposal, user=user, email=user.email, order=order, confirmed_at=proposal.created_at
            )
        draft, _created = Schedule.objects.get_or_create(conference=conference, version=None)
        if room is not None:
            if isinstance(room, str):
                room = programme["rooms"][room]
            Slot.objects.create(
                schedule=draft,
                proposal=proposal,
                room=room,
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=duration),
            )
        else:
            Slot.objects.create(schedule=draft, proposal=proposal)
        return proposal

    return make


def release_rows(conference, version: int = 1):
    """A published release made as rows, copying the draft (for tests of readers of
    releases; the publishing service has tests of its own)."""
    from django.utils import timezone

    from sessions.models import Schedule, Slot

    draft = Schedule.objects.get(conference=conference, version=None)
    release = Schedule.objects.create(conference=conference, version=version, published_at=timezone.now())
    Slot.objects.bulk_create(
        Slot(schedule=release, proposal_id=slot.proposal_id, room_id=slot.room_id,
             starts_at=slot.starts_at, ends_at=slot.ends_at)
        for slot in draft.slots.filter(room__isnull=False)
    )
    return release
