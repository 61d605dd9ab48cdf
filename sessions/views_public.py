"""Public programme pages: the latest release by day, time, track or room; a page per
session with its workshop sign-up; starring; and each delegate's agenda.

Every page reads the whole release in a fixed number of queries (``placed_slots``) and
filters in Python: the release is a few hundred rows at most, and the language filter
looks inside a JSON list, which SQLite cannot do in the database.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_info, gettext_lazy, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from conference.errors import error_response
from conference.i18n import as_translated
from conference.models import Conference, Track
from registrations.models import SpokenLanguage
from registrations.people import is_confirmed_delegate
from sessions import agenda as agenda_service
from sessions import workshops
from sessions.exceptions import ProgrammeError
from sessions.models import Proposal, Slot, Star, WorkshopSignup
from sessions.selectors import latest_release, placed_slots, public_speakers, slot_when, speakers_prefetch

VIEWS = ("time", "track", "room")


# --- Helpers ---------------------------------------------------------------------------
def _edition(slug: str) -> Conference:
    conference = get_object_or_404(Conference, slug=slug)
    if conference.status == Conference.Status.DRAFT:
        raise Http404
    return conference


def _released_slot(conference: Conference, code: str) -> Slot:
    """The session as the latest release places it; anything else is not public."""
    release = latest_release(conference)
    if release is None:
        raise Http404
    slot = placed_slots(release).filter(proposal__code=code).first()
    if slot is None:
        raise Http404
    return slot


def _safe_next(request, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _session_url(conference: Conference, code: str) -> str:
    return reverse("programme_session", kwargs={"edition": conference.slug, "code": code})


def _changes_url(conference: Conference) -> str | None:
    # The changelog page is another area's; the programme must not break without it.
    try:
        return reverse("programme_changes", kwargs={"edition": conference.slug})
    except NoReverseMatch:
        return None


def _feeds(conference: Conference) -> list[tuple[str, str]]:
    # Plain paths: the feeds live outside the language prefix.
    base = f"/{conference.slug}/schedule"
    return [
        (_("Calendar (iCal)"), f"{base}.ics"),
        (_("Schedule apps (XML)"), f"{base}.xml"),
        (_("Schedule apps (JSON)"), f"{base}.json"),
    ]


def _language_names(codes: list[str]) -> list[str]:
    names = dict(SpokenLanguage.choices)
    return [str(names.get(code, code)) for code in codes]


def _has_interpretation(slot: Slot) -> bool:
    return bool(slot.proposal.interpretation_wanted and slot.room.interpretation_booth)


def _dress(slot: Slot, tz) -> Slot:
    """What a template prints about a session, worked out once per slot."""
    slot.local_start = timezone.localtime(slot.starts_at, tz)
    slot.local_end = timezone.localtime(slot.ends_at, tz)
    slot.speaker_names, slot.unnamed_speakers = public_speakers(slot.proposal)
    slot.language_names = _language_names(slot.proposal.languages)
    slot.interpretation = _has_interpretation(slot)
    slot.starred = False
    slot.clashing = False
    slot.places_left = None
    return slot


def _clash_data(pairs, tz) -> list[dict]:
    data = []
    for first, second in pairs:
        # Titles sit in bidi isolates: an Arabic title in an English sentence (or the
        # reverse) keeps its own direction, in the page and in the script's notice alike.
        message = _("“%(first)s” (%(first_when)s) overlaps “%(second)s” (%(second_when)s).") % {
            "first": f"\u2068{as_translated(first.proposal.title)}\u2069",
            "first_when": slot_when(first.slot, tz),
            "second": f"\u2068{as_translated(second.proposal.title)}\u2069",
            "second_when": slot_when(second.slot, tz),
        }
        data.append(
            {
                "message": message,
                "sessions": [first.proposal.code, second.proposal.code],
                "first": first,
                "second": second,
            }
        )
    return data


def _person_state(user, conference: Conference, tz) -> dict:
    """The signed-in person's stars, sign-ups and clashes, in a fixed number of
    queries (the agenda service's)."""
    if not user.is_authenticated:
        return {"starred": set(), "signups": {}, "clashes": [], "clashing": set()}
    entries = agenda_service.agenda(user, conference)
    clashes = _clash_data(agenda_service.clashes(entries), tz)
    return {
        "starred": {entry.proposal.pk for entry in entries if entry.starred},
        "signups": {entry.proposal.pk: entry.signup for entry in entries if entry.signup},
        "clashes": clashes,
        "clashing": {code for clash in clashes for code in clash["sessions"]},
    }


def _seats_taken(proposal_ids: list[int]) -> dict[int, int]:
    if not proposal_ids:
        return {}
    rows = (
        WorkshopSignup.objects.filter(proposal_id__in=proposal_ids, status=WorkshopSignup.Status.CONFIRMED)
        .values("proposal_id")
        .annotate(taken=Count("pk"))
    )
    return {row["proposal_id"]: row["taken"] for row in rows}


def _render(request, conference: Conference, template: str, context: dict):
    # Times print in the edition's zone, wherever the reader is.
    with timezone.override(conference.tzinfo):
        return render(
            request,
            template,
            {"conference": conference, "separator": pgettext("list separator", ", "), **context},
        )


# --- The programme ---------------------------------------------------------------------
class ProgrammeFilters(forms.Form):
    track = forms.ChoiceField(label=gettext_lazy("Track"), required=False)
    lang = forms.ChoiceField(label=gettext_lazy("Language spoken"), required=False)
    format = forms.ChoiceField(label=gettext_lazy("Format"), required=False)
    interpretation = forms.BooleanField(label=gettext_lazy("With interpretation"), required=False)

    def __init__(self, data, *, tracks, languages):
        super().__init__(data)
        # Plain strings: a dict here would be taken for an option group.
        tracks = OrderedDict((track.slug, str(track.name)) for track in tracks)
        languages = sorted(languages)
        names = dict(SpokenLanguage.choices)
        self.fields["track"].choices = [("", _("All tracks")), *tracks.items()]
        self.fields["lang"].choices = [("", _("All languages")), *((c, names.get(c, c)) for c in languages)]
        self.fields["format"].choices = [("", _("All formats")), *Proposal.Format.choices]

    def chosen(self) -> dict:
        """The filters that are valid; a bad value is shown as an error and ignored."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: value for name, value in cleaned.items() if value and name not in self.errors}


def _apply_filters(slots: list[Slot], chosen: dict) -> list[Slot]:
    kept = []
    for slot in slots:
        proposal = slot.proposal
        if chosen.get("track") and proposal.track.slug != chosen["track"]:
            continue
        if chosen.get("lang") and chosen["lang"] not in proposal.languages:
            continue
        if chosen.get("format") and proposal.format != chosen["format"]:
            continue
        if chosen.get("interpretation") and not slot.interpretation:
            continue
        kept.append(slot)
    return kept


def _group(slots: list[Slot], view: str) -> list[tuple[object, list[Slot]]]:
    """Sessions of one day under headings: start times, tracks or rooms."""
    if view == "track":
        key, order = (lambda s: s.proposal.track), (lambda t: (t.order, t.pk))
    elif view == "room":
        key, order = (lambda s: s.room), (lambda r: (r.order, r.slug))
    else:
        key, order = (lambda s: s.local_start), (lambda t: t)
    groups: dict = {}
    for slot in slots:
        groups.setdefault(key(slot), []).append(slot)
    return [(heading, groups[heading]) for heading in sorted(groups, key=order)]


def _chosen_day(request, days: list[dt.date], tz) -> dt.date | None:
    """The ?day= asked for; without one, today during the conference, else day one.
    None means every day."""
    asked = request.GET.get("day", "")
    if asked == "all":
        return None
    try:
        day = dt.date.fromisoformat(asked)
    except ValueError:
        day = None
    if day in days:
        return day
    today = timezone.localtime(timezone.now(), tz).date()
    if today in days:
        return today
    return days[0] if days else None


@require_GET
def programme(request, edition: str):
    conference = _edition(edition)
    release = latest_release(conference)
    if release is None:
        return _render(request, conference, "sessions/public/not_published.html", {})
    tz = conference.tzinfo
    # The day tabs and the filters' choices come from a light read of the whole
    # release; only the day shown is loaded as rows, with its speakers, and dressed.
    slots = placed_slots(release).prefetch_related(None).defer("proposal__abstract")
    outline = list(slots.values_list("starts_at", "proposal__track_id", "proposal__languages"))
    days = sorted({timezone.localtime(start, tz).date() for start, _track, _languages in outline})
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "time"
    day = _chosen_day(request, days, tz)
    track_ids = {track for _start, track, _languages in outline}
    filters = ProgrammeFilters(
        request.GET,
        tracks=Track.objects.filter(pk__in=track_ids).order_by("order"),
        languages={code for _start, _track, languages in outline for code in languages},
    )
    chosen = filters.chosen()
    if day is not None:
        opens = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
        slots = slots.filter(starts_at__gte=opens, starts_at__lt=opens + dt.timedelta(days=1))
    in_view = list(slots)
    prefetch_related_objects([slot.proposal for slot in in_view], speakers_prefetch(prefix=""))
    shown = _apply_filters([_dress(slot, tz) for slot in in_view], chosen)

    person = _person_state(request.user, conference, tz)
    taken = _seats_taken([s.proposal_id for s in shown if s.proposal.signup_capacity is not None])
    for slot in shown:
        slot.starred = slot.proposal_id in person["starred"]
        slot.clashing = slot.proposal.code in person["clashing"]
        if slot.proposal.signup_capacity is not None:
            slot.places_left = max(slot.proposal.signup_capacity - taken.get(slot.proposal_id, 0), 0)

    sections = []
    for each in [day] if day else days:
        of_day = [slot for slot in shown if slot.local_start.date() == each]
        sections.append({"day": each, "groups": _group(of_day, view)})
    return _render(
        request,
        conference,
        "sessions/public/programme.html",
        {
            "release": release,
            "days": days,
            "day": day,
            "view": view,
            "views": [("time", _("By time")), ("track", _("By track")), ("room", _("By room"))],
            "filters": filters,
            "filtered": bool(chosen),
            "sections": sections,
            "total": sum(len(slots) for section in sections for _heading, slots in section["groups"]),
            "clashes": person["clashes"],
            "changes_url": _changes_url(conference),
            "feeds": _feeds(conference),
            "here": request.get_full_path(),
        },
    )


# --- One session -----------------------------------------------------------------------
@require_GET
def session(request, edition: str, code: str):
    conference = _edition(edition)
    tz = conference.tzinfo
    slot = _dress(_released_slot(conference, code), tz)
    proposal = slot.proposal
    abstracts = []
    # The reader's language first, then the others in the site's order.
    current = get_language()
    ordered = sorted((code for code, _name in settings.LANGUAGES), key=lambda code: code != current)
    for language in ordered:
        text = as_translated(proposal.abstract).get(language)
        if text:
            info = translation_info(language)
            abstracts.append({"lang": language, "dir": info["dir"], "name": info["name"], "text": text})

    user = request.user
    signup = position = None
    refusal = None
    if proposal.signup_capacity is not None:
        slot.places_left = max(proposal.signup_capacity - workshops.seats_taken(proposal), 0)
        if not user.is_authenticated:
            refusal = "anonymous"
        else:
            signup = WorkshopSignup.objects.filter(
                proposal=proposal, user=user, status__in=WorkshopSignup.LIVE
            ).first()
            position = workshops.waitlist_position(signup) if signup else None
            if signup is None and not is_confirmed_delegate(user=user, conference=conference):
                refusal = "not_delegate"
    person = _person_state(user, conference, tz)
    slot.starred = proposal.pk in person["starred"]
    slot.clashing = proposal.code in person["clashing"]
    return _render(
        request,
        conference,
        "sessions/public/session.html",
        {
            "slot": slot,
            "proposal": proposal,
            "abstracts": abstracts,
            "signup": signup,
            "position": position,
            "refusal": refusal,
            "here": request.get_full_path(),
            "programme_url": reverse("programme", kwargs={"edition": conference.slug}),
        },
    )


def translation_info(language: str) -> dict:
    info = get_language_info(language)
    return {
        "dir": "rtl" if info["bidi"] else "ltr",
        "name": settings.LANGUAGE_SELF_NAMES.get(language, info["name_local"]),
    }


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
def star(request, edition: str, code: str):
    conference = _edition(edition)
    slot = _released_slot(conference, code)
    back = _safe_next(request, _session_url(conference, code))
    if not request.user.is_authenticated:
        if _wants_json(request):
            return JsonResponse({"error": _("Sign in to keep your own agenda.")}, status=403)
        return redirect_to_login(back)
    proposal = slot.proposal
    # The button says what it will do, so a page left open in two tabs does not flip
    # a star the wrong way; without it, toggle.
    action = request.POST.get("action")
    if action not in ("star", "unstar"):
        action = "unstar" if Star.objects.filter(user=request.user, proposal=proposal).exists() else "star"
    if action == "star":
        agenda_service.star(user=request.user, proposal=proposal)
    else:
        agenda_service.unstar(user=request.user, proposal=proposal)
    if _wants_json(request):
        tz = conference.tzinfo
        with timezone.override(tz):
            entries = agenda_service.agenda(request.user, conference)
            clashes = _clash_data(agenda_service.clashes(entries), tz)
        return JsonResponse(
            {
                "starred": action == "star",
                "clashes": [{"message": c["message"], "sessions": c["sessions"]} for c in clashes],
            }
        )
    title = as_translated(proposal.title)
    if action == "star":
        messages.success(request, _("“%(title)s” is in your agenda.") % {"title": title})
    else:
        messages.success(request, _("“%(title)s” is no longer in your agenda.") % {"title": title})
    return redirect(back)


@require_POST
def signup(request, edition: str, code: str):
    conference = _edition(edition)
    slot = _released_slot(conference, code)
    back = _safe_next(request, _session_url(conference, code))
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    proposal = slot.proposal
    title = as_translated(proposal.title)
    try:
        made = workshops.sign_up(proposal=proposal, user=request.user)
    except ProgrammeError as refused:
        return error_response(request, refused, redirect_to=back)
    if made.status == WorkshopSignup.Status.CONFIRMED:
        messages.success(request, _("You have a place in “%(title)s”.") % {"title": title})
    else:
        messages.success(
            request,
            _("“%(title)s” is full: you are number %(position)s on the waiting list.")
            % {"title": title, "position": workshops.waitlist_position(made)},
        )
    return redirect(back)


@require_POST
def signup_cancel(request, edition: str, code: str):
    conference = _edition(edition)
    slot = _released_slot(conference, code)
    back = _safe_next(request, _session_url(conference, code))
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    workshops.cancel(proposal=slot.proposal, user=request.user)
    messages.success(
        request, _("You gave up your place in “%(title)s”.") % {"title": as_translated(slot.proposal.title)}
    )
    return redirect(back)


# --- The personal agenda ---------------------------------------------------------------
def _feed_urls(conference: Conference, token: str) -> tuple[str, str]:
    # The path belongs to the feeds area (no language prefix); SITE_URL makes it whole,
    # since a calendar app fetches it from outside any page.
    address = f"{settings.SITE_URL}/{conference.slug}/agenda/{token}.ics"
    parts = urlsplit(address)
    return address, urlunsplit(("webcal", *parts[1:]))


@require_GET
def my_agenda(request, edition: str):
    conference = _edition(edition)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    tz = conference.tzinfo
    entries = agenda_service.agenda(request.user, conference)
    clashes = _clash_data(agenda_service.clashes(entries), tz)
    clashing = {code for clash in clashes for code in clash["sessions"]}
    days: dict[dt.date, list] = {}
    for entry in entries:
        _dress(entry.slot, tz)
        entry.slot.starred = entry.starred
        entry.slot.clashing = entry.proposal.code in clashing
        entry.position = (
            workshops.waitlist_position(entry.signup)
            if entry.signup and entry.signup.status == WorkshopSignup.Status.WAITLISTED
            else None
        )
        days.setdefault(entry.slot.local_start.date(), []).append(entry)
    feed = agenda_service.feed(request.user, conference)
    address, webcal = _feed_urls(conference, feed.token)
    return _render(
        request,
        conference,
        "sessions/public/agenda.html",
        {
            "days": sorted(days.items()),
            "clashes": clashes,
            "feed_url": address,
            "webcal_url": webcal,
            "published": latest_release(conference) is not None,
            "here": request.get_full_path(),
        },
    )


@require_POST
def agenda_regenerate(request, edition: str):
    conference = _edition(edition)
    here = reverse("programme_agenda", kwargs={"edition": conference.slug})
    if not request.user.is_authenticated:
        return redirect_to_login(here)
    agenda_service.regenerate_feed(request.user, conference)
    messages.success(
        request,
        _("Your calendar has a new address. The old one no longer works: subscribe again with the new one."),
    )
    return redirect(here)


urlpatterns = [
    path("programme/", programme, name="programme"),
    path("programme/agenda/", my_agenda, name="programme_agenda"),
    path("programme/agenda/new-address/", agenda_regenerate, name="programme_agenda_regenerate"),
    path("programme/session/<str:code>/", session, name="programme_session"),
    path("programme/session/<str:code>/star/", star, name="programme_star"),
    path("programme/session/<str:code>/signup/", signup, name="programme_signup"),
    path("programme/session/<str:code>/signup/cancel/", signup_cancel, name="programme_signup_cancel"),
]
