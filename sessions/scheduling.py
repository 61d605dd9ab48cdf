"""The schedule: the organizers' working draft, moves within it, and publishing numbered
releases with a change log and e-mails to the people whose agenda changed.

The draft (``Schedule(version=None)``) holds one Slot per accepted session; an unplaced
session has a slot with no room and no time. Conflicts always come from
``sessions.conflicts.find_conflicts``: this module only gathers the rows it needs, in a
fixed number of queries, and never decides what a conflict is.

Locks: ``place``/``unplace`` lock the slot row, so two organizers moving the same session
queue up instead of interleaving. ``publish`` locks the draft row, so two releases
cannot get the same number or copy a half-made draft.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.audit import action_log
from conference.i18n import TranslatedText, as_translated
from conference.models import ActionLog, Conference, Track, User
from conference.notify import letter, notify_many
from sessions.conflicts import Conflict, Placement, RoomInfo, find_conflicts
from sessions.exceptions import ProgrammeError
from sessions.models import (
    Availability,
    ConferenceDay,
    Proposal,
    Room,
    Schedule,
    Slot,
    Speaker,
    Star,
    WorkshopSignup,
)
from sessions.selectors import latest_release

log = logging.getLogger(__name__)
ALIGN_MINUTES = 5
ACCEPTED = Proposal.State.ACCEPTED


# --- The draft ---------------------------------------------------------------------------
def draft_for(conference: Conference) -> Schedule:
    """The edition's one working draft, made on first use, with a slot for every accepted
    session. Unplaced slots of sessions no longer accepted are dropped; placed ones stay
    (they are left out of conflicts and releases) so re-accepting a session brings its
    place back. Three queries when nothing is missing."""
    draft, _created = Schedule.objects.get_or_create(conference=conference, version=None)
    accepted = set(
        Proposal.objects.filter(conference=conference, state=ACCEPTED).values_list("pk", flat=True)
    )
    present = dict(Slot.objects.filter(schedule=draft).values_list("proposal_id", "room_id"))
    missing = accepted - present.keys()
    if missing:
        # The review service may add the same slot at the same moment: the unique
        # constraint keeps one, and ignoring the duplicate is what both of us want.
        Slot.objects.bulk_create(
            [Slot(schedule=draft, proposal_id=pk) for pk in sorted(missing)], ignore_conflicts=True
        )
    stale = [pk for pk, room in present.items() if room is None and pk not in accepted]
    if stale:
        Slot.objects.filter(schedule=draft, proposal_id__in=stale, room__isnull=True).delete()
    return draft


def stored_draft(conference: Conference) -> Schedule | None:
    """The edition's draft as stored, or None: pages read this and never write, so
    opening the editor creates nothing (``draft_for``, called by the writers, makes the
    draft and its slots). One query."""
    return Schedule.objects.filter(conference=conference, version=None).first()


# --- Conflicts ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Move:
    """A "what if": the session ``proposal_id`` at ``room_id`` from ``starts_at`` to
    ``ends_at`` (all None: taken off the grid). Any Slot works as one too."""

    proposal_id: int
    room_id: int | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None


def conflicts_of(schedule: Schedule, *, extra: Any = None) -> list[Conflict]:
    """Every conflict of the schedule's accepted, placed sessions; with ``extra`` (a Slot
    or a Move), as if that session sat where ``extra`` says, without saving anything.
    Four queries whatever the schedule's size."""
    return find_conflicts(*conflict_inputs(schedule, extra=extra))


