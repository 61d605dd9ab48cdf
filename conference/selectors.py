"""Reads of the core that are more than a filter. Each returns a fixed number of
queries whatever the size of the data (tests assert it)."""

from __future__ import annotations

import unicodedata

from django.db.models import Count, Prefetch, Q, QuerySet

from conference.models import Conference, Organization, Track


def edition_overview(*, conference: Conference) -> dict:
    tracks = list(Track.objects.all())
    organizations = Organization.objects.aggregate(
        total=Count("pk"),
        iraqi=Count("pk", filter=Q(country="IQ")),
        governorates=Count("governorate", distinct=True),
        countries=Count("country", distinct=True),
    )
    return {"tracks": tracks, "organization_counts": organizations}


def _fold_arabic(text: str) -> list[str]:
    """Spellings of an Arabic search word people use interchangeably (hamza forms of
    alef, ta marbuta/ha, alef maqsura/ya). The registrations search goes further with a
    stored normalised column; the directory is small enough for OR-ed variants."""
    text = "".join(ch for ch in unicodedata.normalize("NFC", text) if unicodedata.category(ch) != "Mn")
    text = text.replace("\u0640", "")  # tatweel
    variants = {text}
    for group in ("اأإآ", "ةه", "ىي"):
        for variant in list(variants):
            for letter in group:
                for other in group:
                    if letter != other and letter in variant:
                        variants.add(variant.replace(letter, other))
    return sorted(variants)[:16]


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
    if q:
        condition = Q(name__icontains=q)
        for variant in _fold_arabic(q):
            condition |= Q(name_ar__icontains=variant)
        queryset = queryset.filter(condition)
    if kind:
        queryset = queryset.filter(kind=kind)
    if governorate:
        queryset = queryset.filter(governorate=governorate)
    if track:
        # One row per organisation already: an organisation holds a track at most once.
        queryset = queryset.filter(tracks=track)
    return queryset.order_by("name")
