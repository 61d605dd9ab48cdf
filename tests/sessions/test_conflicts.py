"""The conflict function on tables of cases: every kind, hard and soft, and the near
misses that must not be reported."""

import datetime as dt

import pytest
from django.utils import translation

from sessions.conflicts import Kind, Placement, RoomInfo, find_conflicts

DAY = dt.datetime(2027, 4, 13, tzinfo=dt.UTC)
ROOMS = {
    1: RoomInfo(1, capacity=450, interpretation_booth=True, zone="main"),
    2: RoomInfo(2, capacity=120, interpretation_booth=True, zone="main"),
    3: RoomInfo(3, capacity=25, interpretation_booth=False, zone="annex"),
}


def at(hour: float, minutes: int = 60, **fields) -> dict:
    start = DAY + dt.timedelta(hours=hour)
    return {"start": start, "end": start + dt.timedelta(minutes=minutes), **fields}


def place(session_id: int, room_id: int, **fields) -> Placement:
    return Placement(session_id=session_id, room_id=room_id, **fields)


def kinds(conflicts) -> list[tuple[str, tuple[int, ...], bool]]:
    return [(c.kind.value, c.session_ids, c.hard) for c in conflicts]


CASES = [
    # (name, placements, availability, expected [(kind, sessions, hard)])
    (
        "room used twice at once",
        [place(1, 1, **at(9)), place(2, 1, **at(9.5))],
        {},
        [("room_double_booked", (1, 2), True)],
    ),
    ("room: back to back is fine", [place(1, 1, **at(9)), place(2, 1, **at(10))], {}, []),
    (
        "room: one inside another",
        [place(1, 1, **at(9, 180)), place(2, 1, **at(10, 30))],
        {},
        [("room_double_booked", (1, 2), True)],
    ),
    (
        "room: three at once give three pairs",
        [place(1, 2, **at(9)), place(2, 2, **at(9)), place(3, 2, **at(9))],
        {},
        [
            ("room_double_booked", (1, 2), True),
            ("room_double_booked", (1, 3), True),
            ("room_double_booked", (2, 3), True),
        ],
    ),
    (
        "speaker in two places at once",
        [
            place(1, 1, speaker_ids=frozenset({7}), **at(9)),
            place(2, 2, speaker_ids=frozenset({7}), **at(9.75)),
        ],
        {},
        [("speaker_double_booked", (1, 2), True)],
    ),
    (
        "different speakers at once are fine",
        [place(1, 1, speaker_ids=frozenset({7}), **at(9)), place(2, 2, speaker_ids=frozenset({8}), **at(9))],
        {},
        [],
    ),
    (
        "outside the speaker's availability",
        [place(1, 1, speaker_ids=frozenset({7}), **at(16))],
        {7: [(DAY + dt.timedelta(hours=9), DAY + dt.timedelta(hours=13))]},
        [("outside_availability", (1,), True)],
    ),
    (
        "partly outside availability still counts",
        [place(1, 1, speaker_ids=frozenset({7}), **at(12.5))],
        {7: [(DAY + dt.timedelta(hours=9), DAY + dt.timedelta(hours=13))]},
        [("outside_availability", (1,), True)],
    ),
    (
        "inside one of two windows is fine",
        [place(1, 1, speaker_ids=frozenset({7}), **at(15))],
        {
            7: [
                (DAY + dt.timedelta(hours=9), DAY + dt.timedelta(hours=11)),
                (DAY + dt.timedelta(hours=14), DAY + dt.timedelta(hours=18)),
            ]
        },
        [],
    ),
    ("no windows given means available", [place(1, 1, speaker_ids=frozenset({7}), **at(22))], {7: []}, []),
    (
        "interpretation wanted, no booth",
        [place(1, 3, interpretation_wanted=True, **at(9))],
        {},
        [("no_interpretation_booth", (1,), True)],
    ),
    ("interpretation wanted, booth there", [place(1, 2, interpretation_wanted=True, **at(9))], {}, []),
    (
        "audience above the room's seats (soft)",
        [place(1, 3, expected_audience=40, **at(9))],
        {},
        [("over_capacity", (1,), False)],
    ),
    ("audience exactly the seats is fine", [place(1, 3, expected_audience=25, **at(9))], {}, []),
    (
        "same track at the same time (soft)",
        [place(1, 1, track_id=4, **at(9)), place(2, 2, track_id=4, **at(9.5))],
        {},
        [("same_track_at_once", (1, 2), False)],
    ),
    (
        "different tracks at once are fine",
        [place(1, 1, track_id=4, **at(9)), place(2, 2, track_id=5, **at(9))],
        {},
        [],
    ),
    (
        "no break between distant rooms (soft)",
        [
            place(1, 1, speaker_ids=frozenset({7}), **at(9)),
            place(2, 3, speaker_ids=frozenset({7}), **at(10, 30)),
        ],
        {},
        [("no_break_between_distant_rooms", (1, 2), False)],
    ),
    (
        "no break but the same zone is fine",
        [place(1, 1, speaker_ids=frozenset({7}), **at(9)), place(2, 2, speaker_ids=frozenset({7}), **at(10))],
        {},
        [],
    ),
    (
        "a 15-minute break between distant rooms is fine",
        [
            place(1, 1, speaker_ids=frozenset({7}), **at(9)),
            place(2, 3, speaker_ids=frozenset({7}), **at(10.25)),
        ],
        {},
        [],
    ),
]


@pytest.mark.parametrize(("name", "placements", "availability", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_of_conflict(name, placements, availability, expected):
    assert kinds(find_conflicts(placements, ROOMS, availability)) == expected


def test_hard_conflicts_come_first_and_one_session_can_have_several():
    placements = [
        place(
            1,
            3,
            speaker_ids=frozenset({7}),
            track_id=4,
            interpretation_wanted=True,
            expected_audience=90,
            **at(9),
        ),
        place(2, 3, speaker_ids=frozenset({7}), track_id=4, **at(9.5)),
    ]
    found = kinds(find_conflicts(placements, ROOMS))
    assert found == [
        ("room_double_booked", (1, 2), True),
        ("speaker_double_booked", (1, 2), True),
        ("no_interpretation_booth", (1,), True),
        ("over_capacity", (1,), False),
        ("same_track_at_once", (1, 2), False),
    ]


@pytest.mark.parametrize(
    ("language", "fragment"),
    [("en", "Tigris room is booked twice at once"), ("ar", "محجوزة مرتين"), ("ckb", "دوو جار")],
)
def test_messages_name_what_clashes(language, fragment):
    conflict = find_conflicts([place(1, 2, **at(9)), place(2, 2, **at(9))], ROOMS)[0]
    with translation.override(language):
        text = conflict.message(
            {"room": {2: "Tigris room"}, "session": {1: "Water rights", 2: "Press freedom"}}
        )
    assert fragment in text and "Water rights / Press freedom" in text
    assert conflict.kind is Kind.ROOM_DOUBLE_BOOKED
