"""Programme conflicts: the one function the schedule editor (live, as a session is
dropped) and publishing both call.

It works on plain values, not model rows, so the editor can ask "what if this session
went here?" without saving, and so checking a whole three-day programme costs no query.
Hard conflicts stop publishing; soft ones are warnings an organizer may accept.

- hard: a room used twice at once; a speaker in two places at once; a session outside
  a speaker's availability; interpretation wanted in a room without a booth.
- soft: expected audience above the room's seats; two sessions of one track at the
  same time; a speaker with no break between sessions in distant rooms.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class Kind(enum.StrEnum):
    ROOM_DOUBLE_BOOKED = "room_double_booked"
    SPEAKER_DOUBLE_BOOKED = "speaker_double_booked"
    OUTSIDE_AVAILABILITY = "outside_availability"
    NO_INTERPRETATION_BOOTH = "no_interpretation_booth"
    OVER_CAPACITY = "over_capacity"
    SAME_TRACK_AT_ONCE = "same_track_at_once"
    NO_BREAK_BETWEEN_DISTANT_ROOMS = "no_break_between_distant_rooms"


HARD = frozenset(
    {
        Kind.ROOM_DOUBLE_BOOKED,
        Kind.SPEAKER_DOUBLE_BOOKED,
        Kind.OUTSIDE_AVAILABILITY,
        Kind.NO_INTERPRETATION_BOOTH,
    }
)


@dataclass(frozen=True)
class RoomInfo:
    id: int
    capacity: int
    interpretation_booth: bool
    # Rooms in different zones (buildings, floors far apart) are "distant": a speaker
    # needs a break to walk between them.
    zone: str = ""


@dataclass(frozen=True)
class Placement:
    session_id: int
    room_id: int
    start: dt.datetime
    end: dt.datetime
    speaker_ids: frozenset[int] = frozenset()
    track_id: int | None = None
    interpretation_wanted: bool = False
    expected_audience: int = 0


@dataclass(frozen=True)
class Conflict:
    kind: Kind
    session_ids: tuple[int, ...]
    room_id: int | None = None
    speaker_id: int | None = None
    track_id: int | None = None
    detail: Mapping = field(default_factory=dict)

    @property
    def hard(self) -> bool:
        return self.kind in HARD

    def message(self, names: Mapping[str, Mapping[int, str]] | None = None) -> str:
        """A sentence for organizers, in the active language. ``names`` maps "session",
        "room", "speaker" and "track" to {id: name}; ids are shown where a name is
        missing."""
        names = names or {}

        def name(kind: str, key) -> str:
            return str(names.get(kind, {}).get(key, f"#{key}"))

        sessions = " / ".join(name("session", sid) for sid in self.session_ids)
        values = {
            "sessions": sessions,
            "room": name("room", self.room_id),
            "speaker": name("speaker", self.speaker_id),
            "track": name("track", self.track_id),
            **self.detail,
        }
        templates = {
            Kind.ROOM_DOUBLE_BOOKED: _("%(room)s is booked twice at once: %(sessions)s."),
            Kind.SPEAKER_DOUBLE_BOOKED: _("%(speaker)s would be in two places at once: %(sessions)s."),
            Kind.OUTSIDE_AVAILABILITY: _("%(sessions)s is outside the times %(speaker)s is available."),
            Kind.NO_INTERPRETATION_BOOTH: _(
                "%(sessions)s wants interpretation, but %(room)s has no interpretation booth."
            ),
            Kind.OVER_CAPACITY: _("%(sessions)s expects %(audience)s people; %(room)s seats %(capacity)s."),
            Kind.SAME_TRACK_AT_ONCE: _("Two sessions of the track %(track)s at the same time: %(sessions)s."),
            Kind.NO_BREAK_BETWEEN_DISTANT_ROOMS: _(
                "%(speaker)s has %(minutes)s minutes to get between distant rooms: %(sessions)s."
            ),
        }
        return templates[self.kind] % values


def _overlap(a: Placement, b: Placement) -> bool:
    # Half-open intervals: a session ending at 10:00 and one starting at 10:00 touch.
    return a.start < b.end and b.start < a.end


def _overlapping_pairs(group: Sequence[Placement]) -> Iterable[tuple[Placement, Placement]]:
    """Pairs that overlap, by a sweep over start times: O(n log n + pairs)."""
    ordered = sorted(group, key=lambda p: (p.start, p.end, p.session_id))
    active: list[Placement] = []
    for current in ordered:
        active = [other for other in active if other.end > current.start]
        for other in active:
            yield other, current
        active.append(current)


def find_conflicts(
    placements: Iterable[Placement],
    rooms: Mapping[int, RoomInfo],
    availability: Mapping[int, Sequence[tuple[dt.datetime, dt.datetime]]] | None = None,
    *,
    min_break: dt.timedelta = dt.timedelta(minutes=15),
) -> list[Conflict]:
    """Every conflict among ``placements``, hard ones first, in a stable order.

    ``availability`` maps a speaker id to the windows they can speak in; a speaker
    without an entry (or with no windows) is taken as available throughout."""
    placements = list(placements)
    availability = availability or {}
    found: list[Conflict] = []
    by_room: dict[int, list[Placement]] = defaultdict(list)
    by_speaker: dict[int, list[Placement]] = defaultdict(list)
    by_track: dict[int, list[Placement]] = defaultdict(list)
    for placement in placements:
        by_room[placement.room_id].append(placement)
        for speaker in placement.speaker_ids:
            by_speaker[speaker].append(placement)
        if placement.track_id is not None:
            by_track[placement.track_id].append(placement)
        room = rooms[placement.room_id]
        if placement.interpretation_wanted and not room.interpretation_booth:
            found.append(Conflict(Kind.NO_INTERPRETATION_BOOTH, (placement.session_id,), room_id=room.id))
        if placement.expected_audience > room.capacity:
            found.append(
                Conflict(
                    Kind.OVER_CAPACITY,
                    (placement.session_id,),
                    room_id=room.id,
                    detail={"audience": placement.expected_audience, "capacity": room.capacity},
                )
            )
        for speaker in sorted(placement.speaker_ids):
            windows = availability.get(speaker) or ()
            if windows and not any(
                start <= placement.start and placement.end <= end for start, end in windows
            ):
                found.append(Conflict(Kind.OUTSIDE_AVAILABILITY, (placement.session_id,), speaker_id=speaker))
    for room_id, group in by_room.items():
        for a, b in _overlapping_pairs(group):
            found.append(Conflict(Kind.ROOM_DOUBLE_BOOKED, _pair(a, b), room_id=room_id))
    for speaker, group in by_speaker.items():
        for a, b in _overlapping_pairs(group):
            found.append(Conflict(Kind.SPEAKER_DOUBLE_BOOKED, _pair(a, b), speaker_id=speaker))
        ordered = sorted(group, key=lambda p: (p.start, p.session_id))
        for before, after in itertools.pairwise(ordered):
            gap = after.start - before.end
            if dt.timedelta(0) <= gap < min_break and rooms[before.room_id].zone != rooms[after.room_id].zone:
                found.append(
                    Conflict(
                        Kind.NO_BREAK_BETWEEN_DISTANT_ROOMS,
                        _pair(before, after),
                        speaker_id=speaker,
                        detail={"minutes": int(gap.total_seconds() // 60)},
                    )
                )
    for track_id, group in by_track.items():
        for a, b in _overlapping_pairs(group):
            found.append(Conflict(Kind.SAME_TRACK_AT_ONCE, _pair(a, b), track_id=track_id))
    order = list(Kind)
    found.sort(key=lambda c: (not c.hard, order.index(c.kind), c.session_ids, c.speaker_id or 0))
    return found


def _pair(a: Placement, b: Placement) -> tuple[int, int]:
    return tuple(sorted((a.session_id, b.session_id)))
