from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.i18n import set_language

from conference import selectors, services
from conference.errors import add_form_error, error_response
from conference.exceptions import DomainError
from conference.forms import OrganizationFilterForm, TeamMemberAddForm
from conference.models import Conference, RoleGrantEvent, TeamMember
from conference.permissions import (
    Perm,
    edition_perm_required,
    has_perm,
    role_grant_approval_refused,
    role_needs_second_person,
)


def home(request):
    conference = Conference.objects.current()
    return _edition_page(request, conference)


def edition(request, edition: str):
    conference = get_object_or_404(Conference.objects.select_related("governorate"), slug=edition)
    if conference.status == Conference.Status.DRAFT and not has_perm(
        request.user, Perm.VIEW_STAFF_AREA, conference
    ):
        # A draft is invisible to the public: same answer as an unknown edition.
        raise Http404
    return _edition_page(request, conference)


def _edition_page(request, conference: Conference | None):
    context = {"conference": conference}
    if conference is not None:
        context.update(selectors.edition_overview(conference=conference))
        context["can_staff"] = has_perm(request.user, Perm.VIEW_STAFF_AREA, conference)
    return render(request, "conference/edition.html", context)


def organizations(request):
    form = OrganizationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.organization_directory(**filters)
    page = Paginator(queryset, 24).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "conference/organizations.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


# Answers to a pending passport-role request: the POST button's name, the service,
# and what the organizer is told when it worked.
_GRANT_ANSWERS = {
    "approve": (
        services.team_role_approve,
        gettext_lazy("Approved: the role is given and the team has been told."),
    ),
    "refuse": (services.team_role_refuse, gettext_lazy("Request refused.")),
    "withdraw": (services.team_role_withdraw, gettext_lazy("Request withdrawn.")),
}


def _posted_id(request, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@edition_perm_required(Perm.VIEW_STAFF_AREA)
def staff_team(request, conference: Conference):
    can_manage = has_perm(request.user, Perm.MANAGE_TEAM, conference)
    form = TeamMemberAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if "remove" in request.POST:
            member = get_object_or_404(
                TeamMember, pk=_posted_id(request, "remove"), conference=conference
            )
            services.team_member_remove(member=member, removed_by=request.user)
            messages.success(request, _("Role removed."))
            return redirect("staff_team", edition=conference.slug)
        for action, (answer, done) in _GRANT_ANSWERS.items():
            if action in request.POST:
                grant = get_object_or_404(
                    RoleGrantEvent.objects.pending(),
                    pk=_posted_id(request, action),
                    conference=conference,
                )
                try:
                    answer(request=grant, by=request.user)
                except DomainError as error:
                    return error_response(request, error, redirect_to=request.path)
                messages.success(request, done)
                return redirect("staff_team", edition=conference.slug)
        if form.is_valid():
            user, role = form.cleaned_data["user"], form.cleaned_data["role"]
            asks = role_needs_second_person(role) and not request.user.is_superuser
            try:
                if asks:
                    services.team_role_request(
                        conference=conference, user=user, role=role, requested_by=request.user
                    )
                else:
                    services.team_member_add(
                        conference=conference, user=user, role=role, added_by=request.user
                    )
            except DomainError as error:
                add_form_error(form, error)
            else:
                messages.success(
                    request,
                    _("Asked: another organizer of this edition, or a platform administrator, "
                      "must approve before the role is given.")
                    if asks
                    else _("Role given; the person has been told by e-mail."),
                )
                return redirect("staff_team", edition=conference.slug)
    members = (
        TeamMember.objects.filter(conference=conference)
        .select_related("user")
        .order_by("role", "user__email")
    )
    by_role = {value: [] for value in TeamMember.Role.values}
    for member in members:
        by_role[member.role].append(member)
    roles = [(value, label, by_role[value]) for value, label in TeamMember.Role.choices]
    pending = []
    if can_manage:
        me = request.user.pk
        for grant in (
            RoleGrantEvent.objects.pending().filter(conference=conference).select_related("user", "by")
        ):
            grant.conference = conference
            can_approve = role_grant_approval_refused(request.user, grant) is None
            pending.append((grant, grant.by_id == me, can_approve))
    return render(
        request,
        "conference/staff_team.html",
        {
            "conference": conference,
            "roles": roles,
            "form": form,
            "can_manage": can_manage,
            "pending": pending,
        },
    )


@never_cache
@require_GET
def healthz(request):
    """200 when the database and the cache answer; 503 naming the one that does not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"error: {type(error).__name__}"
    try:
        probe = uuid.uuid4().hex
        cache.set("healthz:probe", probe, 10)
        checks["cache"] = "ok" if cache.get("healthz:probe") == probe else "error: no answer"
    except Exception as error:
        checks["cache"] = f"error: {type(error).__name__}"
    failing = sorted(name for name, state in checks.items() if state != "ok")
    status = 503 if failing else 200
    body = {"status": "ok" if not failing else "unavailable", "checks": checks}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=status)


@require_http_methods(["POST"])
def switch_language(request):
    """Django's set_language, which can only translate ``next`` when the active
    language matches ``next``'s prefix: activate that language first, so a reader
    switching from Sorani or English lands on the same page in the chosen language."""
    next_url = request.POST.get("next", "")
    language = translation.get_language_from_path(urlsplit(next_url).path)
    if language:
        translation.activate(language)
    return set_language(request)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    return render(request, "500.html", status=500)
