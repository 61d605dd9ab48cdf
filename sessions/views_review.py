"""Review pages for the edition's team: the reviewer's queue and scoring form, the
organizers' list of proposals with their decisions, and the review criteria. Thin: they
parse, call ``sessions.review``, and render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from conference.errors import add_form_error
from conference.models import Conference
from conference.permissions import Perm, edition_perm_required, has_perm
from sessions import review as services
from sessions.exceptions import ProgrammeError
from sessions.forms_review import (
    CriterionForm,
    DecisionForm,
    ProposalFilterForm,
    QueueFilterForm,
    ReviewForm,
)
from sessions.models import (
    Availability,
    CallForSessions,
    Proposal,
    Review,
    ReviewCriterion,
    ReviewScore,
    Speaker,
)


def _language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def _nav(request, conference: Conference) -> dict:
    """What the programme links at the top of these pages may show."""
    return {
        "nav_review": has_perm(request.user, Perm.REVIEW_PROPOSALS, conference),
        "nav_manage": has_perm(request.user, Perm.MANAGE_PROGRAMME, conference),
    }


def _texts_by_language(text) -> list[tuple[str, str, str]]:
    """(code, language name, text) for each language a text is written in."""
    rows = []
    for code, value in text.items():
        if value:
            rows.append((code, _language_name(code), value))
    return rows


# --- Reviewers -----------------------------------------------------------------------
@edition_perm_required(Perm.REVIEW_PROPOSALS)
def review_queue(request, conference: Conference):
    filters = QueueFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    queryset = services.review_queue(request.user, conference)
    total = queryset.count()
    done = queryset.filter(reviewed=True).count()
    if data.get("track"):
        queryset = queryset.filter(track=data["track"])
    if data.get("status") == "todo":
        queryset = queryset.filter(reviewed=False)
    elif data.get("status") == "done":
        queryset = queryset.filter(reviewed=True)
    return render(
        request,
        "sessions/review/queue.html",
        {
            "conference": conference,
            **_nav(request, conference),
            "filters": filters,
            "proposals": list(queryset),
            "total": total,
            "done": done,
            "has_criteria": ReviewCriterion.objects.filter(conference=conference).exists(),
        },
    )


def _proposal_for_review(conference: Conference, code: str) -> Proposal:
    availability = Prefetch("availability", queryset=Availability.objects.order_by("starts_at"))
    speakers = Prefetch(
        "speakers",
        queryset=Speaker.objects.select_related("user__delegate_profile")
        .prefetch_related(availability)
        .order_by("order", "pk"),
    )
    return get_object_or_404(
        Proposal.objects.select_related(
            "track", "organization", "proposer__delegate_profile", "conference"
        ).prefetch_related(speakers),
        conference=conference,
        code=code,
    )


@edition_perm_required(Perm.VIEW_STAFF_AREA)
@require_http_methods(["GET", "POST"])
def review_proposal(request, conference: Conference, code: str):
    can_review = has_perm(request.user, Perm.REVIEW_PROPOSALS, conference)
    can_manage = has_perm(request.user, Perm.MANAGE_PROGRAMME, conference)
    if not (can_review or can_manage):
        raise PermissionDenied
    proposal = _proposal_for_review(conference, code)
    conflict = services.review_conflict(proposal, request.user) if can_review else None
    if conflict and not can_manage:
        # Reviewers never see proposals they must not review, not even by address.
        raise Http404
    criteria = list(ReviewCriterion.objects.filter(conference=conference))
    reviews = list(
        Review.objects.filter(proposal=proposal)
        .select_related("reviewer")
        .prefetch_related(Prefetch("scores", queryset=ReviewScore.objects.order_by("criterion__order")))
        .order_by("created_at", "pk")
    )
    own = next((r for r in reviews if r.reviewer_id == request.user.pk), None)
    open_for_review = can_review and not conflict and proposal.state == Proposal.State.SUBMITTED
    form = None
    refusal = ""
    if open_for_review and criteria:
        form = ReviewForm(request.POST or None, criteria=criteria, review=own)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.save_review(
                    proposal=proposal,
                    reviewer=request.user,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            except ProgrammeError as error:
                refusal = error.message
            else:
                messages.success(request, _("Your review is saved."))
                return redirect("review_proposal", edition=conference.slug, code=proposal.code)
    call = CallForSessions.objects.filter(conference=conference).first()
    # Organizers see who is who; reviewers see no one at risk, and no one at all when
    # the organizers made the review anonymous.
    anonymous = not can_manage and bool(call and call.anonymous_review)
    people = services.people_for_reviewer(proposal, names_hidden=not can_manage, anonymous=anonymous)
    # Others' scores only once one's own is saved: reading them first anchors a score.
    show_others = can_manage or own is not None
    by_criterion = {c.pk: c for c in criteria}
    for item in reviews:
        item.rows = [(by_criterion.get(s.criterion_id), s.value) for s in item.scores.all()]
    return render(
        request,
        "sessions/review/proposal.html",
        {
            "conference": conference,
            **_nav(request, conference),
            "proposal": proposal,
            "titles": _texts_by_language(proposal.title),
            "abstracts": _texts_by_language(proposal.abstract),
            "languages": [_language_name(code) for code in proposal.languages],
            **people,
            "anonymous": anonymous,
            "form": form,
            "refusal": refusal,
            "conflict": conflict,
            "own": own,
            "others": [r for r in reviews if r.pk != getattr(own, "pk", None)] if show_others else None,
            "hidden_count": 0 if show_others else len(reviews) - (1 if own else 0),
            "criteria": criteria,
            "can_review": can_review,
            "can_manage": can_manage,
            "open_for_review": open_for_review,
            "decidable": (Proposal.State.SUBMITTED, Proposal.State.ACCEPTED, Proposal.State.REJECTED),
        },
    )


# --- Organizers --------------------------------------------------------------------------
@edition_perm_required(Perm.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def programme_proposals(request, conference: Conference):
    filters = ProposalFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    decision = DecisionForm(request.POST or None, conference=conference)
    if request.method == "POST" and decision.is_valid():
        result = services.decide(
            proposals=list(decision.cleaned_data["selected"]),
            accept=decision.cleaned_data["action"] == "accept",
            by=request.user,
            note=decision.cleaned_data["note"],
        )
        if result["done"]:
            text = (
                _("%(count)s proposals accepted; their speakers were told by e-mail.")
                if decision.cleaned_data["action"] == "accept"
                else _("%(count)s proposals rejected; their speakers were told by e-mail.")
            )
            # "bulk": shown by the buttons that were pressed (review/proposals.html).
            messages.success(request, text % {"count": len(result["done"])}, extra_tags="bulk")
        if result["unchanged"]:
            messages.info(
                request,
                _("%(count)s were already decided that way: nothing changed, nobody was e-mailed again.")
                % {"count": len(result["unchanged"])},
                extra_tags="bulk",
            )
        for _proposal, message in result["refused"]:
            messages.error(request, message, extra_tags="bulk")
        query = request.GET.urlencode()
        return redirect(f"{request.path}?{query}" if query else request.path)
    criteria = list(ReviewCriterion.objects.filter(conference=conference))
    proposals = list(
        services.organizer_proposals(
            conference, track=data.get("track"), state=data.get("state", ""), sort=data.get("sort", "")
        )
    )
    means = services.criterion_means(conference)
    for proposal in proposals:
        proposal.criterion_means = [(c, means.get((proposal.pk, c.pk))) for c in criteria]
    return render(
        request,
        "sessions/review/proposals.html",
        {
            "conference": conference,
            **_nav(request, conference),
            "filters": filters,
            "decision": decision,
            "proposals": proposals,
            "criteria": criteria,
            "counts": services.track_counts(conference),
            "selected": set(request.POST.getlist("selected")),
        },
    )


@edition_perm_required(Perm.MANAGE_PROGRAMME)
def review_criteria(request, conference: Conference):
    return render(
        request,
        "sessions/review/criteria.html",
        {
            "conference": conference,
            **_nav(request, conference),
            "criteria": ReviewCriterion.objects.filter(conference=conference),
        },
    )


@edition_perm_required(Perm.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def review_criterion_edit(request, conference: Conference, pk: int | None = None):
    criterion = get_object_or_404(ReviewCriterion, conference=conference, pk=pk) if pk else None
    form = CriterionForm.for_criterion(request.POST or None, criterion)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_criterion(
                conference=conference, by=request.user, criterion=criterion, **form.service_kwargs()
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except ProgrammeError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("Criterion saved."))
            return redirect("review_criteria", edition=conference.slug)
    return render(
        request,
        "sessions/review/criterion_form.html",
        {"conference": conference, **_nav(request, conference), "form": form, "criterion": criterion},
    )


@edition_perm_required(Perm.MANAGE_PROGRAMME)
@require_POST
def review_criterion_delete(request, conference: Conference, pk: int):
    criterion = get_object_or_404(ReviewCriterion, conference=conference, pk=pk)
    services.delete_criterion(criterion=criterion, by=request.user)
    messages.success(request, _("Criterion removed; every review's score was worked out again without it."))
    return redirect("review_criteria", edition=conference.slug)


urlpatterns = [
    path("staff/review/", review_queue, name="review_queue"),
    path("staff/review/<str:code>/", review_proposal, name="review_proposal"),
    path("staff/programme/proposals/", programme_proposals, name="programme_proposals"),
    path("staff/programme/criteria/", review_criteria, name="review_criteria"),
    path("staff/programme/criteria/new/", review_criterion_edit, name="review_criterion_new"),
    path("staff/programme/criteria/<int:pk>/", review_criterion_edit, name="review_criterion_edit"),
    path(
        "staff/programme/criteria/<int:pk>/delete/", review_criterion_delete, name="review_criterion_delete"
    ),
]
