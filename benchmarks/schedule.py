"""Server time of the programme's pages and feeds, and of the conflict check, on a large
programme: 200 sessions in 30 rooms over 3 days.

Run: DEBUG=1 .venv/bin/python benchmarks/schedule.py [--repeat 30] [--sessions 200] [--rooms 30]
Uses the database in DATABASE_URL (migrated first). Makes its own edition
``bench-<random>-2099`` with three days (08:00 to 20:00), the rooms, and the sessions
(accepted, one or two confirmed speakers each, every room used back to back without a
hard conflict), published as release 1 through ``sessions.scheduling.publish``; the
working draft then holds the same placements. Everything it made is deleted at the end,
also after an error.

Prints one JSON line on stdout: per page the median and p95 in milliseconds over
``--repeat`` requests through Django's test client (in-process: no network, no TLS),
and the number of SQL queries of one request; for the conflict check, the median of
``sessions.scheduling.conflicts_of(draft)`` (reading the draft and checking it) and of
the pure function ``sessions.conflicts.find_conflicts`` on the same placements.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def build(n_sessions: int, n_rooms: int):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from conference.models import Conference, Governorate, TeamMember, Track, User
    from registrations.models import DelegateProfile
    from sessions import scheduling
    from sessions.models import ConferenceDay, Proposal, Room, Slot, Speaker

    call_command("load_reference_data", stdout=io.StringIO())
    tag = secrets.token_hex(3)
    conference = Conference.objects.create(
        slug=f"bench-{tag}-2099",
        title={"ar": "مؤتمر القياس", "en": "Benchmark conference"},
        city={"ar": "بغداد", "en": "Baghdad"},
        governorate=Governorate.objects.get(code="baghdad"),
        start_date=dt.date(2099, 4, 13),
        end_date=dt.date(2099, 4, 15),
        status=Conference.Status.OPEN,
    )
    tz = ZoneInfo(conference.time_zone)
    days = [
        ConferenceDay.objects.create(
            conference=conference, date=conference.start_date + dt.timedelta(days=n),
            starts_at=dt.time(8, 0), ends_at=dt.time(20, 0),
        )
        for n in range(3)
    ]
    rooms = [
        Room.objects.create(
            conference=conference, slug=f"room-{n}", name={"ar": f"القاعة {n}", "en": f"Room {n}"},
            capacity=40 + 10 * (n % 10), interpretation_booth=n % 3 == 0, zone=f"zone-{n % 4}", order=n,
        )
        for n in range(n_rooms)
    ]
    tracks = list(Track.objects.order_by("order"))
    people = User.objects.bulk_create(
        User(email=f"bench-{tag}-{n}@example.org", full_name=f"Speaker {n}") for n in range(n_sessions)
    )
    DelegateProfile.objects.bulk_create(
        DelegateProfile(user=user, passport_name=f"Speaker {n}", badge_name=f"Speaker {n}", country="IQ",
                        at_risk=n % 17 == 0)
        for n, user in enumerate(people)
    )
    organizer = User.objects.create_user(f"bench-{tag}-organizer@example.org", password=None)
    TeamMember.objects.create(conference=conference, user=organizer, role=TeamMember.Role.ORGANIZER)
    TOTP.activate(organizer, generate_totp_secret())

    proposals = Proposal.objects.bulk_create(
        Proposal(
            conference=conference,
            title={"ar": f"جلسة رقم {n}", "ckb": f"دانیشتنی {n}", "en": f"Session {n}"},
            abstract={"ar": "نبذة " * 40, "en": "About the session. " * 20},
            format=Proposal.Format.PANEL if n % 4 else Proposal.Format.WORKSHOP,
            track=tracks[n % len(tracks)],
            languages=["ar"] if n % 2 else ["ar", "en"],
            interpretation_wanted=False,
            duration=60,
            expected_audience=30,
            signup_capacity=25 if n % 4 == 0 else None,
            state=Proposal.State.ACCEPTED,
        )
        for n in range(n_sessions)
    )
    speakers = []
    for n, proposal in enumerate(proposals):
        # Each session's own speaker; every fifth also has the speaker of the session an
        # hour later in the same room, so people hold several sessions without a clash.
        names = [people[n]] + ([people[(n + n_rooms) % n_sessions]] if n % 5 == 0 else [])
        for order, person in enumerate(names):
            speakers.append(Speaker(proposal=proposal, user=person, email=person.email, order=order,
                                    confirmed_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)))
    Speaker.objects.bulk_create(speakers)

    draft = scheduling.draft_for(conference)
    slots = {slot.proposal_id: slot for slot in Slot.objects.filter(schedule=draft)}
    for n, proposal in enumerate(proposals):
        # Round the rooms, then round the days, then hour by hour from 08:00: the
        # sessions spread evenly over the three days.
        room = rooms[n % n_rooms]
        position = n // n_rooms
        day = days[position % 3]
        start = dt.datetime.combine(day.date, dt.time(8 + position // 3), tzinfo=tz)
        slot = slots[proposal.pk]
        slot.room, slot.starts_at, slot.ends_at = room, start, start + dt.timedelta(minutes=60)
    Slot.objects.bulk_update(slots.values(), ["room", "starts_at", "ends_at"])
    scheduling.publish(conference=conference, comment={"en": "Benchmark release."}, by=organizer)
    return conference, organizer, draft


def timed(client: Client, path: str, repeat: int) -> dict:
    client.get(path)  # warm caches (templates, translations)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 2),
        "queries": len(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--rooms", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    from conference.models import User
    from sessions import conflicts, scheduling

    conference, organizer, draft = build(args.sessions, args.rooms)
    try:
        slug = conference.slug
        public = Client(headers={"host": "127.0.0.1"})
        staff = Client(headers={"host": "127.0.0.1"})
        staff.force_login(organizer)
        day = conference.start_date.isoformat()
        pages = {
            "public_schedule_ar": (public, f"/ar/{slug}/programme/?day={day}"),
            "public_schedule_en": (public, f"/en/{slug}/programme/?day={day}"),
            "editor_data": (staff, f"/en/{slug}/staff/programme/schedule/data.json?day={day}"),
            "editor_page": (staff, f"/en/{slug}/staff/programme/schedule/?day={day}"),
            "schedule_xml": (public, f"/{slug}/schedule.xml"),
            "schedule_json": (public, f"/{slug}/schedule.json"),
            "schedule_ics": (public, f"/{slug}/schedule.ics"),
        }
        figures = {name: timed(client, path, args.repeat) for name, (client, path) in pages.items()}

        check, found = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            found = scheduling.conflicts_of(draft)
            check.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            scheduling.conflicts_of(draft)
        inputs = scheduling.conflict_inputs(draft)
        pure = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            conflicts.find_conflicts(*inputs)
            pure.append((time.perf_counter() - start) * 1000)
        print(json.dumps({
            "benchmark": "schedule",
            "sessions": args.sessions,
            "rooms": args.rooms,
            "days": 3,
            "repeat": args.repeat,
            "database": connection.vendor,
            "pages": figures,
            "conflict_check": {
                "median_ms": round(statistics.median(check), 2),
                "pure_function_median_ms": round(statistics.median(pure), 2),
                "queries": len(queries),
                "conflicts_found": len(found),
                "hard_conflicts_found": sum(1 for conflict in found if conflict.hard),
            },
        }))
    finally:
        from sessions.models import Slot

        users = User.objects.filter(email__startswith=f"bench-{conference.slug.split('-')[1]}-")
        # Slots hold their rooms (PROTECT), so they go first.
        Slot.objects.filter(schedule__conference=conference).delete()
        conference.delete()
        users.delete()


if __name__ == "__main__":
    main()
