"""The schedule editor, publishing, and the public change log.

Thin views: they parse, call ``sessions.scheduling``, and render. The editor works
without script (a "Move…" form per session and an "Unplace" button); with
``static/js/schedule-editor.js`` sessions are dragged, conflicts are previewed while
hovering (``schedule_check``) and a drop saves (``schedule_place``). Those moving
views live in ``sessions.views_move``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from conference import limits
from conference.errors import add_form_error
from conference.i18n import TranslatedFormField, as_translated
from conference.models import Conference
from conference.permissions import Perm, edition_perm_required
from sessions import scheduling, workshops
from sessions.conflicts import Conflict
from sessions.exceptions import ProgrammeError
from sessions.models import ConferenceDay, Proposal, Room, Schedule, Slot, Speaker, WorkshopSignup
from sessions.views_move import (
    conflict_json,
    schedule_check,
    schedule_move,
    schedule_place,
    schedule_unplace,
    slot_json,
    speaker_name,
)

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


def load_board(conference: Conference) -> Board:
    """The draft with its rooms, days, sessions, speakers and conflicts: eleven queries
    whatever the number of sessions. A read: an accepted session the stored draft lacks
    a slot for (or a missing draft) is shown unplaced from an unsaved slot, and the
    writers (``scheduling.draft_for``) save it on the next change."""
    stored = scheduling.stored_draft(conference)
    draft = stored or Schedule(conference=conference, version=None)
    rooms = list(Room.objects.filter(conference=conference))
    days = list(ConferenceDay.objects.filter(conference=conference))
    speakers = Prefetch(
        "proposal__speakers", queryset=Speaker.objects.select_related("user").order_by("order", "pk")
    )
    slots = []
    if stored is not None:
        slots = list(
            Slot.objects.filter(schedule=stored, proposal__state=Proposal.State.ACCEPTED)
            .select_related("proposal__track")
            .prefetch_related(speakers)
            .order_by("starts_at", "pk")
        )
    missing = Proposal.objects.filter(conference=conference, state=Proposal.State.ACCEPTED)
    if stored is not None:
        missing = missing.exclude(pk__in=Slot.objects.filter(schedule=stored).values("proposal_id"))
    missing = (
        missing.select_related("track")
        .prefetch_related(Prefetch("speakers", queryset=speakers.queryset))
        .order_by("pk")
    )
    # Unsaved slots are unplaced, listed after the stored ones as their new rows would be.
    slots += [Slot(schedule=draft, proposal=proposal) for proposal in missing]
    conflicts = scheduling.conflicts_of(stored) if stored is not None else []
    names: dict[str, dict] = {"session": {}, "room": {}, "speaker": {}, "track": {}}
    cards = []
    for slot in slots:
        proposal = slot.proposal
        speakers = list(proposal.speakers.all())
        for speaker in speakers:
            names["speaker"][speaker.conflict_id] = speaker_name(speaker)
        names["session"][proposal.pk] = str(as_translated(proposal.title))
        names["track"][proposal.track_id] = str(as_translated(proposal.track.name))
        cards.append(Card(slot, [speaker_name(s) for s in speakers], proposal.track.order))
    for room in rooms:
        names["room"][room.pk] = str(as_translated(room.name))
    by_proposal = {card.proposal.pk: card for card in cards}
    for conflict in conflicts:
        text = conflict.message(names)
        for pk in conflict.session_ids:
            if pk in by_proposal:
                (by_proposal[pk].hard if conflict.hard else by_proposal[pk].soft).append(text)
    return Board(conference, draft, conference.tzinfo, rooms, days, cards, conflicts, names)


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
                **slot_json(card.slot, tz),
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
                    "zone": str(as_translated(room.zone)),
                }
                for room in board.rooms
            ],
            "slots": [
                session
                for session in sessions
                if session["room"] is not None and (day is None or session["day"] == day)
            ],
            "unplaced": [session for session in sessions if session["room"] is None],
            "conflicts": [conflict_json(conflict, board.names) for conflict in board.conflicts],
        }
    )


# --- Places for sign-up ----------------------------------------------------------------------
class PlacesForm(forms.Form):
    places = forms.IntegerField(
        label=gettext_lazy("Places for sign-up"),
        required=False,
        min_value=1,
        max_value=limits.MAX_COUNT,
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
        except ProgrammeError as error:
            add_form_error(form, error)
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
        except ProgrammeError as error:
            refused = error
        else:
            messages.success(request, _("Version %(version)s is published.") % {"version": release.version})
            return redirect("programme_changes", edition=conference.slug)
    preview = scheduling.pending_preview(conference)
    draft = scheduling.stored_draft(conference)
    names = scheduling.conflict_names(conference)
    conflicts = scheduling.conflicts_of(draft) if draft is not None else []
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
            # Every accepted session the draft does not place (with or without a slot yet).
            "unplaced": Proposal.objects.filter(conference=conference, state=Proposal.State.ACCEPTED)
            .exclude(pk__in=Slot.objects.filter(schedule=draft, room__isnull=False).values("proposal_id"))
            .count(),
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