def conflict_inputs(
    schedule: Schedule, *, extra: Any = None
) -> tuple[list[Placement], dict[int, RoomInfo], dict[int, list[tuple[dt.datetime, dt.datetime]]]]:
    """The arguments of ``find_conflicts`` for a schedule (see ``conflicts_of``): its
    placements, the edition's rooms, and each speaker's availability windows."""
    rows = list(
        Slot.objects.filter(schedule=schedule, proposal__state=ACCEPTED).values(
            "proposal_id",
            "room_id",
            "starts_at",
            "ends_at",
            "proposal__track_id",
            "proposal__interpretation_wanted",
            "proposal__expected_audience",
        )
    )
    if extra is not None:
        for row in rows:
            if row["proposal_id"] == extra.proposal_id:
                row.update(room_id=extra.room_id, starts_at=extra.starts_at, ends_at=extra.ends_at)
    conference_id = schedule.conference_id
    rooms = {
        room["id"]: RoomInfo(
            room["id"], room["capacity"], room["interpretation_booth"], zone_key(room["zone"])
        )
        for room in Room.objects.filter(conference_id=conference_id).values(
            "id", "capacity", "interpretation_booth", "zone"
        )
    }
    speakers_of: dict[int, set[int]] = defaultdict(set)
    person_of: dict[int, int] = {}
    for speaker in Speaker.objects.filter(proposal__conference_id=conference_id).values(
        "pk", "user_id", "proposal_id"
    ):
        person = speaker["user_id"] or -speaker["pk"]  # Speaker.conflict_id, without the row
        person_of[speaker["pk"]] = person
        speakers_of[speaker["proposal_id"]].add(person)
    availability: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for window in Availability.objects.filter(speaker__proposal__conference_id=conference_id).values_list(
        "speaker_id", "starts_at", "ends_at"
    ):
        # One person may be on several proposals, each with its own windows: the person
        # is free in any of them. People with no windows stay out (available all day).
        availability[person_of[window[0]]].append((window[1], window[2]))
    placements = [
        Placement(
            session_id=row["proposal_id"],
            room_id=row["room_id"],
            start=row["starts_at"],
            end=row["ends_at"],
            speaker_ids=frozenset(speakers_of.get(row["proposal_id"], ())),
            track_id=row["proposal__track_id"],
            interpretation_wanted=row["proposal__interpretation_wanted"],
            expected_audience=row["proposal__expected_audience"],
        )
        for row in rows
        if row["room_id"] is not None and row["room_id"] in rooms
    ]
    return placements, rooms, {person: _merged(windows) for person, windows in availability.items()}


