"""Registration pages: thin views that parse, call a service, and render."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from conference import limits
from conference.errors import add_form_error, error_response
from conference.models import Conference
from conference.permissions import (
    Perm,
    directory_moderator_required,
    edition_perm_required,
    has_perm,
    moderates_directory,
)
from registrations import selectors, services
from registrations.forms import (
    CategoryForm,
    DecisionForm,
    OptionFormSet,
    ProfileForm,
    QuestionForm,
    RegistrationFilterForm,
    RegistrationForm,
)
from registrations.models import (
    Answer,
    Category,
    DelegateProfile,
    Question,
    QuestionOption,
    Registration,
    StatusChange,
)
from registrations.uploads import file_response

S = Registration.Status


def _open_edition(slug: str) -> Conference:
    conference = get_object_or_404(Conference, slug=slug)
    if conference.status == Conference.Status.DRAFT:
        raise Http404
    return conference


def _reads_registrations(user, conference: Conference) -> bool:
    """Organizers manage registrations; visa officers read them (passports stay on a
    person's page, where each view is logged)."""
    return has_perm(user, Perm.MANAGE_REGISTRATIONS, conference) or has_perm(
        user, Perm.VIEW_PASSPORTS, conference
    )


def _safe_next(request, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return fallback


# --- The delegate ----------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = DelegateProfile.objects.filter(user=request.user).first()
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.profile_save(
                user=request.user, data=form.profile_data(), proposal=form.proposal()
            )
        except services.RegistrationError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            current = Conference.objects.current()
            warning = services.passport_expiry_warning(saved, current) if current else None
            if warning:
                messages.warning(request, warning)
            return redirect(_safe_next(request, reverse("profile")))
    return render(
        request,
        "registrations/profile.html",
        {"form": form, "profile": profile, "next": request.GET.get("next", request.POST.get("next", ""))},
    )


@login_required
def register_choose(request, edition: str):
    conference = _open_edition(edition)
    existing = Registration.objects.live().filter(conference=conference, user=request.user).first()
    if existing:
        return redirect("registration_status", edition=conference.slug)
    token = request.GET.get("invite", "")
    held = selectors.seats_held_by_category(conference=conference)
    categories = []
    for category in Category.objects.filter(conference=conference).select_related("conference"):
        if category.invite_only and token != category.invite_token:
            continue
        full = held.get(category.pk, 0) >= category.capacity
        categories.append((category, services.category_refusal(category, invite_token=token), full))
    has_profile = DelegateProfile.objects.filter(user=request.user).exists()
    return render(
        request,
        "registrations/register_choose.html",
        {"conference": conference, "categories": categories, "invite": token, "has_profile": has_profile},
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_form(request, edition: str, category: str):
    conference = _open_edition(edition)
    category = get_object_or_404(
        Category.objects.select_related("conference"), conference=conference, slug=category
    )
    token = request.POST.get("invite") or request.GET.get("invite", "")
    if category.invite_only and token != category.invite_token:
        raise Http404
    profile = DelegateProfile.objects.filter(user=request.user).first()
    if profile is None:
        messages.info(request, _("First tell us who you are: your profile is used for every edition."))
        return redirect(f"{reverse('profile')}?next={request.get_full_path()}")
    existing = Registration.objects.live().filter(conference=conference, user=request.user).first()
    if existing:
        return redirect("registration_status", edition=conference.slug)
    questions = list(
        selectors.questions_for(category)
        .prefetch_related(Prefetch("options", queryset=QuestionOption.objects.order_by("order", "pk")))
        .distinct()
        .order_by("order", "pk")
    )
    form = RegistrationForm(request.POST or None, request.FILES or None, questions=questions)
    refusal = services.category_refusal(category, invite_token=token)
    if request.method == "POST" and form.is_valid() and not refusal:
        try:
            services.register(
                user=request.user,
                category=category,
                answers=form.answers(),
                tracks=form.cleaned_data["tracks"],
                invite_token=token,
            )
        except services.RegistrationError as error:
            refusal = error.message
        else:
            return redirect("registration_status", edition=conference.slug)
    return render(
        request,
        "registrations/register_form.html",
        {
            "conference": conference,
            "category": category,
            "form": form,
            "refusal": refusal,
            "invite": token,
            "passport_warning": services.passport_expiry_warning(profile, conference),
        },
    )



@login_required
@require_http_methods(["GET", "POST"])
def registration_status(request, edition: str):
    conference = _open_edition(edition)
    registrations = list(
        Registration.objects.filter(conference=conference, user=request.user)
        .select_related("category", "conference")
        .prefetch_related(Prefetch("changes", queryset=StatusChange.objects.order_by("at", "pk")))
        .order_by("-created_at")
    )
    current = next((r for r in registrations if r.status not in (S.CANCELLED, S.REJECTED)), None)
    if request.method == "POST" and current is not None:
        action = request.POST.get("action")
        try:
            if action == "cancel":
                services.cancel(
                    registration=current, by=request.user, reason=request.POST.get("reason", "")[:500]
                )
                messages.success(request, _("Your registration is cancelled."))
            elif action == "accept":
                services.accept_offer(registration=current, by=request.user)
                messages.success(request, _("The seat is yours: your place is confirmed."))
            elif action == "decline":
                services.cancel(registration=current, by=request.user, reason=_("Offer declined."))
                messages.success(request, _("You declined the seat; it goes to the next person."))
        except services.RegistrationError as error:
            return error_response(request, error, redirect_to=request.path)
        return redirect("registration_status", edition=conference.slug)
    if not registrations:
        return redirect("register", edition=conference.slug)
    profile = DelegateProfile.objects.filter(user=request.user).first()
    return render(
        request,
        "registrations/status.html",
        {
            "conference": conference,
            "current": current,
            "registrations": registrations,
            "position": services.waitlist_position(current) if current else None,
            "passport_warning": services.passport_expiry_warning(profile, conference) if profile else None,
        },
    )


@login_required
def my_data(request):
    data = services.personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="tadamun-my-data-{timezone.localdate():%Y-%m-%d}.json"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm", "").strip().lower() != request.user.email.lower():
            error = _("Type your e-mail address exactly to confirm.")
        else:
            user = request.user
            logout(request)
            services.account_delete(user=user)
            messages.success(request, _("Your account and your personal data have been deleted."))
            return redirect("home")
    return render(request, "registrations/delete_account.html", {"error": error})


# --- Organizers --------------------------------------------------------------------------
@edition_perm_required(Perm.VIEW_STAFF_AREA)
@require_http_methods(["GET", "POST"])
def staff_registrations(request, conference: Conference):
    # Organizers decide; visa officers read the list to find the people whose letters
    # they prepare (and see passports only on a person's page, where it is logged).
    can_manage = has_perm(request.user, Perm.MANAGE_REGISTRATIONS, conference)
    if not _reads_registrations(request.user, conference):
        raise PermissionDenied
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    can_see_passports = has_perm(request.user, Perm.VIEW_PASSPORTS, conference)
    filters_form = RegistrationFilterForm(
        request.GET or None, conference=conference, passports=can_see_passports
    )
    filters = filters_form.cleaned_data if filters_form.is_valid() else {}
    decision = DecisionForm(request.POST or None, conference=conference)
    if request.method == "POST" and decision.is_valid():
        data = decision.cleaned_data
        result = services.decide_many(
            registrations=data["selected"], action=data["action"], by=request.user, reason=data["reason"]
        )
        if result["done"]:
            messages.success(
                request,
                _("%(count)s registrations updated; each delegate was told by e-mail.")
                % {"count": len(result["done"])},
                extra_tags="bulk",  # shown by the bulk buttons (staff_list.html)
            )
        for registration, message in result["refused"]:
            name = registration.user.get_full_name() if registration.user else "—"
            messages.error(request, f"{name}: {message}", extra_tags="bulk")
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    queryset = selectors.registration_list(conference=conference, filters=filters)
    if can_see_passports:
        queryset = queryset.annotate(passport_shared=selectors.shared_passport("user__delegate_profile__"))
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registrations/staff_list.html",
        {
            "conference": conference,
            "filters": filters_form,
            "decision": decision,
            "page": page,
            "query": query.urlencode(),
            "counts": selectors.status_counts(conference=conference),
            "balance": selectors.room_balance(conference=conference),
            "can_see_passports": can_see_passports,
            "selected": set(request.POST.getlist("selected")),
            "can_manage": can_manage,
        },
    )


@edition_perm_required(Perm.VIEW_STAFF_AREA)
@require_http_methods(["GET", "POST"])
def staff_registration_detail(request, conference: Conference, uuid):
    can_manage = has_perm(request.user, Perm.MANAGE_REGISTRATIONS, conference)
    can_see_passports = has_perm(request.user, Perm.VIEW_PASSPORTS, conference)
    if not _reads_registrations(request.user, conference):
        raise PermissionDenied
    registration = get_object_or_404(
        Registration.objects.select_related(
            "category",
            "conference",
            "user",
            "user__delegate_profile",
            "user__delegate_profile__organization",
            "user__delegate_profile__governorate",
            "user__delegate_profile__proposed_organization",
        ).prefetch_related(
            "tracks",
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question")
                .prefetch_related("question__options")
                .order_by("question__order"),
            ),
            Prefetch("changes", queryset=StatusChange.objects.select_related("by").order_by("at", "pk")),
        ),
        conference=conference,
        uuid=uuid,
    )
    decision = DecisionForm(request.POST or None, conference=conference)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if decision.is_valid():
            action, reason = decision.cleaned_data["action"], decision.cleaned_data["reason"]
            try:
                if action == "approve":
                    services.approve(registration=registration, by=request.user, reason=reason)
                elif action == "reject":
                    services.reject(registration=registration, by=request.user, reason=reason)
                else:
                    services.cancel(registration=registration, by=request.user, reason=reason)
            except services.RegistrationError as error:
                return error_response(request, error, redirect_to=request.path)
            messages.success(request, _("Done; the delegate was told by e-mail."))
            return redirect("staff_registration", edition=conference.slug, uuid=registration.uuid)
    profile = getattr(registration.user, "delegate_profile", None) if registration.user else None
    passport = None
    if can_see_passports and profile is not None and request.GET.get("passport") == "show":
        passport = services.passport_data_read(
            viewer=request.user, profile=profile, conference=conference, context="registration page"
        )
    return render(
        request,
        "registrations/staff_detail.html",
        {
            "conference": conference,
            "registration": registration,
            "profile": profile,
            "decision": decision,
            "can_manage": can_manage,
            "can_see_passports": can_see_passports,
            "passport": passport,
            "passport_note": services.passport_expiry_staff_note(profile, conference),
            "passport_shared": can_see_passports and selectors.passport_is_shared(profile),
            "position": services.waitlist_position(registration),
        },
    )


@edition_perm_required(Perm.VIEW_STAFF_AREA)
def staff_answer_file(request, conference: Conference, answer: int):
    if not _reads_registrations(request.user, conference):
        raise PermissionDenied
    answer = get_object_or_404(Answer, pk=answer, registration__conference=conference)
    if not answer.file:
        raise Http404
    return file_response(answer.file, answer.file_name)


@edition_perm_required(Perm.VIEW_STAFF_AREA)
def staff_export(request, conference: Conference, fmt: str):
    from registrations.resources import export_registrations

    if fmt not in ("csv", "xlsx"):
        raise Http404
    if not _reads_registrations(request.user, conference):
        raise PermissionDenied
    filters_form = RegistrationFilterForm(
        request.GET or None,
        conference=conference,
        passports=has_perm(request.user, Perm.VIEW_PASSPORTS, conference),
    )
    filters = filters_form.cleaned_data if filters_form.is_valid() else {}
    queryset = selectors.registration_list(conference=conference, filters=filters)
    content, content_type, filename = export_registrations(
        queryset=queryset, fmt=fmt, viewer=request.user, conference=conference
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@edition_perm_required(Perm.MANAGE_REGISTRATIONS)
@require_http_methods(["GET", "POST"])
def staff_import(request, conference: Conference):
    from registrations.imports import MAX_FILE_BYTES, file_too_big_message, invited_import

    categories = Category.objects.filter(conference=conference)
    result = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        category = categories.filter(slug=request.POST.get("category", "")).first()
        if upload is None or category is None:
            error = _("Choose a category and a CSV or XLSX file.")
        elif upload.size > MAX_FILE_BYTES:
            # Checked before reading: the file stays in its temporary file on disk.
            error = file_too_big_message(upload.size)
        else:
            fmt = "xlsx" if upload.name.lower().endswith(".xlsx") else "csv"
            result = invited_import(data=upload.read(), fmt=fmt, category=category, by=request.user)
            if not result["errors"]:
                messages.success(
                    request,
                    _(
                        "%(registered)s invited delegates registered, %(created)s new accounts; "
                        "each was e-mailed."
                    )
                    % {"registered": result["registered"], "created": result["created"]},
                )
    return render(
        request,
        "registrations/staff_import.html",
        {"conference": conference, "categories": categories, "result": result, "error": error},
    )


@edition_perm_required(Perm.MANAGE_REGISTRATIONS)
@require_http_methods(["GET", "POST"])
def staff_proposals(request, conference: Conference):
    """An edition's staff decide the proposals of people registered in their edition
    only; the rest of the directory is for its moderators (directory_proposals)."""
    return _proposals_page(
        request,
        selectors.proposals_pending(conference=conference),
        conference=conference,
        here=reverse("staff_proposals", kwargs={"edition": conference.slug}),
    )


@directory_moderator_required
@require_http_methods(["GET", "POST"])
def directory_proposals(request):
    """Every pending proposal, for the network's directory moderators and superusers."""
    return _proposals_page(
        request, selectors.proposals_pending(), conference=None, here=reverse("directory_proposals")
    )


def _proposals_page(request, proposals, *, conference: Conference | None, here: str):
    from conference.models import Organization

    if request.method == "POST":
        try:
            proposal_id = int(request.POST.get("proposal", ""))
        except ValueError:
            raise Http404 from None
        # Looked up among the proposals this page shows: another edition's is a 404.
        proposal = get_object_or_404(proposals, pk=proposal_id)
        merge_slug = request.POST.get("merge_into", "")
        merge_into = Organization.objects.filter(slug=merge_slug).first() if merge_slug else None
        if merge_slug and merge_into is None:
            messages.error(request, _("Choose an organisation from the directory to merge into."))
        else:
            try:
                services.proposal_resolve(proposal=proposal, by=request.user, merge_into=merge_into)
            except services.RegistrationError as error:
                return error_response(request, error, redirect_to=here)
            messages.success(request, _("Done: every delegate who named it now belongs to the organisation."))
        return redirect(here)
    return render(
        request,
        "registrations/staff_proposals.html",
        {
            "conference": conference,
            "proposals": proposals,
            "organizations": Organization.objects.order_by("name").only("slug", "name", "name_ar"),
            "moderates_directory": moderates_directory(request.user),
        },
    )


@edition_perm_required(Perm.MANAGE_REGISTRATIONS)
@require_POST
def staff_category_capacity(request, conference: Conference, category: str):
    category = get_object_or_404(Category, conference=conference, slug=category)
    try:
        capacity = int(request.POST.get("capacity", ""))
        if not 0 <= capacity <= limits.MAX_COUNT:
            raise ValueError
    except ValueError:
        messages.error(
            request,
            _("Capacity must be a whole number of seats, at most %(max)s.") % {"max": limits.MAX_COUNT},
        )
    else:
        try:
            promoted = services.category_set_capacity(category=category, capacity=capacity, by=request.user)
        except services.RegistrationError as error:
            back = reverse("staff_registrations", kwargs={"edition": conference.slug})
            return error_response(request, error, redirect_to=back)
        messages.success(
            request,
            _("Capacity is now %(capacity)s; %(count)s people moved up from the waiting list.")
            % {"capacity": capacity, "count": len(promoted)},
        )
    return redirect("staff_registrations", edition=conference.slug)


@edition_perm_required(Perm.MANAGE_REGISTRATIONS)
def staff_categories(request, conference: Conference):
    categories = Category.objects.filter(conference=conference)
    questions = (
        Question.objects.filter(conference=conference)
        .prefetch_related("categories", "options")
        .order_by("order")
    )
    return render(
        request,
        "registrations/staff_categories.html",
        {"conference": conference, "categories": categories, "questions": questions},
    )


@edition_perm_required(Perm.MANAGE_REGISTRATIONS)
@require_http_methods(["GET", "POST"])
def staff_category_edit(request, conference: Conference, category: str | None = None):
    instance = get_object_or_404(Category, conference=conference, slug=category) if category else None
    form = CategoryForm(request.POST or None, instance=instance, conference=conference)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(form=form, conference=conference, by=request.user)
        except services.RegistrationError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("Category saved."))
            return redirect("staff_categories", edition=conference.slug)
    return render(
        request,
        "registrations/staff_category_form.html",
        {"conference": conference, "form": form, "category": instance},
    )


@edition_perm_required(Perm.MANAGE_REGISTRATIONS)
@require_http_methods(["GET", "POST"])
def staff_question_edit(request, conference: Conference, question: int | None = None):
    instance = (
        get_object_or_404(Question, conference=conference, pk=question)
        if question
        else Question(conference=conference)
    )
    form = QuestionForm(request.POST or None, instance=instance, conference=conference)
    options = OptionFormSet(request.POST or None, instance=instance, prefix="options")
    if request.method == "POST" and form.is_valid() and options.is_valid():
        with transaction.atomic():
            saved = form.save()
            options.instance = saved
            options.save(commit=False)
            for option in options.deleted_objects:
                option.delete()
            deleted = set(options.deleted_forms)
            written = [f for f in options.forms if f not in deleted and (f.instance.pk or f.has_changed())]
            for position, option_form in enumerate(written):
                option_form.instance.question = saved
                option_form.instance.order = position
                option_form.instance.save()
        messages.success(request, _("Question saved."))
        return redirect("staff_categories", edition=conference.slug)
    return render(
        request,
        "registrations/staff_question_form.html",
        {"conference": conference, "form": form, "options": options, "question": instance},
    )


def participants(request, edition: str):
    conference = _open_edition(edition)
    page = Paginator(selectors.public_participants(conference=conference), 60).get_page(
        request.GET.get("page")
    )
    return render(request, "registrations/participants.html", {"conference": conference, "page": page})
