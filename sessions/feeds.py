"""The programme as feeds that other software reads: the frab schedule (XML and JSON)
that schedule apps (Giggity, EventFahrplan) and the c3voc tools take, and iCalendar
for calendar apps.

Everything comes from one pass over the placed slots of a release
(``selectors.placed_slots``): a fixed number of queries whatever the programme's size.
People are named only through ``selectors.public_speaker_name``, so nobody at risk
appears in any feed, not even by an id.

The format follows the c3voc schemas in the voc/schedule repository
(``validator/json/schema.json`` and ``validator/xsd/schedule.xml.xsd``); the comments
below name the rules of theirs that shaped a choice.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vDuration
from icalendar import Event as CalendarEvent

from conference.i18n import as_translated, language_codes
from conference.models import Conference
from sessions.models import ConferenceDay, Proposal, Schedule, Slot, WorkshopSignup
from sessions.selectors import placed_slots, public_speaker_name

GENERATOR = "Tadamun"
JSON_SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
XSD_URL = "https://c3voc.de/schedule/schema.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Sessions start on any five minutes; apps draw their grid in this step.
TIMESLOT = "00:05"

# The JSON schema's acronym pattern allows no hyphen inside (only a "-2027-xyz" tail),
# and our edition slugs carry one ("baghdad-2027"): hyphens become underscores.
ACRONYM_RE = re.compile(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$")
# Room, track and event slugs in the JSON schema; the XSD wants track slugs to start
# with a letter. A slug that does not fit is left out (it is optional in both).
JSON_SLUG_RE = re.compile(r"^[a-z0-9_-]+[a-z0-9]$")
XML_TRACK_SLUG_RE = re.compile(r"^[a-z][a-z0-9-]+$")


def acronym(conference: Conference) -> str:
    slug = conference.slug.lower()
    return slug if ACRONYM_RE.match(slug) else slug.replace("-", "_")


def feed_language(requested: str | None) -> str:
    """The language of the labels all sessions share (edition title, rooms, tracks);
    each session's own texts are in the language it is given in."""
    return requested if requested in language_codes() else settings.LANGUAGE_CODE


def _session_url_builder(conference: Conference, language: str) -> Callable[[str], str]:
    # One reverse for the whole feed; the code is spliced into the path. The page is in
    # the feed's language, so a link from the reader's calendar opens in theirs.
    marker = "QQQQQQ"
    try:
        with translation.override(language):
            path = reverse("programme_session", kwargs={"edition": conference.slug, "code": marker})
    except NoReverseMatch:
        path = f"/{language}/{conference.slug}/programme/session/{marker}/"
    head, _marker, tail = path.partition(marker)
    return lambda code: f"{settings.SITE_URL}{head}{code}{tail}"


def edition_url(conference: Conference, language: str) -> str:
    try:
        with translation.override(language):
            path = reverse("edition", kwargs={"edition": conference.slug})
    except NoReverseMatch:
        path = f"/{language}/{conference.slug}/"
    return f"{settings.SITE_URL}{path}"


def room_guid(conference: Conference, room_id: int) -> str:
    # Rooms have no uuid of their own; derived from the primary key so a renamed room
    # keeps its guid across releases.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/{conference.slug}/rooms/{room_id}"))


