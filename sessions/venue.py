"""The programme's settings, kept by organizers: the call for sessions' dates, the
conference days with their hours, and the rooms. A room or a day that a schedule
version uses cannot be deleted, and a day's hours cannot shrink past a placed session."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conference.models import Conference
from sessions.cfp import clean_text, format_window, int_or_none, ltr, non_empty, refuse
from sessions.models import CallForSessions, ConferenceDay, Room, Slot


def save_call(
    *,
    conference: Conference,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    intro,
    anonymous_review: bool = False,
) -> CallForSessions:
    if opens_at and closes_at and closes_at <= opens_at:
        refuse(_("The call must close after it opens."), field="closes_at", code="order")
    call, _created = CallForSessions.objects.update_or_create(
        conference=conference,
        defaults={
            "opens_at": opens_at,
            "closes_at": closes_at,
            "intro": non_empty(intro),
            "anonymous_review": anonymous_review,
        },
    )
    return call


ROOM_FIELDS = ("slug", "name", "capacity", "interpretation_booth", "step_free", "equipment", "zone", "order")


def save_room(*, conference: Conference, data: dict, room: Room | None = None) -> Room:
    """Create a room (``room`` None) or change one; ``data`` holds ROOM_FIELDS."""
    errors: dict[str, list[str]] = {}
    name = clean_text(data.get("name"), field="name", max_length=120, errors=errors)
    slug = slugify(data.get("slug") or name.get("en") or "")
    if not slug:
        errors.setdefault("slug", []).append(
            _("Give the room a short name in Latin letters for its address.")
        )
    elif Room.objects.filter(conference=conference, slug=slug).exclude(pk=getattr(room, "pk", None)).exists():
        errors.setdefault("slug", []).append(_("Another room already has this short name."))
    capacity = int_or_none(data.get("capacity"))
    if capacity is None or capacity < 1:
        errors.setdefault("capacity", []).append(_("A room has at least one seat."))
    if errors:
        raise ValidationError(errors)
    room = room or Room(conference=conference)
    room.slug, room.name, room.capacity = slug, name, capacity
    room.interpretation_booth = bool(data.get("interpretation_booth"))
    room.step_free = bool(data.get("step_free"))
    room.equipment = non_empty(data.get("equipment"))
    room.zone = non_empty(data.get("zone"))
    room.order = int_or_none(data.get("order")) or 0
    try:
        with transaction.atomic():
            room.save()
    except IntegrityError:
        refuse(_("Another room already has this short name."), field="slug", code="slug")
    return room


def _placed_slots_on(conference: Conference, date: dt.date):
    tz = ZoneInfo(conference.time_zone)
    start = dt.datetime.combine(date, dt.time(0), tzinfo=tz)
    return Slot.objects.filter(
        schedule__conference=conference,
        room__isnull=False,
        starts_at__lt=start + dt.timedelta(days=1),
        ends_at__gt=start,
    )


def save_day(*, conference: Conference, data: dict, day: ConferenceDay | None = None) -> ConferenceDay:
    """Create a conference day or change its hours. Hours that would leave a placed
    session outside them are refused, naming the session."""
    date, starts_at, ends_at = data.get("date"), data.get("starts_at"), data.get("ends_at")
    errors: dict[str, list[str]] = {}
    if not isinstance(date, dt.date):
        errors.setdefault("date", []).append(_("Give the date."))
    elif not conference.start_date <= date <= conference.end_date:
        errors.setdefault("date", []).append(
            _("The edition runs from %(first)s to %(last)s: choose a date in between.")
            % {"first": ltr(conference.start_date.isoformat()), "last": ltr(conference.end_date.isoformat())}
        )
    elif (
        ConferenceDay.objects.filter(conference=conference, date=date)
        .exclude(pk=getattr(day, "pk", None))
        .exists()
    ):
        errors.setdefault("date", []).append(_("This day is already in the programme."))
    if not isinstance(starts_at, dt.time) or not isinstance(ends_at, dt.time):
        errors.setdefault("ends_at", []).append(_("Give the hours of the day."))
    elif ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("The day must end after it starts."))
    if errors:
        raise ValidationError(errors)
    tz = ZoneInfo(conference.time_zone)
    first = dt.datetime.combine(date, starts_at, tzinfo=tz)
    last = dt.datetime.combine(date, ends_at, tzinfo=tz)
    outside = _placed_slots_on(conference, date).filter(Q(starts_at__lt=first) | Q(ends_at__gt=last))
    if day is not None and day.date != date:
        # Moving a day to another date leaves every session placed on the old one behind.
        outside = outside | _placed_slots_on(conference, day.date)
    outside = outside.select_related("proposal").first()
    if outside is not None:
        refuse(
            _("“%(title)s” is placed at %(when)s, outside these hours: move it first.")
            % {
                "title": outside.proposal.title,
                "when": format_window((outside.starts_at, outside.ends_at), tz),
            },
            field="starts_at",
            code="slot_outside",
        )
    day = day or ConferenceDay(conference=conference)
    day.date, day.starts_at, day.ends_at = date, starts_at, ends_at
    try:
        with transaction.atomic():
            day.save()
    except IntegrityError:
        refuse(_("This day is already in the programme."), field="date", code="duplicate")
    return day


def delete_room(*, room: Room) -> None:
    """Refused while any schedule version (draft or published) places a session in it."""
    used = Slot.objects.filter(room=room).select_related("proposal").first()
    if used is not None:
        refuse(
            _(
                "Sessions are placed in %(room)s (for example “%(title)s”): "
                "move them before deleting the room."
            )
            % {"room": room.name, "title": used.proposal.title},
            code="room_used",
        )
    room.delete()


def delete_day(*, day: ConferenceDay) -> None:
    """Refused while any schedule version places a session on that day."""
    used = _placed_slots_on(day.conference, day.date).select_related("proposal").first()
    if used is not None:
        refuse(
            _("Sessions are placed on %(date)s (for example “%(title)s”): move them before deleting the day.")
            % {"date": ltr(day.date.isoformat()), "title": used.proposal.title},
            code="day_used",
        )
    day.delete()
