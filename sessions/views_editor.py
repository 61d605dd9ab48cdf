"""The schedule editor, publishing, and the public change log.

Thin views: they parse, call ``sessions.scheduling``, and render. The editor works
without script (a "Move…" form per session and an "Unplace" button); with
``static/js/schedule-editor.js`` sessions are dragged, conflicts are previewed while
hovering (``schedule_check``) and a drop saves (``schedule_place``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conference.i18n import TranslatedFormField, as_translated
from conference.models import Conference
from conference.permissions import Perm, edition_perm_required
from sessions import scheduling, workshops
from sessions.conflicts import Conflict
from sessions.models import ConferenceDay, Proposal, Room, Schedule, Slot, Speaker, WorkshopSignup

MANAGE = Perm.MANAGE_PROGRAMME


# --- Loading the board ---------------------------------------------------------------------
@dataclass
class Card:
    slot: Slot
    speakers: list[str]
    track_order: int
    hard: list[str] = field(default_factory=list)
    soft: list[str] = field(default_factory=list)
    # Sessions booked into the same room at an overlapping time sit inside this card's
    # cell (a table cell holds one session), so none of them is hidden.
    stacked: list[Card] = field(default_factory=list)
    rowspan: int = 1

    @property
    def proposal(self) -> Proposal:
        return self.slot.proposal

    @property
    def title(self):
        return as_translated(self.slot.proposal.title)


@dataclass
class Board:
    conference: Conference
    draft: Schedule
    tz: ZoneInfo
    rooms: list[Room]
    days: list[ConferenceDay]
    cards: list[Card]
    conflicts: list[Conflict]
    names: dict

    def messages(self) -> list[dict]:
        by_proposal = {card.proposal.pk: card for card in self.cards}
        shown = []
        for conflict in self.conflicts:
            anchors = [by_proposal[pk] for pk in conflict.session_ids if pk in by_proposal]
            shown.append({"conflict": conflict, "text": conflict.message(self.names), "cards": anchors})
        return shown


def _speaker_name(speaker: Speaker) -> str:
    if speaker.user_id:
        return speaker.user.full_name or speaker.user.email
    return speaker.email


def load_board(conference: Conference) -> Board:
    """The draft with its rooms, days, sessions, speakers and conflicts: eleven queries
    whatever the number of sessions."""
    draft = scheduling.draft_for(conference)
    rooms = list(Room.objects.filter(conference=conference))
    days = list(ConferenceDay.objects.filter(conference=conference))
    slots = list(
        Slot.objects.filter(schedule=draft, proposal__state=Proposal.State.ACCEPTED)
        .select_related("proposal__track")
        .prefetch_related(
            Prefetch(
                "proposal__speakers", queryset=Speaker.objects.select_related("user").order_by("order", "pk")
            )
        )
        .order_by("starts_at", "pk")
    )
    conflicts = scheduling.conflicts_of(draft)
    names: dict[str, dict] = {"session": {}, "room": {}, "speaker": {}, "track": {}}
    cards = []
    for slot in slots:
        proposal = slot.proposal
        speakers = list(proposal.speakers.all())
        for speaker in speakers:
            names["speaker"][speaker.conflict_id] = _speaker_name(speaker)
        names["session"][proposal.pk] = str(as_translated(proposal.title))
        names["track"][proposal.track_id] = str(as_translated(proposal.track.name))
        cards.append(Card(slot, [_speaker_name(s) for s in speakers], proposal.track.order))
    for room in rooms:
        names["room"][room.pk] = str(as_translated(room.name))
    by_proposal = {card.proposal.pk: card for card in cards}
    for conflict in conflicts:
        text = conflict.message(names)
        for pk in conflict.session_ids:
            if pk in by_proposal:
                (by_proposal[pk].hard if conflict.hard else by_proposal[pk].soft).append(text)
    return Board(conference, draft, conference.tzinfo, rooms, days, cards, conflicts, names)


def _conflict_json(conflict: Conflict, names: dict) -> dict:
    return {
        "kind": str(conflict.kind),
        "hard": conflict.hard,
        "sessions": list(conflict.session_ids),
        "room": conflict.room_id,
        "message": conflict.message(names),
    }


def _slot_json(slot: Slot, tz: ZoneInfo) -> dict:
    placed = slot.room_id is not None
    return {
        "id": slot.pk,
        "proposal": slot.proposal_id,
        "room": slot.room_id,
        "start": slot.starts_at.astimezone(tz).isoformat() if placed else None,
        "end": slot.ends_at.astimezone(tz).isoformat() if placed else None,
        "day": slot.starts_at.astimezone(tz).date().isoformat() if placed else None,
    }


# --- The grid of one day -------------------------------------------------------------------
def _pick_day(days: list[ConferenceDay], wanted: str | None) -> ConferenceDay | None:
    if not days:
        return None
    try:
        date = dt.date.fromisoformat(wanted or "")
    except ValueError:
        return days[0]
    return next((day for day in days if day.date == date), days[0])


def _grid(board: Board, day: ConferenceDay, step_wanted: str | None):
    """Rows of (time, cells) for a table of rooms by time: a cell is a card with its
    rowspan, an empty drop target, or None where a card above covers it."""
    opens, closes = day.bounds(board.tz)
    placed = [
        card
        for card in board.cards
        if card.slot.room_id is not None and card.slot.starts_at.astimezone(board.tz).date() == day.date
    ]
    step = 15
    if step_wanted == "5" or any(
        card.slot.starts_at.astimezone(board.tz).minute % 15
        or card.slot.ends_at.astimezone(board.tz).minute % 15
        for card in placed
    ):
        step = scheduling.ALIGN_MINUTES
    count = int((closes - opens).total_seconds() // 60 // step)
    columns = {room.pk: index for index, room in enumerate(board.rooms)}
    cells: list[list] = [[None] * len(board.rooms) for _row in range(count)]
    covered = [[None] * len(board.rooms) for _row in range(count)]
    outside = []
    for card in sorted(placed, key=lambda c: (c.slot.starts_at, c.slot.pk)):
        column = columns.get(card.slot.room_id)
        offset = (card.slot.starts_at - opens).total_seconds() / 60
        row = int(offset // step)
        if column is None or offset < 0 or row >= count:
            outside.append(card)
            continue
        owner = covered[row][column]
        if owner is not None:
            owner.stacked.append(card)
            continue
        span = max(
            1,
            min(
                count - row, math.ceil((card.slot.ends_at - card.slot.starts_at).total_seconds() / 60 / step)
            ),
        )
        card.rowspan = span
        cells[row][column] = card
        for below in range(row, row + span):
            covered[below][column] = card
    rows = []
    for index in range(count):
        moment = opens + dt.timedelta(minutes=index * step)
        start = moment.strftime("%Y-%m-%dT%H:%M")
        # Runs of empty cells are written here in one piece: a day of 30 rooms has over a
        # thousand of them, too many to go through the template engine one by one.
        row_cells, empty = [], []
        for column, room in enumerate(board.rooms):
            if cells[index][column] is not None:
                if empty:
                    row_cells.append({"empty": _empty_cells(empty, start)})
                    empty = []
                row_cells.append({"card": cells[index][column], "room": room.pk})
            elif covered[index][column] is None:
                empty.append(room.pk)
            # else: covered by a card above, no cell
        if empty:
            row_cells.append({"empty": _empty_cells(empty, start)})
        rows.append(
            {
                "start": start,
                "label": moment.strftime("%H:%M") if moment.minute % 15 == 0 else "",
                "full_hour": moment.minute == 0,
                "quarter": moment.minute % 15 == 0,
                "cells": row_cells,
            }
        )
    return {"rows": rows, "step": step, "outside": outside, "opens": opens, "closes": closes}


def _empty_cells(rooms: list[int], start: str) -> str:
    """Drop targets: the room and the start a session dropped here would get."""
    return format_html_join(
        "", '<td class="se-cell" data-room="{}" data-start="{}"></td>', ((room, start) for room in rooms)
    )


@edition_perm_required(MANAGE)
@require_GET
def schedule_editor(request, conference: Conference):
    board = load_board(conference)
    day = _pick_day(board.days, request.GET.get("day"))
    grid = _grid(board, day, request.GET.get("step")) if day else None
    day_of = {}
    for card in board.cards:
        if card.slot.starts_at is not None:
            day_of[card.proposal.pk] = card.slot.starts_at.astimezone(board.tz).date()
    conflicts = board.messages()
    for item in conflicts:
        item["days"] = sorted(
            {day_of[card.proposal.pk] for card in item["cards"] if card.proposal.pk in day_of}
        )
    return render(
        request,
        "sessions/editor/schedule.html",
        {
            "conference": conference,
            "board": board,
            "day": day,
            "grid": grid,
            "unplaced": [card for card in board.cards if card.slot.room_id is None],
            # One reverse() for all the cards' "Move…" links: the slot id goes at the end.
            "move_prefix": reverse("schedule_move", kwargs={"edition": conference.slug, "slot": 0})[:-2],
            "hard": [item for item in conflicts if item["conflict"].hard],
            "soft": [item for item in conflicts if not item["conflict"].hard],
            "counts": {
                "placed": sum(1 for card in board.cards if card.slot.room_id is not None),
                "all": len(board.cards),
            },
        },
    )


@edition_perm_required(MANAGE)
@require_GET
def schedule_editor_data(request, conference: Conference):
    board = load_board(conference)
    tz = board.tz
    # ?day=YYYY-MM-DD narrows the placed sessions to one day; unplaced sessions and
    # conflicts always cover the whole draft.
    day = request.GET.get("day") or None
    sessions = []
    for card in board.cards:
        proposal = card.proposal
        sessions.append(
            {
                **_slot_json(card.slot, tz),
                "title": dict(as_translated(proposal.title)),
                "track": proposal.track_id,
                "duration": proposal.duration,
                "speakers": card.speakers,
                "interpretation_wanted": proposal.interpretation_wanted,
                "expected_audience": proposal.expected_audience,
            }
        )
    return JsonResponse(
        {
            "edition": conference.slug,
            "time_zone": conference.time_zone,
            "days": [
                {
                    "date": day.date.isoformat(),
                    "starts": day.starts_at.strftime("%H:%M"),
                    "ends": day.ends_at.strftime("%H:%M"),
                }
                for day in board.days
            ],
            "rooms": [
                {
                    "id": room.pk,
                    "slug": room.slug,
                    "name": dict(as_translated(room.name)),
                    "capacity": room.capacity,
                    "interpretation_booth": room.interpretation_booth,
                    "zone": room.zone,
                }
                for room in board.rooms
            ],
            "slots": [
                session
                for session in sessions
                if session["room"] is not None and (day is None or session["day"] == day)
            ],
            "unplaced": [session for session in sessions if session["room"] is None],
            "conflicts": [_conflict_json(conflict, board.names) for conflict in board.conflicts],
        }
    )


# --- Moving ---------------------------------------------------------------------------------
def _draft_slot(conference: Conference, slot_id) -> Slot:
    try:
        pk = int(slot_id)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(
        Slot.objects.select_related("schedule__conference", "proposal", "room"),
        pk=pk,
        schedule__conference=conference,
        schedule__version__isnull=True,
    )


def _parse_target(conference: Conference, data) -> tuple[Room, dt.datetime]:
    """The room and start a request names; a translated ValidationError when either is
    missing or unreadable."""
    try:
        room = Room.objects.get(pk=int(data.get("room", "")), conference=conference)
    except (ValueError, Room.DoesNotExist):
        raise ValidationError(_("Choose a room of this edition."), code="room") from None
    try:
        start = dt.datetime.fromisoformat(data.get("start", ""))
    except ValueError:
        raise ValidationError(_("Choose a start time."), code="start") from None
    start = start.replace(tzinfo=conference.tzinfo) if start.tzinfo is None else start
    return room, start


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@edition_perm_required(MANAGE)
@require_GET
def schedule_check(request, conference: Conference):
    """ "What if this session went here?": the draft's conflicts with the move, unsaved."""
    slot = _draft_slot(conference, request.GET.get("slot"))
    try:
        room, start = _parse_target(conference, request.GET)
        end = scheduling.check_placement(slot=slot, room=room, start=start)
    except ValidationError as error:
        return JsonResponse({"ok": False, "error": " ".join(error.messages)}, status=400)
    move = scheduling.Move(slot.proposal_id, room.pk, start, end)
    conflicts = scheduling.conflicts_of(slot.schedule, extra=move)
    names = scheduling.conflict_names(conference)
    return JsonResponse(
        {
            "ok": True,
            "slot": {
                **_slot_json(
                    Slot(
                        pk=slot.pk,
                        proposal_id=slot.proposal_id,
                        room_id=room.pk,
                        starts_at=start,
                        ends_at=end,
                    ),
                    conference.tzinfo,
                )
            },
            "conflicts": [_conflict_json(conflict, names) for conflict in conflicts],
        }
    )