def hours_minutes(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass
class FeedEvent:
    """One placed session with every text resolved, ready for any of the formats."""

    slot: Slot
    start: dt.datetime  # in the edition's time zone
    end: dt.datetime
    title: str
    subtitle: str
    abstract: str
    description: str
    language: str | None
    track: str
    room: str
    persons: list[str]
    url: str
    # The feed's language, falling back in conference.i18n's order: a calendar app shows
    # one title, and it must be one the subscriber reads.
    reader_title: str = ""
    reader_abstract: str = ""

    @property
    def proposal(self) -> Proposal:
        return self.slot.proposal

    @property
    def guid(self) -> str:
        return str(self.proposal.guid)

    @property
    def duration(self) -> str:
        return hours_minutes(self.end - self.start)


@dataclass
class FeedRoom:
    id: int
    name: str
    guid: str
    slug: str | None
    capacity: int


@dataclass
class FeedDay:
    index: int
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    events: dict[int, list[FeedEvent]] = field(default_factory=dict)  # room id -> events


@dataclass
class Programme:
    conference: Conference
    release: Schedule
    tz: ZoneInfo
    language: str
    acronym: str
    title: str
    rooms: list[FeedRoom]
    tracks: list[tuple[str, str]]  # (name, slug)
    days: list[FeedDay]
    events: list[FeedEvent]

    @property
    def version(self) -> str:
        return str(self.release.version)


class EventMaker:
    """Turns slots into FeedEvents: session texts in the session's own language, shared
    labels in the feed's language."""

    def __init__(self, conference: Conference, language: str):
        self.tz = ZoneInfo(conference.time_zone)
        self.language = language
        self.session_url = _session_url_builder(conference, language)

    def __call__(self, slot: Slot) -> FeedEvent:
        proposal = slot.proposal
        spoken = proposal.languages[0] if proposal.languages else None
        title_text, abstract_text = as_translated(proposal.title), as_translated(proposal.abstract)
        title = title_text.get_in(spoken or self.language)
        abstract = abstract_text.get_in(spoken or self.language)
        # The feed's language version, when there is one and it differs, so a reader of
        # that language is not left with a title they cannot read.
        subtitle = title_text.get(self.language, "")
        description = abstract_text.get(self.language, "")
        names = [name for name in map(public_speaker_name, proposal.speakers.all()) if name]
        return FeedEvent(
            slot=slot,
            start=slot.starts_at.astimezone(self.tz),
            end=slot.ends_at.astimezone(self.tz),
            title=title,
            subtitle="" if subtitle == title else subtitle,
            abstract=abstract,
            description="" if description == abstract else description,
            language=spoken,
            track=as_translated(proposal.track.name).get_in(self.language),
            room=as_translated(slot.room.name).get_in(self.language),
            persons=names,
            url=self.session_url(proposal.code),
            reader_title=title_text.get_in(self.language),
            reader_abstract=abstract_text.get_in(self.language),
        )


def programme(conference: Conference, release: Schedule, *, language: str | None = None) -> Programme:
    """The release grouped as the frab format wants it: days, then rooms, then events.
    Three queries: the days, the slots, their speakers."""
    language = feed_language(language)
    make_event = EventMaker(conference, language)
    tz = make_event.tz
    # placed_slots fetches speakers lean: no passport field is decrypted per fetch.
    events = [make_event(slot) for slot in placed_slots(release)]

    rooms: dict[int, FeedRoom] = {}
    room_order: dict[int, tuple] = {}
    tracks: dict[int, tuple[int, str, str]] = {}  # (order, name, slug)
    for event in events:
        room, track = event.slot.room, event.proposal.track
        if room.pk not in rooms:
            rooms[room.pk] = FeedRoom(
                id=room.pk,
                name=event.room,
                guid=room_guid(conference, room.pk),
                slug=room.slug if JSON_SLUG_RE.match(room.slug) else None,
                capacity=room.capacity,
            )
            room_order[room.pk] = (room.order, room.slug)
        if track.pk not in tracks:
            tracks[track.pk] = (track.order, event.track, track.slug)
    ordered_rooms = sorted(rooms.values(), key=lambda room: room_order[room.id])

    days: dict[dt.date, FeedDay] = {}
    for day in ConferenceDay.objects.filter(conference=conference).order_by("date"):
        start, end = day.bounds(tz)
        days[day.date] = FeedDay(index=0, date=day.date, start=start, end=end)
    for event in events:
        day = days.get(event.start.date())
        if day is None:
            # A session on a date that is no longer a conference day still belongs in
            # the feed: its day is made from its sessions.
            day = days[event.start.date()] = FeedDay(
                index=0, date=event.start.date(), start=event.start, end=event.end
            )
        day.start, day.end = min(day.start, event.start), max(day.end, event.end)
        day.events.setdefault(event.slot.room_id, []).append(event)
    ordered_days = [days[date] for date in sorted(days)]
    for index, day in enumerate(ordered_days, start=1):
        day.index = index

    return Programme(
        conference=conference,
        release=release,
        tz=tz,
        language=language,
        acronym=acronym(conference),
        title=as_translated(conference.title).get_in(language) or conference.slug,
        rooms=ordered_rooms,
        tracks=[(name, slug) for _order, name, slug in sorted(tracks.values())],
        days=ordered_days,
        events=events,
    )


# --- frab JSON -------------------------------------------------------------------------


def _json_event(event: FeedEvent, acronym: str) -> dict:
    # The schema's Event allows no other keys and requires: abstract, date, duration,
    # guid, id, language, links, persons, room, slug, start, subtitle, title, track,
    # type, url.
    proposal = event.proposal
    return {
        "guid": event.guid,
        "code": proposal.code,
        "id": proposal.pk,
        "logo": None,
        "date": event.start.isoformat(),
        "start": event.start.strftime("%H:%M"),
        # No "end", though the schema allows it: the c3voc tools copy it into the XML
        # they make from this, where the XSD has no place for it.
        "duration": event.duration,
        "room": event.room,
        "slug": f"{acronym}-{proposal.code.lower()}",
        "url": event.url,
        "title": event.title,
        "subtitle": event.subtitle,
        "track": event.track,
        "type": proposal.format,
        "language": event.language,
        "abstract": event.abstract,
        "description": event.description,
        # Nobody consented to recording, and some speakers are at risk: the recording
        # teams' tools must not pick these sessions up.
        "recording_license": "",
        "do_not_record": True,
        # Only "name": a person with "public_name" and "id" would also match the schema's
        # FrabPerson, and its oneOf wants exactly one match. "public_name" is kept for
        # older apps, which is still valid without an id.
        "persons": [{"name": name, "public_name": name} for name in event.persons],
        "links": [],
        "attachments": [],
    }


def schedule_json(prog: Programme, *, feed_url: str) -> dict:
    conference = {
        "acronym": prog.acronym,
        "title": prog.title,
        "start": prog.conference.start_date.isoformat(),
        "end": prog.conference.end_date.isoformat(),
        "daysCount": len(prog.days),
        "timeslot_duration": TIMESLOT,
        "time_zone_name": prog.conference.time_zone,
        "url": edition_url(prog.conference, prog.language),
        "tracks": [
            {"name": name, **({"slug": slug} if JSON_SLUG_RE.match(slug) else {})}
            for name, slug in prog.tracks
        ],
        "rooms": [
            {
                "name": room.name,
                "guid": room.guid,
                **({"slug": room.slug} if room.slug else {}),
                "capacity": room.capacity,
            }
            for room in prog.rooms
        ],
        "days": [
            {
                "index": day.index,
                "date": day.date.isoformat(),
                "day_start": day.start.isoformat(),
                "day_end": day.end.isoformat(),
                "rooms": {
                    room.name: [_json_event(event, prog.acronym) for event in day.events.get(room.id, [])]
                    for room in prog.rooms
                },
            }
            for day in prog.days
        ],
    }
    return {
        "$schema": JSON_SCHEMA_URL,
        "generator": {"name": GENERATOR},
        "schedule": {
            "url": feed_url,
            "version": prog.version,
            # The schema keeps base_url beside the conference, not inside it (the XML
            # puts it inside).
            "base_url": f"{settings.SITE_URL}/",
            "conference": conference,
        },
    }


def schedule_json_bytes(prog: Programme, *, feed_url: str) -> bytes:
    return json.dumps(schedule_json(prog, feed_url=feed_url), ensure_ascii=False, indent=1).encode()


# --- frab XML --------------------------------------------------------------------------


def _text(parent: ET.Element, tag: str, text: str | None = "", **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text or ""
    return element


def schedule_xml(prog: Programme, *, feed_url: str) -> bytes:
    root = ET.Element("schedule", {f"{{{XSI}}}noNamespaceSchemaLocation": XSD_URL})
    ET.SubElement(root, "generator", {"name": GENERATOR})
    _text(root, "url", feed_url)
    _text(root, "version", prog.version)

    conference = ET.SubElement(root, "conference")
    _text(conference, "acronym", prog.acronym)
    _text(conference, "title", prog.title)
    _text(conference, "start", prog.conference.start_date.isoformat())
    _text(conference, "end", prog.conference.end_date.isoformat())
    _text(conference, "days", str(len(prog.days)))
    _text(conference, "timeslot_duration", TIMESLOT)
    _text(conference, "base_url", f"{settings.SITE_URL}/")
    _text(conference, "url", edition_url(prog.conference, prog.language))
    _text(conference, "time_zone_name", prog.conference.time_zone)
    for name, slug in prog.tracks:
        attrs = {"name": name, **({"slug": slug} if XML_TRACK_SLUG_RE.match(slug) else {})}
        ET.SubElement(conference, "track", attrs)

    for day in prog.days:
        day_element = ET.SubElement(
            root,
            "day",
            {
                "index": str(day.index),
                "date": day.date.isoformat(),
                "start": day.start.isoformat(),
                "end": day.end.isoformat(),
            },
        )
        for room in prog.rooms:
            room_element = ET.SubElement(day_element, "room", {"name": room.name, "guid": room.guid})
            for event in day.events.get(room.id, []):
                _xml_event(room_element, event, prog.acronym)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _xml_event(parent: ET.Element, event: FeedEvent, acronym: str) -> None:
    proposal = event.proposal
    element = ET.SubElement(
        parent, "event", {"guid": event.guid, "id": str(proposal.pk), "code": proposal.code}
    )
    # The XSD's order (an xs:all, so apps may not rely on it, but some do).
    _text(element, "room", event.room)
    _text(element, "title", event.title)
    _text(element, "subtitle", event.subtitle)
    _text(element, "type", proposal.format)
    _text(element, "date", event.start.isoformat())
    _text(element, "start", event.start.strftime("%H:%M"))
    _text(element, "duration", event.duration)
    _text(element, "abstract", event.abstract)
    _text(element, "slug", f"{acronym}-{proposal.code.lower()}")
    _text(element, "track", event.track)
    persons = ET.SubElement(element, "persons")
    for name in event.persons:
        _text(persons, "person", name)
    _text(element, "language", event.language)
    _text(element, "description", event.description)
    recording = ET.SubElement(element, "recording")
    _text(recording, "license", "")
    _text(recording, "optout", "true")
    ET.SubElement(element, "links")
    ET.SubElement(element, "attachments")
    _text(element, "url", event.url)


# --- iCalendar -------------------------------------------------------------------------


def vtimezone(tz: ZoneInfo, first: dt.datetime, last: dt.datetime) -> Timezone:
    """The zone's rules from a day before ``first`` to a day after ``last``: one
    observance for the offset in force, one per change found in between (icalendar 5
    cannot make this from a zoneinfo zone)."""
    component = Timezone()
    component.add("tzid", tz.key)
    start = int((first - dt.timedelta(days=1)).timestamp())
    stop = int((last + dt.timedelta(days=1)).timestamp())

    def local(seconds: int) -> dt.datetime:
        return dt.datetime.fromtimestamp(seconds, tz)

    def observance(at: int, offset_from: dt.timedelta) -> None:
        moment = local(at)
        kind = TimezoneDaylight if moment.dst() else TimezoneStandard
        part = kind()
        part.add("dtstart", (dt.datetime.fromtimestamp(at, dt.UTC) + offset_from).replace(tzinfo=None))
        part.add("tzoffsetfrom", offset_from)
        part.add("tzoffsetto", moment.utcoffset())
        part.add("tzname", moment.tzname())
        component.add_component(part)

    offset = local(start).utcoffset()
    observance(start, offset)
    day = 24 * 3600
    for cursor in range(start, stop, day):
        after = local(min(cursor + day, stop)).utcoffset()
        if after == offset:
            continue
        low, high = cursor, min(cursor + day, stop)
        while high - low > 1:  # the first second under the new offset
            middle = (low + high) // 2
            if local(middle).utcoffset() == offset:
                low = middle
            else:
                high = middle
        observance(high, offset)
        offset = after
    return component


def _calendar(name: str, tz: ZoneInfo, events: list[FeedEvent], fallback: tuple[dt.datetime, dt.datetime]):
    calendar = Calendar()
    calendar.add("prodid", f"-//{GENERATOR}//Programme//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", tz.key)
    # How often calendar apps should fetch again (RFC 7986, and the older X- name that
    # Outlook and Google read).
    calendar.add("refresh-interval", vDuration(dt.timedelta(hours=1)), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    first = min((event.start for event in events), default=fallback[0])
    last = max((event.end for event in events), default=fallback[1])
    calendar.add_component(vtimezone(tz, first, last))
    return calendar


def _calendar_event(
    event: FeedEvent, *, uid: str, stamp: dt.datetime, sequence: int, status: str, note: str = ""
) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", uid)
    item.add("dtstamp", stamp.astimezone(dt.UTC))
    item.add("sequence", sequence)
    item.add("dtstart", event.start)
    item.add("dtend", event.end)
    item.add("summary", event.reader_title or event.title)
    lines = [note] if note else []
    if event.title and event.title != event.reader_title:
        # The title in the language the session is held in, so the reader knows it.
        lines.append(event.title)
    if event.reader_abstract:
        lines.append(event.reader_abstract)
    if event.persons:
        lines.append(gettext("Speakers: %(names)s") % {"names": ", ".join(event.persons)})
    lines.append(event.url)
    item.add("description", "\n\n".join(lines))
    item.add("location", event.room)
    item.add("url", event.url)
    item.add("categories", [event.track])
    item.add("status", status)
    item.add("transp", "OPAQUE")
    return item


def _stamp(release: Schedule | None) -> dt.datetime:
    # DTSTAMP from the release, not the clock, so an unchanged feed is byte-identical
    # and its ETag holds.
    if release is not None and release.published_at is not None:
        return release.published_at
    return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _edition_bounds(conference: Conference, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(conference.start_date, dt.time(0), tzinfo=tz),
        dt.datetime.combine(conference.end_date, dt.time(23, 59), tzinfo=tz),
    )


def schedule_ics(prog: Programme) -> bytes:
    with translation.override(prog.language):
        calendar = _calendar(
            prog.title, prog.tz, prog.events, _edition_bounds(prog.conference, prog.tz)
        )
        stamp = _stamp(prog.release)
        host = _host()
        for event in prog.events:
            calendar.add_component(
                _calendar_event(
                    event,
                    uid=f"{event.guid}@{host}",
                    stamp=stamp,
                    sequence=prog.release.version,
                    status="CONFIRMED",
                )
            )
    return calendar.to_ical()


def agenda_ics(
    conference: Conference,
    release: Schedule | None,
    entries: Iterable,
    *,
    language: str | None,
) -> bytes:
    """A delegate's agenda (``sessions.agenda.AgendaEntry`` items). A place on a
    workshop's waiting list is TENTATIVE, everything else CONFIRMED."""
    language = feed_language(language)
    make_event = EventMaker(conference, language)
    with translation.override(language):
        title = as_translated(conference.title).get_in(language) or conference.slug
        pairs = [(entry, make_event(entry.slot)) for entry in entries]
        calendar = _calendar(
            gettext("My agenda: %(conference)s") % {"conference": title},
            make_event.tz,
            [event for _entry, event in pairs],
            _edition_bounds(conference, make_event.tz),
        )
        host = _host()
        for entry, event in pairs:
            waitlisted = entry.signup is not None and entry.signup.status == WorkshopSignup.Status.WAITLISTED
            calendar.add_component(
                _calendar_event(
                    event,
                    # Not the public feed's UID: some calendar apps merge events that
                    # share a UID across calendars.
                    uid=f"agenda-{event.guid}@{host}",
                    stamp=_stamp(release),
                    sequence=release.version if release else 0,
                    status="TENTATIVE" if waitlisted else "CONFIRMED",
                    note=gettext("You are on the waiting list for this workshop.") if waitlisted else "",
                )
            )
    return calendar.to_ical()
