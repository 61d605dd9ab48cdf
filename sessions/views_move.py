"""Moving one draft session: the drag's endpoints and the "Move…" form.

The drag asks ``schedule_check`` while hovering and posts to ``schedule_place`` on the
drop. The "Move…" form (keyboard and no-script path) asks the same question first: a
choice that would give the session a hard conflict is shown with its conflicts and is
saved only by a second submit ("Move anyway") for that very room and time.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conference.errors import add_form_error, error_response
from conference.i18n import as_translated
from conference.models import Conference
from conference.permissions import Perm, edition_perm_required
from sessions import scheduling
from sessions.conflicts import Conflict
from sessions.exceptions import ProgrammeError
from sessions.models import ConferenceDay, Proposal, Room, Slot, Speaker

MANAGE = Perm.MANAGE_PROGRAMME


def speaker_name(speaker: Speaker) -> str:
    if speaker.user_id:
        return speaker.user.full_name or speaker.user.email
    return speaker.email


def conflict_json(conflict: Conflict, names: dict) -> dict:
    return {
        "kind": str(conflict.kind),
        "hard": conflict.hard,
        "sessions": list(conflict.session_ids),
        "room": conflict.room_id,
        "message": conflict.message(names),
    }


def slot_json(slot: Slot, tz: ZoneInfo) -> dict:
    placed = slot.room_id is not None
    return {
        "id": slot.pk,
        "proposal": slot.proposal_id,
        "room": slot.room_id,
        "start": slot.starts_at.astimezone(tz).isoformat() if placed else None,
        "end": slot.ends_at.astimezone(tz).isoformat() if placed else None,
        "day": slot.starts_at.astimezone(tz).date().isoformat() if placed else None,
    }


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
    """The room and start a request names; a translated ProgrammeError when either is
    missing or unreadable."""
    try:
        room = Room.objects.get(pk=int(data.get("room", "")), conference=conference)
    except (ValueError, Room.DoesNotExist):
        raise ProgrammeError(_("Choose a room of this edition."), code="room", field="room") from None
    try:
        start = dt.datetime.fromisoformat(data.get("start", ""))
    except ValueError:
        raise ProgrammeError(_("Choose a start time."), code="start") from None
    start = start.replace(tzinfo=conference.tzinfo) if start.tzinfo is None else start
    return room, start


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# --- The drag --------------------------------------------------------------------------------
@edition_perm_required(MANAGE)
@require_GET
def schedule_check(request, conference: Conference):
    """ "What if this session went here?": the draft's conflicts with the move, unsaved.
    The "Move…" form's script asks it too."""
    slot = _draft_slot(conference, request.GET.get("slot"))
    try:
        room, start = _parse_target(conference, request.GET)
        end, conflicts = scheduling.preview_move(slot=slot, room=room, start=start)
    except ProgrammeError as error:
        return error_response(request, error, as_json=True, extra={"ok": False})
    names = scheduling.conflict_names(conference)
    moved = Slot(pk=slot.pk, proposal_id=slot.proposal_id, room_id=room.pk, starts_at=start, ends_at=end)
    return JsonResponse(
        {
            "ok": True,
            "slot": slot_json(moved, conference.tzinfo),
            "conflicts": [conflict_json(conflict, names) for conflict in conflicts],
        }
    )


@edition_perm_required(MANAGE)
@require_POST
def schedule_place(request, conference: Conference):
    slot = _draft_slot(conference, request.POST.get("slot"))
    try:
        room, start = _parse_target(conference, request.POST)
        conflicts = scheduling.place(slot=slot, room=room, start=start, by=request.user)
    except ProgrammeError as error:
        slot.refresh_from_db(fields=["room", "starts_at", "ends_at"])
        return error_response(
            request,
            error,
            redirect_to=_editor_url(conference, slot),
            extra={"ok": False, "slot": slot_json(slot, conference.tzinfo)},
        )
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
                "slot": slot_json(slot, conference.tzinfo),
                "conflicts": [conflict_json(conflict, names) for conflict in conflicts],
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


# --- The "Move…" form ------------------------------------------------------------------------
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

    def confirmation(self) -> str:
        """What "Move anyway" posts back: it confirms this room, day and time only."""
        data = self.cleaned_data
        return f"{data['room']}@{data['day'].isoformat()}T{data['time']}"


def _initial(conference: Conference, slot: Slot, days, rooms) -> dict:
    if slot.starts_at is not None:
        local = slot.starts_at.astimezone(conference.tzinfo)
        return {"day": local.date().isoformat(), "room": slot.room_id, "time": local.strftime("%H:%M")}
    if days and rooms:
        return {
            "day": days[0].date.isoformat(),
            "room": rooms[0].pk,
            "time": days[0].starts_at.strftime("%H:%M"),
        }
    return {}


@edition_perm_required(MANAGE)
@require_http_methods(["GET", "POST"])
def schedule_move(request, conference: Conference, slot: int):
    """The keyboard and no-script way to place or move one session. A move that would
    give the session a hard conflict is previewed first and saved only when confirmed."""
    slot = _draft_slot(conference, slot)
    if slot.proposal.state != Proposal.State.ACCEPTED:
        raise Http404
    days = list(ConferenceDay.objects.filter(conference=conference))
    rooms = list(Room.objects.filter(conference=conference))
    form = MoveForm(
        request.POST or None, initial=_initial(conference, slot, days, rooms), days=days, rooms=rooms
    )
    preview = None
    names = scheduling.conflict_names(conference)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        hour, minute = (int(part) for part in data["time"].split(":"))
        start = dt.datetime.combine(data["day"], dt.time(hour, minute), tzinfo=conference.tzinfo)
        room = next(room for room in rooms if room.pk == data["room"])
        try:
            end, conflicts = scheduling.preview_move(slot=slot, room=room, start=start)
            mine = [conflict for conflict in conflicts if slot.proposal_id in conflict.session_ids]
            if any(conflict.hard for conflict in mine) and request.POST.get("confirm") != form.confirmation():
                tz = conference.tzinfo
                preview = {
                    "room": as_translated(room.name),
                    "start": start,
                    # Kept left to right as one piece: in Arabic the range must not flip.
                    "times": format_html(
                        '<span dir="ltr">{}\u2013{}</span>',
                        start.astimezone(tz).strftime("%H:%M"),
                        end.astimezone(tz).strftime("%H:%M"),
                    ),
                    "conflicts": [{"hard": c.hard, "text": c.message(names)} for c in mine],
                    "confirm": form.confirmation(),
                }
            else:
                conflicts = scheduling.place(slot=slot, room=room, start=start, by=request.user)
                slot.room = room
                return _after_move(request, conference, slot, conflicts)
        except ProgrammeError as error:
            add_form_error(form, error)
    current = [
        conflict.message(names)
        for conflict in scheduling.conflicts_of(slot.schedule)
        if slot.proposal_id in conflict.session_ids
    ]
    speakers = [speaker_name(speaker) for speaker in slot.proposal.speakers.select_related("user")]
    return render(
        request,
        "sessions/editor/move.html",
        {
            "conference": conference,
            "slot": slot,
            "form": form,
            "preview": preview,
            "current_conflicts": current,
            "speakers": speakers,
            "title": as_translated(slot.proposal.title),
            "back": _editor_url(conference, slot),
        },
    )