@edition_perm_required(MANAGE)
@require_POST
def schedule_place(request, conference: Conference):
    slot = _draft_slot(conference, request.POST.get("slot"))
    try:
        room, start = _parse_target(conference, request.POST)
        conflicts = scheduling.place(slot=slot, room=room, start=start, by=request.user)
    except ValidationError as error:
        slot.refresh_from_db(fields=["room", "starts_at", "ends_at"])
        message = " ".join(error.messages)
        if _wants_json(request):
            return JsonResponse(
                {"ok": False, "error": message, "slot": _slot_json(slot, conference.tzinfo)}, status=400
            )
        messages.error(request, message)
        return redirect(_editor_url(conference, slot))
    return _after_move(request, conference, slot, conflicts)


@edition_perm_required(MANAGE)
@require_POST
def schedule_unplace(request, conference: Conference):
    slot = _draft_slot(conference, request.POST.get("slot"))
    day = slot.starts_at.astimezone(conference.tzinfo).date() if slot.starts_at else None
    conflicts = scheduling.unplace(slot=slot, by=request.user)
    if _wants_json(request):
        return _after_move(request, conference, slot, conflicts)
    messages.success(
        request, _("“%(title)s” is off the grid.") % {"title": as_translated(slot.proposal.title)}
    )
    url = reverse("schedule_editor", kwargs={"edition": conference.slug})
    return redirect(f"{url}?day={day.isoformat()}" if day else url)