def _merged(windows: list[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Overlapping or touching windows as one: 9-12 given on one proposal and 12-15 on
    another make a person free from 9 to 15, and a session from 11 to 13 fits."""
    merged: list[list[dt.datetime]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def conflict_names(conference: Conference) -> dict[str, dict[int, str]]:
    """Names for ``Conflict.message`` in the active language: sessions, rooms, speakers
    (by conflict id) and tracks. Four queries."""
    sessions = {
        pk: str(as_translated(title))
        for pk, title in Proposal.objects.filter(conference=conference).values_list("pk", "title")
    }
    rooms = {
        pk: str(as_translated(name))
        for pk, name in Room.objects.filter(conference=conference).values_list("pk", "name")
    }
    speakers: dict[int, str] = {}
    for pk, user_id, full_name, email in Speaker.objects.filter(proposal__conference=conference).values_list(
        "pk", "user_id", "user__full_name", "email"
    ):
        speakers[user_id or -pk] = full_name or email
    tracks = {pk: str(as_translated(name)) for pk, name in Track.objects.values_list("pk", "name")}
    return {"session": sessions, "room": rooms, "speaker": speakers, "track": tracks}


# --- Moves in the draft ------------------------------------------------------------------
def check_placement(*, slot: Slot, room: Room, start: dt.datetime) -> dt.datetime:
    """Refuse a placement the draft must never hold; return the session's end. Reads
    the day's hours (one query). Raises ProgrammeError with a translated message."""
    schedule = slot.schedule
    if not schedule.is_draft:
        raise ProgrammeError(
            _("Only the working draft can be changed; releases stay as published."), code="not_draft"
        )
    if slot.proposal.state != ACCEPTED:
        raise ProgrammeError(_("Only accepted sessions can be placed."), code="not_accepted")
    if room.conference_id != schedule.conference_id:
        raise ProgrammeError(_("This room belongs to another edition."), code="wrong_room", field="room")
    if timezone.is_naive(start):
        raise ProgrammeError(_("The start time has no time zone."), code="naive")
    tz = ZoneInfo(schedule.conference.time_zone)
    local = start.astimezone(tz)
    if local.minute % ALIGN_MINUTES or local.second or local.microsecond:
        raise ProgrammeError(
            _("Sessions start on a multiple of %(minutes)s minutes.") % {"minutes": ALIGN_MINUTES},
            code="unaligned",
        )
    end = start + dt.timedelta(minutes=slot.proposal.duration)
    day = ConferenceDay.objects.filter(conference_id=schedule.conference_id, date=local.date()).first()
    if day is None:
        raise ProgrammeError(
            _("%(date)s is not a day of the conference.") % {"date": local.date().isoformat()},
            code="not_a_day",
        )
    opens, closes = day.bounds(tz)
    if local < opens or end.astimezone(tz) > closes:
        raise ProgrammeError(
            _(
                "A session dropped outside the day's hours: %(date)s runs from %(opens)s to %(closes)s, "
                "and this session would run from %(start)s to %(end)s."
            )
            % {
                "date": local.date().isoformat(),
                "opens": opens.strftime("%H:%M"),
                "closes": closes.strftime("%H:%M"),
                "start": local.strftime("%H:%M"),
                "end": end.astimezone(tz).strftime("%H:%M")
                if end.astimezone(tz).date() == local.date()
                else end.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            },
            code="outside_day",
        )
    return end


def preview_move(*, slot: Slot, room: Room, start: dt.datetime) -> tuple[dt.datetime, list[Conflict]]:
    """What ``place`` would do, saving nothing: the session's end and the draft's
    conflicts as if it sat there. The drag's hover and the "Move…" form both ask this
    before a move, so both show the same conflicts. Raises ``check_placement``'s refusal."""
    end = check_placement(slot=slot, room=room, start=start)
    return end, conflicts_of(slot.schedule, extra=Move(slot.proposal_id, room.pk, start, end))


def _locked_slot(slot: Slot) -> Slot:
    """Caller is inside ``transaction.atomic``: the slot row stays locked until commit."""
    return (
        Slot.objects.select_for_update(of=("self",))
        .select_related("schedule__conference", "proposal")
        .get(pk=slot.pk)
    )


def place(*, slot: Slot, room: Room, start: dt.datetime, by: User | None) -> list[Conflict]:
    """Put a draft session in ``room`` from ``start`` for its duration and return the
    draft's conflicts. Hard conflicts do not stop the move (the organizer fixes them
    next, and publishing refuses them); a refused move changes nothing."""
    with transaction.atomic():
        locked = _locked_slot(slot)
        end = check_placement(slot=locked, room=room, start=start)
        before = _where(locked)
        locked.room, locked.starts_at, locked.ends_at = room, start, end
        locked.save(update_fields=["room", "starts_at", "ends_at"])
        _log_move(locked, ActionLog.Verb.SCHEDULE_MOVED, by=by, before=before)
    log.info(
        "schedule: session %s placed in room %s at %s by %s",
        locked.proposal_id,
        room.pk,
        start.isoformat(),
        getattr(by, "pk", None),
    )
    slot.room, slot.starts_at, slot.ends_at = locked.room, locked.starts_at, locked.ends_at
    return conflicts_of(locked.schedule)


def unplace(*, slot: Slot, by: User | None) -> list[Conflict]:
    """Take a draft session off the grid (it goes back to the unplaced list)."""
    with transaction.atomic():
        locked = _locked_slot(slot)
        if not locked.schedule.is_draft:
            raise ProgrammeError(
                _("Only the working draft can be changed; releases stay as published."), code="not_draft"
            )
        before = _where(locked)
        locked.room, locked.starts_at, locked.ends_at = None, None, None
        locked.save(update_fields=["room", "starts_at", "ends_at"])
        _log_move(locked, ActionLog.Verb.SCHEDULE_UNPLACED, by=by, before=before)
    log.info("schedule: session %s unplaced by %s", locked.proposal_id, getattr(by, "pk", None))
    slot.room, slot.starts_at, slot.ends_at = None, None, None
    return conflicts_of(locked.schedule)


def _where(slot: Slot) -> dict:
    """A position as people read it in the log: the room's slug, the edition's local time."""
    if slot.room_id is None:
        return {"room": None, "start": None}
    local = timezone.localtime(slot.starts_at, slot.schedule.conference.tzinfo)
    return {"room": slot.room.slug, "start": local.strftime("%Y-%m-%d %H:%M")}


def _log_move(slot: Slot, verb: str, *, by: User | None, before: dict) -> None:
    """Caller holds the move's transaction."""
    action_log(
        actor=by, verb=verb, obj=slot.proposal, conference=slot.schedule.conference,
        label=str(slot.proposal)[:120], data={"from": before, "to": _where(slot)},
    )


# --- Releases ----------------------------------------------------------------------------
def _positions(schedule: Schedule | None, *, accepted_only: bool) -> dict[int, dict]:
    if schedule is None:
        return {}
    rows = Slot.objects.filter(schedule=schedule, room__isnull=False)
    if accepted_only:
        rows = rows.filter(proposal__state=ACCEPTED)
    return {
        pk: {"room": room_id, "start": start, "end": end}
        for pk, room_id, start, end in rows.values_list("proposal_id", "room_id", "starts_at", "ends_at")
    }


def _iso(position: dict) -> dict:
    return {
        "room": position["room"],
        "start": position["start"].isoformat(),
        "end": position["end"].isoformat(),
    }


def diff(old: dict[int, dict], new: dict[int, dict]) -> dict[str, list]:
    """What changed from ``old`` to ``new`` positions ({proposal id: room/start/end}),
    in the JSON shape kept on ``Schedule.changes``."""
    moved = [
        {"proposal": pk, "old": _iso(old[pk]), "new": _iso(new[pk])}
        for pk in sorted(new.keys() & old.keys())
        if old[pk] != new[pk]
    ]
    return {
        "added": sorted(new.keys() - old.keys()),
        "moved": moved,
        "cancelled": sorted(old.keys() - new.keys()),
    }


def pending_changes(conference: Conference) -> dict[str, list]:
    """What publishing now would change against the latest release (placed sessions
    only, so the draft as stored is enough: nothing is written)."""
    draft = stored_draft(conference)
    return diff(
        _positions(latest_release(conference), accepted_only=False), _positions(draft, accepted_only=True)
    )


def _publish_refused(conflicts: list[Conflict], names: dict) -> ProgrammeError:
    """Publishing stopped by hard conflicts; the message names each of them."""
    details = [conflict.message(names) for conflict in conflicts]
    message = " ".join([_("This version cannot be published while hard conflicts remain:"), *details])
    return ProgrammeError(message, code="hard_conflicts", conflicts=conflicts, details=details)


def publish(
    *, conference: Conference, comment: dict, by: User | None, send_email: bool = True
) -> Schedule:
    """Copy the draft's placed sessions into release N+1 with a public change note, work
    out what changed, and e-mail the people whose agenda holds a changed session (rendered
    after the commit, once the draft's lock is released; none with ``send_email=False``).
    Refused with ``ProgrammeError`` (code ``hard_conflicts``, carrying them)
    while the draft has a hard conflict."""
    draft_for(conference)
    with transaction.atomic():
        draft = Schedule.objects.select_for_update().get(conference=conference, version=None)
        hard = [conflict for conflict in conflicts_of(draft) if conflict.hard]
        if hard:
            raise _publish_refused(hard, conflict_names(conference))
        previous = latest_release(conference)
        new_positions = _positions(draft, accepted_only=True)
        changes = diff(_positions(previous, accepted_only=False), new_positions)
        release = Schedule.objects.create(
            conference=conference,
            version=(previous.version if previous else 0) + 1,
            comment=as_translated(comment or {}),
            published_at=timezone.now(),
            published_by=by,
            changes=changes,
        )
        Slot.objects.bulk_create(
            Slot(
                schedule=release,
                proposal_id=pk,
                room_id=pos["room"],
                starts_at=pos["start"],
                ends_at=pos["end"],
            )
            for pk, pos in sorted(new_positions.items())
        )
        action_log(
            actor=by, verb=ActionLog.Verb.SCHEDULE_RELEASED, obj=release, conference=conference,
            label=f"v{release.version}",
            data={"version": release.version, **{kind: len(items) for kind, items in changes.items()}},
        )
        if send_email:
            _tell_agendas(conference, release)
    log.info(
        "schedule: %s version %s published by %s (%s added, %s moved, %s cancelled)",
        conference.slug,
        release.version,
        getattr(by, "pk", None),
        len(changes["added"]),
        len(changes["moved"]),
        len(changes["cancelled"]),
    )
    return release


def _changed_sessions(conference: Conference, release: Schedule) -> dict[int, dict]:
    """The moved and cancelled sessions of a release, resolved for people to read."""
    changes = release.changes or {}
    entries: dict[int, dict] = {}
    for move in changes.get("moved", []):
        entries[move["proposal"]] = {"kind": "moved", "old": move["old"], "new": move["new"]}
    for pk in changes.get("cancelled", []):
        entries[pk] = {"kind": "cancelled", "old": None, "new": None}
    return entries


def zone_key(zone) -> str:
    """Rooms are in one zone when this is equal: the zone's text in the site's language
    (or the first the fallback finds), whatever language the organizer reads."""
    return as_translated(zone).get_in(settings.LANGUAGE_CODE).strip().casefold()


def _tell_agendas(conference: Conference, release: Schedule) -> None:
    """One e-mail per person whose agenda (stars and live workshop sign-ups) holds a
    session this release moved or cancelled, listing all of them, in their language."""
    changed = _changed_sessions(conference, release)
    if not changed:
        return
    holders: dict[int, set[int]] = defaultdict(set)
    for user_id, pk in Star.objects.filter(proposal_id__in=changed).values_list("user_id", "proposal_id"):
        holders[user_id].add(pk)
    for user_id, pk in WorkshopSignup.objects.filter(
        proposal_id__in=changed,
        status__in=WorkshopSignup.LIVE,
    ).values_list("user_id", "proposal_id"):
        holders[user_id].add(pk)
    if not holders:
        return
    old_release = (
        Schedule.objects.filter(conference=conference, version=release.version - 1).first()
        if release.version > 1
        else None
    )
    resolved = _resolve(conference, changed, old_release)
    tz = ZoneInfo(conference.time_zone)
    users = User.objects.filter(pk__in=holders, is_active=True).order_by("pk")
    common = {
        "edition_title": as_translated(conference.title),
        "version": release.version,
        "note": as_translated(release.comment),
        "tz": tz,
    }
    # Only addressed here, under the draft's lock: conference.notify renders them all
    # (greetings in one query, one insert) after the commit.
    notify_many(
        letter(
            to=user,
            template="programme_release",
            context={
                **common,
                "sessions": sorted((resolved[pk] for pk in holders[user.pk]), key=lambda e: e["sort"]),
            },
            links={"link_path": ("programme_changes", {"edition": conference.slug})},
        )
        for user in users
    )


def _resolve(
    conference: Conference, entries: dict[int, dict], old_release: Schedule | None
) -> dict[int, dict]:
    """Titles, rooms and datetimes for change entries. Two queries."""
    titles = dict(Proposal.objects.filter(pk__in=entries).values_list("pk", "title"))
    rooms = dict(Room.objects.filter(conference=conference).values_list("pk", "name"))
    cancelled_positions = {}
    if old_release is not None:
        wanted = [pk for pk, entry in entries.items() if entry["kind"] == "cancelled"]
        if wanted:
            cancelled_positions = _positions(old_release, accepted_only=False)
    resolved = {}
    for pk, entry in entries.items():
        old, new = entry.get("old"), entry.get("new")
        old_position = _parse(old, rooms) if old else None
        if entry["kind"] == "cancelled" and pk in cancelled_positions:
            position = cancelled_positions[pk]
            old_position = {
                "room": as_translated(rooms.get(position["room"])),
                "start": position["start"],
                "end": position["end"],
            }
        new_position = _parse(new, rooms) if new else None
        anchor = (new_position or old_position or {}).get("start")
        resolved[pk] = {
            "proposal_id": pk,
            "kind": entry["kind"],
            "title": as_translated(titles.get(pk)),
            "old": old_position,
            "new": new_position,
            "sort": (anchor.isoformat() if anchor else "", pk),
        }
    return resolved


def _parse(position: dict, rooms: dict) -> dict:
    return {
        "room": as_translated(rooms.get(position["room"])),
        "start": dt.datetime.fromisoformat(position["start"]),
        "end": dt.datetime.fromisoformat(position["end"]),
    }


# --- The public change log ---------------------------------------------------------------
@dataclass
class ReleaseEntry:
    release: Schedule
    note: TranslatedText
    added: list[dict] = field(default_factory=list)
    moved: list[dict] = field(default_factory=list)
    cancelled: list[dict] = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.release.version

    @property
    def published_at(self) -> dt.datetime | None:
        return self.release.published_at


def changelog(conference: Conference) -> list[ReleaseEntry]:
    """Releases newest first, each with its note and what it added, moved and cancelled
    (titles, rooms and times resolved). Four queries whatever the number of releases."""
    releases = list(
        Schedule.objects.filter(conference=conference, version__isnull=False).order_by("-version")
    )
    if not releases:
        return []
    proposal_ids: set[int] = set()
    for release in releases:
        changes = release.changes or {}
        proposal_ids.update(changes.get("added", []))
        proposal_ids.update(changes.get("cancelled", []))
        proposal_ids.update(move["proposal"] for move in changes.get("moved", []))
    titles = dict(Proposal.objects.filter(pk__in=proposal_ids).values_list("pk", "title"))
    rooms = dict(Room.objects.filter(conference=conference).values_list("pk", "name"))
    # Where each session sat in each release: "added" shows the new place, "cancelled"
    # the place it had in the release before.
    positions: dict[int, dict[int, dict]] = defaultdict(dict)
    for schedule_id, pk, room_id, start, end in Slot.objects.filter(
        schedule__in=releases, proposal_id__in=proposal_ids, room__isnull=False
    ).values_list("schedule_id", "proposal_id", "room_id", "starts_at", "ends_at"):
        positions[schedule_id][pk] = {"room": as_translated(rooms.get(room_id)), "start": start, "end": end}
    by_version = {release.version: release for release in releases}
    entries = []
    for release in releases:
        changes = release.changes or {}
        previous = by_version.get(release.version - 1)
        here = positions.get(release.pk, {})
        before = positions.get(previous.pk, {}) if previous else {}
        entry = ReleaseEntry(release=release, note=as_translated(release.comment))
        for pk in changes.get("added", []):
            entry.added.append({"title": as_translated(titles.get(pk)), "new": here.get(pk), "old": None})
        for move in changes.get("moved", []):
            entry.moved.append(
                {
                    "title": as_translated(titles.get(move["proposal"])),
                    "old": _parse(move["old"], rooms),
                    "new": _parse(move["new"], rooms),
                }
            )
        for pk in changes.get("cancelled", []):
            entry.cancelled.append(
                {"title": as_translated(titles.get(pk)), "old": before.get(pk), "new": None}
            )
        for rows in (entry.added, entry.cancelled):
            rows.sort(
                key=lambda row: (
                    (row["new"] or row["old"] or {}).get("start") or dt.datetime.min.replace(tzinfo=dt.UTC),
                    str(row["title"]),
                )
            )
        entry.moved.sort(key=lambda row: (row["new"]["start"], str(row["title"])))
        entries.append(entry)
    return entries


def pending_preview(conference: Conference) -> dict[str, list[dict]]:
    """What "publish" would change now, resolved for the organizers' preview: the same
    rows as a change log entry (title, old and new room and time). Five queries; a
    read, so the draft as stored (its placed sessions are all a release copies)."""
    draft = stored_draft(conference)
    previous = latest_release(conference)
    old = _positions(previous, accepted_only=False)
    new = _positions(draft, accepted_only=True)
    changes = diff(old, new)
    titles = dict(Proposal.objects.filter(conference=conference).values_list("pk", "title"))
    rooms = dict(Room.objects.filter(conference=conference).values_list("pk", "name"))

    def shown(position: dict | None) -> dict | None:
        if position is None:
            return None
        return {
            "room": as_translated(rooms.get(position["room"])),
            "start": position["start"],
            "end": position["end"],
        }

    def row(pk: int) -> dict:
        return {"title": as_translated(titles.get(pk)), "old": shown(old.get(pk)), "new": shown(new.get(pk))}

    def when(item: dict):
        return (item["new"] or item["old"])["start"]

    return {
        "added": sorted((row(pk) for pk in changes["added"]), key=when),
        "moved": sorted((row(move["proposal"]) for move in changes["moved"]), key=when),
        "cancelled": sorted((row(pk) for pk in changes["cancelled"]), key=when),
        "next_version": (previous.version if previous else 0) + 1,
    }
