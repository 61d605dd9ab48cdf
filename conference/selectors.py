"""Reads of the core that are more than a filter. Each returns a fixed number of
queries whatever the size of the data (tests assert it)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from conference.models import Conference, Organization, Track
from conference.text import FoldedText, fold_for_search


def edition_overview(*, conference: Conference) -> dict:
    tracks = list(Track.objects.all())
    organizations = Organization.objects.aggregate(
        total=Count("pk"),
        iraqi=Count("pk", filter=Q(country="IQ")),
        governorates=Count("governorate", distinct=True),
        countries=Count("country", distinct=True),
    )
    return {"tracks": tracks, "organization_counts": organizations}


def organization_directory(
    *,
    q: str = "",
    kind: str = "",
    governorate=None,
    track=None,
    verified_only: bool = True,
) -> QuerySet[Organization]:
    queryset = Organization.objects.select_related("governorate").prefetch_related(
        Prefetch("tracks", queryset=Track.objects.order_by("order"))
    )
    if verified_only:
        queryset = queryset.filter(verified=True)
    words = [(raw, fold_for_search(raw)) for raw in q.split()[:6]]
    if words:
        # Folded at query time (the directory is small): "سالح" finds "ساڵح", "ريبين"
        # finds "ڕێبین". The word as typed is tried too, for the accents SQL keeps.
        queryset = queryset.alias(name_folded=FoldedText("name"), name_ar_folded=FoldedText("name_ar"))
        for raw, folded in words:
            condition = Q(name__icontains=raw)
            if folded:
                condition |= Q(name_folded__contains=folded) | Q(name_ar_folded__contains=folded)
            queryset = queryset.filter(condition)
    if kind:
        queryset = queryset.filter(kind=kind)
    if governorate:
        queryset = queryset.filter(governorate=governorate)
    if track:
        # One row per organisation already: an organisation holds a track at most once.
        queryset = queryset.filter(tracks=track)
    return queryset.order_by("name")