def _editor_url(conference: Conference, slot: Slot) -> str:
    url = reverse("schedule_editor", kwargs={"edition": conference.slug})
    if slot.starts_at is None:
        return f"{url}#slot-{slot.pk}"
    return f"{url}?day={slot.starts_at.astimezone(conference.tzinfo).date().isoformat()}#slot-{slot.pk}"


def _after_move(request, conference: Conference, slot: Slot, conflicts: list[Conflict]):
    names = scheduling.conflict_names(conference)
    mine = [conflict for conflict in conflicts if slot.proposal_id in conflict.session_ids]
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "slot": _slot_json(slot, conference.tzinfo),
                "conflicts": [_conflict_json(conflict, names) for conflict in conflicts],
            }
        )
    title = as_translated(slot.proposal.title)
    if slot.room_id is not None:
        local = slot.starts_at.astimezone(conference.tzinfo)
        messages.success(
            request,
            _("“%(title)s” is now in %(room)s on %(date)s at %(time)s.")
            % {
                "title": title,
                "room": as_translated(slot.room.name),
                "date": local.date().isoformat(),
                "time": local.strftime("%H:%M"),
            },
        )
    for conflict in mine:
        (messages.error if conflict.hard else messages.warning)(request, conflict.message(names))
    return redirect(_editor_url(conference, slot))


