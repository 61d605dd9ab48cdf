"""Feeds at /<edition>/ without a language prefix: the published programme for
schedule and calendar apps, and each delegate's agenda at a secret address.

Public feeds are plain GETs that browsers' schedule apps fetch from other origins, so
they carry CORS and may be cached for a few minutes. Caching revalidates on an ETag of
the body, never on dates alone: a speaker who turns "at risk" after a release changes
the feed without a new release, and If-Modified-Since would keep their name in caches.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.http import http_date, parse_etags
from django.views.decorators.http import require_safe

from conference.models import Conference
from sessions import agenda, feeds
from sessions.selectors import latest_release

PUBLIC_CACHE = "public, max-age=300"
# A private calendar: revalidated every time, so a regenerated address stops at once.
PRIVATE_CACHE = "private, no-cache"

CONTENT_TYPES = {
    "xml": "application/xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "ics": "text/calendar; charset=utf-8",
}


def _respond(request, body: bytes, kind: str, *, cache_control: str, headers: dict[str, str]) -> HttpResponse:
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    wanted = {tag.removeprefix("W/") for tag in parse_etags(request.headers.get("If-None-Match", ""))}
    if etag in wanted or "*" in wanted:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=CONTENT_TYPES[kind])
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    for name, value in headers.items():
        response[name] = value
    return response


def _published(edition: str):
    conference = get_object_or_404(Conference.objects.exclude(status=Conference.Status.DRAFT), slug=edition)
    release = latest_release(conference)
    if release is None:
        # Nothing is public before the first release.
        raise Http404
    return conference, release


def _public_feed(request, edition: str, kind: str) -> HttpResponse:
    conference, release = _published(edition)
    prog = feeds.programme(conference, release, language=request.GET.get("lang"))
    feed_url = settings.SITE_URL + reverse(f"schedule_{kind}", kwargs={"edition": edition})
    if kind == "json":
        body = feeds.schedule_json_bytes(prog, feed_url=feed_url)
    elif kind == "xml":
        body = feeds.schedule_xml(prog, feed_url=feed_url)
    else:
        body = feeds.schedule_ics(prog)
    headers = {"Access-Control-Allow-Origin": "*", "Content-Language": prog.language}
    if release.published_at:
        # Informative only (see the module note): conditional answers go by the ETag.
        headers["Last-Modified"] = http_date(release.published_at.timestamp())
    if kind == "ics":
        headers["Content-Disposition"] = f'inline; filename="{conference.slug}.ics"'
    return _respond(request, body, kind, cache_control=PUBLIC_CACHE, headers=headers)


@require_safe
def schedule_xml(request, edition: str) -> HttpResponse:
    return _public_feed(request, edition, "xml")


@require_safe
def schedule_json(request, edition: str) -> HttpResponse:
    return _public_feed(request, edition, "json")


@require_safe
def schedule_ics(request, edition: str) -> HttpResponse:
    return _public_feed(request, edition, "ics")


@require_safe
def agenda_ics(request, edition: str, token: str) -> HttpResponse:
    owner = agenda.feed_owner(token)
    if owner is None or owner.conference.slug != edition:
        # An unknown or replaced token looks exactly like a wrong address.
        raise Http404
    conference, user = owner.conference, owner.user
    # The subscriber's language, not the request's: a calendar app sends none.
    language = feeds.feed_language(getattr(user, "preferred_language", None))
    body = feeds.agenda_ics(
        conference, latest_release(conference), agenda.agenda(user, conference), language=language
    )
    headers = {
        "Content-Language": language,
        "X-Robots-Tag": "noindex, nofollow",
        # The token is the only key: never send it on as a referrer.
        "Referrer-Policy": "no-referrer",
        "Content-Disposition": 'inline; filename="agenda.ics"',
    }
    return _respond(request, body, "ics", cache_control=PRIVATE_CACHE, headers=headers)


urlpatterns = [
    path("schedule.xml", schedule_xml, name="schedule_xml"),
    path("schedule.json", schedule_json, name="schedule_json"),
    path("schedule.ics", schedule_ics, name="schedule_ics"),
    path("agenda/<str:token>.ics", agenda_ics, name="agenda_ics"),
]
