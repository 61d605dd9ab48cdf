"""Reads for the registration pages. Each one runs a fixed number of queries whatever
the number of registrations (tests assert it at 10 and at 1,000)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from conference.models import Conference, Governorate, Organization
from conference.text import fold_for_search
from registrations import people
from registrations.models import (
    Category,
    DelegateProfile,
    Gender,
    OrganizationProposal,
    Question,
    Registration,
)

S = Registration.Status


def shared_passport(profile: str = "") -> Exists:
    """True where another profile holds the same passport number (compared by its keyed
    hash). ``profile`` is the path from the queried model to the profile, e.g.
    ``"user__delegate_profile__"`` from a registration. For visa officers only: the
    pair may be one person with two accounts, or a typing error, or a stolen number."""
    return Exists(
        DelegateProfile.objects.exclude(passport_number_hash="")
        .filter(passport_number_hash=OuterRef(f"{profile}passport_number_hash"))
        .exclude(pk=OuterRef(f"{profile}pk"))
    )


def passport_is_shared(profile: DelegateProfile | None) -> bool:
    if profile is None or not profile.passport_number_hash:
        return False
    return DelegateProfile.objects.filter(pk=profile.pk).filter(shared_passport()).exists()


def registration_list(*, conference: Conference, filters: dict) -> QuerySet[Registration]:
    queryset = Registration.objects.filter(conference=conference).select_related(
        "category", "governorate", "organization", "user", "user__delegate_profile"
    )
    # Each filter is an exact match on the field of the same name (tracks: any of them).
    for name, lookup in (
        ("status", "status"),
        ("category", "category"),
        ("country", "country"),
        ("governorate", "governorate"),
        ("organization", "organization"),
        ("track", "tracks"),
    ):
        if filters.get(name):
            queryset = queryset.filter(**{lookup: filters[name]})
    if filters.get("shared_passport"):
        # Only visa officers' forms carry this filter (it tells passport facts).
        queryset = queryset.filter(shared_passport("user__delegate_profile__"))
    query = fold_for_search(filters.get("q") or "")
    # Every word must appear in the folded names or e-mail (stored folded on the
    # profile), so "احمد" finds "أحمد" and "jose" finds "José".
    for word in query.split()[:6]:
        queryset = queryset.filter(user__delegate_profile__search_text__contains=word)
    return queryset.order_by("created_at", "pk")


def proposals_pending(*, conference: Conference | None = None) -> QuerySet[OrganizationProposal]:
    """Organisation proposals waiting for a decision. With ``conference``: only those
    of people registered in that edition (any status), for its staff; without, all of
    them, for the directory's moderators (conference.permissions.moderates_directory)."""
    queryset = OrganizationProposal.objects.filter(
        status=OrganizationProposal.Status.PENDING
    ).select_related("proposed_by")
    if conference is not None:
        queryset = queryset.filter(
            Exists(
                Registration.objects.filter(conference=conference, user=OuterRef("proposed_by"))
            )
        )
    return queryset.order_by("created_at", "pk")


def questions_for(category: Category) -> QuerySet[Question]:
    """The edition's questions asked in ``category``: its own and those for every category."""
    return Question.objects.filter(conference_id=category.conference_id).filter(
        Q(categories=category) | Q(categories__isnull=True)
    )


def status_counts(*, conference: Conference) -> dict:
    """Counts per category and status, plus totals, in one query."""
    categories = list(Category.objects.filter(conference=conference))
    rows = (
        Registration.objects.filter(conference=conference)
        .values("category_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table = {category.pk: dict.fromkeys(S.values, 0) for category in categories}
    totals = dict.fromkeys(S.values, 0)
    for row in rows:
        table.setdefault(row["category_id"], dict.fromkeys(S.values, 0))[row["status"]] = row["n"]
        totals[row["status"]] += row["n"]
    return {
        "statuses": S.choices,
        "rows": [
            {
                "category": category,
                "counts": [table[category.pk][value] for value in S.values],
                "seats_held": table[category.pk][S.CONFIRMED] + table[category.pk][S.OFFERED],
            }
            for category in categories
        ],
        "totals": [totals[value] for value in S.values],
    }


def room_balance(*, conference: Conference) -> dict:
    """Who the confirmed delegates are, in aggregate: gender (self-described, optional),
    governorates, kinds of organisation, Iraqi and international, and youth."""
    confirmed = Registration.objects.filter(conference=conference, status=S.CONFIRMED)
    youth_from = conference.start_date.year - 29
    overall = confirmed.aggregate(
        total=Count("pk"),
        iraqi=Count("pk", filter=Q(country="IQ")),
        women=Count("pk", filter=Q(user__delegate_profile__gender=Gender.WOMAN)),
        men=Count("pk", filter=Q(user__delegate_profile__gender=Gender.MAN)),
        self_described=Count("pk", filter=Q(user__delegate_profile__gender=Gender.SELF_DESCRIBED)),
        youth=Count("pk", filter=Q(user__delegate_profile__birth_year__gte=youth_from)),
        birth_known=Count("pk", filter=Q(user__delegate_profile__birth_year__isnull=False)),
    )
    overall["international"] = overall["total"] - overall["iraqi"]
    overall["gender_unsaid"] = (
        overall["total"] - overall["women"] - overall["men"] - overall["self_described"]
    )
    names = {gov.pk: gov for gov in Governorate.objects.all()}
    by_governorate = [
        (names.get(row["governorate"]), row["n"])
        for row in confirmed.filter(governorate__isnull=False)
        .values("governorate")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ]
    kinds = dict(Organization.Kind.choices)
    by_kind = [
        (kinds.get(row["organization__kind"], _("No organisation")), row["n"])
        for row in confirmed.values("organization__kind").annotate(n=Count("pk")).order_by("-n")
    ]
    return {"overall": overall, "by_governorate": by_governorate, "by_kind": by_kind}


def public_participants(*, conference: Conference) -> QuerySet[Registration]:
    """Confirmed delegates who asked to be listed. People at risk never appear, even
    if the listing flag is set in the database by mistake."""
    return (
        Registration.objects.filter(
            people.confirmed_delegates_q(),
            people.publicly_listed_q("user__delegate_profile__"),
            conference=conference,
        )
        .select_related("user__delegate_profile", "organization")
        .order_by("user__delegate_profile__passport_name")
    )


def seats_held_by_category(*, conference: Conference) -> dict[int, int]:
    """Seats taken (confirmed or offered) per category id, in one query."""
    rows = (
        Registration.objects.filter(conference=conference, status__in=Registration.SEAT_HOLDING)
        .values("category_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["category_id"]: row["n"] for row in rows}