class MoveForm(forms.Form):
    day = forms.TypedChoiceField(label=gettext_lazy("Day"), coerce=dt.date.fromisoformat)
    room = forms.TypedChoiceField(label=gettext_lazy("Room"), coerce=int)
    time = forms.ChoiceField(label=gettext_lazy("Starts at"))

    def __init__(self, *args, days, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(day.date.isoformat(), day.date.isoformat()) for day in days]
        self.fields["room"].choices = [
            (
                room.pk,
                f"{as_translated(room.name)} · "
                + _("%(seats)s seats") % {"seats": room.capacity}
                + (" · " + _("interpretation booth") if room.interpretation_booth else ""),
            )
            for room in rooms
        ]
        earliest = min((day.starts_at for day in days), default=dt.time(8, 0))
        latest = max((day.ends_at for day in days), default=dt.time(20, 0))
        times = []
        moment = dt.datetime.combine(dt.date(2000, 1, 1), earliest)
        while moment.time() < latest and moment.date() == dt.date(2000, 1, 1):
            times.append((moment.strftime("%H:%M"), moment.strftime("%H:%M")))
            moment += dt.timedelta(minutes=scheduling.ALIGN_MINUTES)
        self.fields["time"].choices = times


@edition_perm_required(MANAGE)
@require_http_methods(["GET", "POST"])
def schedule_move(request, conference: Conference, slot: int):
    """The keyboard and no-script way to place or move one session."""
    slot = _draft_slot(conference, slot)
    if slot.proposal.state != Proposal.State.ACCEPTED:
        raise Http404
    days = list(ConferenceDay.objects.filter(conference=conference))
    rooms = list(Room.objects.filter(conference=conference))
    initial = {}
    if slot.starts_at is not None:
        local = slot.starts_at.astimezone(conference.tzinfo)
        initial = {"day": local.date().isoformat(), "room": slot.room_id, "time": local.strftime("%H:%M")}
    elif days and rooms:
        initial = {
            "day": days[0].date.isoformat(),
            "room": rooms[0].pk,
            "time": days[0].starts_at.strftime("%H:%M"),
        }
    form = MoveForm(request.POST or None, initial=initial, days=days, rooms=rooms)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        hour, minute = (int(part) for part in data["time"].split(":"))
        start = dt.datetime.combine(data["day"], dt.time(hour, minute), tzinfo=conference.tzinfo)
        room = next(room for room in rooms if room.pk == data["room"])
        try:
            conflicts = scheduling.place(slot=slot, room=room, start=start, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            slot.room = room
            return _after_move(request, conference, slot, conflicts)
    names = scheduling.conflict_names(conference)
    mine = [
        conflict.message(names)
        for conflict in scheduling.conflicts_of(slot.schedule)
        if slot.proposal_id in conflict.session_ids
    ]
    speakers = [_speaker_name(speaker) for speaker in slot.proposal.speakers.select_related("user")]
    return render(
        request,
        "sessions/editor/move.html",
        {
            "conference": conference,
            "slot": slot,
            "form": form,
            "current_conflicts": mine,
            "speakers": speakers,
            "title": as_translated(slot.proposal.title),
            "back": _editor_url(conference, slot),
        },
    )


# --- Places for sign-up ----------------------------------------------------------------------
class PlacesForm(forms.Form):
    places = forms.IntegerField(
        label=gettext_lazy("Places for sign-up"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("Leave empty for a session anyone may walk into without signing up."),
    )


@edition_perm_required(MANAGE)
@require_http_methods(["GET", "POST"])
def programme_places(request, conference: Conference, code: str):
    """Organizers change a session's places; more places go to the waiting list."""
    proposal = get_object_or_404(Proposal, conference=conference, code=code, state=Proposal.State.ACCEPTED)
    form = PlacesForm(request.POST or None, initial={"places": proposal.signup_capacity})
    if request.method == "POST" and form.is_valid():
        try:
            promoted = workshops.set_places(
                proposal=proposal, places=form.cleaned_data["places"], by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("places", message)
        else:
            messages.success(
                request,
                ngettext(
                    "Places saved: %(count)s person from the waiting list got a place and an e-mail.",
                    "Places saved: %(count)s people from the waiting list got a place and an e-mail.",
                    len(promoted),
                )
                % {"count": len(promoted)}
                if promoted
                else _("Places saved."),
            )
            return redirect("programme_places", edition=conference.slug, code=proposal.code)
    counts = {
        status: WorkshopSignup.objects.filter(proposal=proposal, status=status).count()
        for status in (WorkshopSignup.Status.CONFIRMED, WorkshopSignup.Status.WAITLISTED)
    }
    return render(
        request,
        "sessions/editor/places.html",
        {
            "conference": conference,
            "proposal": proposal,
            "title": as_translated(proposal.title),
            "form": form,
            "taken": counts[WorkshopSignup.Status.CONFIRMED],
            "waiting": counts[WorkshopSignup.Status.WAITLISTED],
        },
    )


# --- Publishing -----------------------------------------------------------------------------
class PublishForm(forms.Form):
    comment = TranslatedFormField(
        label=gettext_lazy("Change note (public)"),
        multiline=True,
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Shown on the public list of changes and in the e-mail to delegates."),
    )


@edition_perm_required(MANAGE)
@require_http_methods(["GET", "POST"])
def schedule_publish(request, conference: Conference):
    form = PublishForm(request.POST or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            release = scheduling.publish(
                conference=conference, comment=form.cleaned_data["comment"], by=request.user
            )
        except scheduling.PublishRefused as error:
            refused = error
        else:
            messages.success(request, _("Version %(version)s is published.") % {"version": release.version})
            return redirect("programme_changes", edition=conference.slug)
    preview = scheduling.pending_preview(conference)
    draft = scheduling.draft_for(conference)
    names = scheduling.conflict_names(conference)
    conflicts = scheduling.conflicts_of(draft)
    return render(
        request,
        "sessions/editor/publish.html",
        {
            "conference": conference,
            "form": form,
            "preview": preview,
            "refused": refused,
            "hard": [conflict.message(names) for conflict in conflicts if conflict.hard],
            "soft": [conflict.message(names) for conflict in conflicts if not conflict.hard],
            "unplaced": Slot.objects.filter(
                schedule=draft, room__isnull=True, proposal__state=Proposal.State.ACCEPTED
            ).count(),
        },
        status=400 if refused else 200,
    )


# --- The public change log ------------------------------------------------------------------
@require_GET
def programme_changes(request, edition: str):
    conference = get_object_or_404(Conference, slug=edition)
    if conference.status == Conference.Status.DRAFT:
        raise Http404
    return render(
        request,
        "sessions/editor/changes.html",
        {"conference": conference, "entries": scheduling.changelog(conference), "tz": conference.tzinfo},
    )


urlpatterns = [
    path("staff/programme/schedule/", schedule_editor, name="schedule_editor"),
    path("staff/programme/schedule/data.json", schedule_editor_data, name="schedule_editor_data"),
    path("staff/programme/schedule/check/", schedule_check, name="schedule_check"),
    path("staff/programme/schedule/place/", schedule_place, name="schedule_place"),
    path("staff/programme/schedule/unplace/", schedule_unplace, name="schedule_unplace"),
    path("staff/programme/schedule/move/<int:slot>/", schedule_move, name="schedule_move"),
    path("staff/programme/publish/", schedule_publish, name="schedule_publish"),
    path("staff/programme/sessions/<str:code>/places/", programme_places, name="programme_places"),
    path("programme/changes/", programme_changes, name="programme_changes"),
]
