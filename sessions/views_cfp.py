"""The call for sessions (delegates propose, invitees confirm) and the programme's
settings (organizers: the call, days, rooms). Thin views: parse, call sessions.cfp,
render; a refusal goes back next to its input with everything typed kept."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from conference.errors import add_form_error, error_response
from conference.models import Conference
from conference.permissions import Perm, edition_perm_required
from registrations.models import DelegateProfile
from sessions import cfp, venue
from sessions.exceptions import ProgrammeError
from sessions.forms_cfp import (
    CallForm,
    DayForm,
    ProposalForm,
    RoomForm,
    SpeakerFormSet,
    apply_errors,
    speaker_initial,
)
from sessions.models import Availability, ConferenceDay, Proposal, Room, Speaker


def _open_edition(slug: str) -> Conference:
    conference = get_object_or_404(Conference, slug=slug)
    if conference.status == Conference.Status.DRAFT:
        raise Http404
    return conference


def _iso(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        raise Http404 from None


def _own_proposals(conference: Conference, user):
    if not user.is_authenticated:
        return []
    return list(
        Proposal.objects.filter(conference=conference, proposer=user)
        .select_related("track", "organization")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.order_by("order", "pk")))
        .order_by("-created_at")
    )


# --- Delegates ---------------------------------------------------------------------------
def cfp_home(request, edition: str):
    conference = _open_edition(edition)
    call = cfp.call_of(conference)
    now = timezone.now()
    is_open = bool(call and call.is_open(now))
    proposals = _own_proposals(conference, request.user)
    for proposal in proposals:
        proposal.editable = cfp.can_edit(proposal, request.user, call_open=is_open)
        proposal.withdrawable = cfp.can_withdraw(proposal, request.user)
    return render(
        request,
        "sessions/cfp/home.html",
        {
            "conference": conference,
            "call": call,
            "is_open": is_open,
            "not_yet": bool(call and call.opens_at and now < call.opens_at),
            "is_delegate": cfp.is_delegate(request.user, conference),
            "proposals": proposals,
            "invitations": cfp.open_invitations(request.user, conference),
        },
    )


def _proposal_page(request, conference: Conference, proposal: Proposal | None):
    """The form for a new proposal (``proposal`` None) or for changing one."""
    profile = DelegateProfile.objects.filter(user=request.user).select_related("organization").first()
    if proposal is None:
        initial = {"organization": profile.organization_id if profile else None, "expected_audience": 0}
        speakers_initial = [{"email": request.user.email, "role": Speaker.Role.SPEAKER}]
    else:
        initial = ProposalForm.initial_from(proposal)
        speakers_initial = speaker_initial(proposal)
    form = ProposalForm(request.POST or None, initial=initial)
    formset = SpeakerFormSet(
        request.POST or None,
        initial=speakers_initial,
        prefix="speakers",
        form_kwargs={"conference": conference},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if proposal is None:
                saved = cfp.submit_proposal(
                    conference=conference,
                    proposer=request.user,
                    data=form.data_for_service(),
                    speakers=formset.speakers(),
                )
                messages.success(
                    request,
                    _("Your proposal %(code)s is submitted; we e-mailed you a copy and invited the speakers.")
                    % {"code": saved.code},
                )
            else:
                saved = cfp.update_proposal(
                    proposal=proposal,
                    by=request.user,
                    data=form.data_for_service(),
                    speakers=formset.speakers(),
                )
                messages.success(request, _("Your proposal %(code)s is saved.") % {"code": saved.code})
        except ValidationError as error:
            apply_errors(error, form, formset)
        except ProgrammeError as error:
            add_form_error(form, error)
        else:
            return redirect("cfp_home", edition=conference.slug)
    return render(
        request,
        "sessions/cfp/form.html",
        {
            "conference": conference,
            "proposal": proposal,
            "form": form,
            "speakers": formset,
            "call": cfp.call_of(conference),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cfp_new(request, edition: str):
    conference = _open_edition(edition)
    refusal, needs_registration = None, False
    if not cfp.call_is_open(conference):
        refusal = _("The call for sessions is closed: proposals are not accepted now.")
    elif not cfp.is_delegate(request.user, conference):
        refusal = _("Only delegates of this edition can propose sessions: register for the conference first.")
        needs_registration = True
    if refusal:
        return render(
            request,
            "sessions/cfp/refused.html",
            {"conference": conference, "refusal": refusal, "needs_registration": needs_registration},
            status=403,
        )
    return _proposal_page(request, conference, None)


def _own_proposal(request, conference: Conference, code: str) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("conference", "track", "organization").prefetch_related(
            Prefetch(
                "speakers",
                queryset=Speaker.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("availability", queryset=Availability.objects.order_by("starts_at"))
                ),
            )
        ),
        conference=conference,
        code=code,
        proposer=request.user,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cfp_edit(request, edition: str, code: str):
    conference = _open_edition(edition)
    proposal = _own_proposal(request, conference, code)
    if request.method == "GET" and not cfp.can_edit(proposal, request.user):
        if proposal.state != Proposal.State.SUBMITTED:
            messages.error(request, _("This proposal can no longer be changed."))
        else:
            messages.error(
                request, _("The call for sessions has closed: proposals can no longer be changed.")
            )
        return redirect("cfp_home", edition=conference.slug)
    return _proposal_page(request, conference, proposal)


@login_required
@require_http_methods(["GET", "POST"])
def cfp_withdraw(request, edition: str, code: str):
    conference = _open_edition(edition)
    proposal = _own_proposal(request, conference, code)
    error = ""
    if request.method == "POST":
        try:
            cfp.withdraw_proposal(proposal=proposal, by=request.user)
        except ProgrammeError as refusal:
            error = refusal.message
        else:
            messages.success(request, _("Your proposal %(code)s is withdrawn.") % {"code": proposal.code})
            return redirect("cfp_home", edition=conference.slug)
    elif not cfp.can_withdraw(proposal, request.user):
        error = _("This proposal can no longer be withdrawn.")
    return render(
        request,
        "sessions/cfp/withdraw.html",
        {"conference": conference, "proposal": proposal, "error": error},
        status=400 if error and request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def cfp_speaker_invite(request, edition: str, token: str):
    conference = _open_edition(edition)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    speaker = get_object_or_404(
        Speaker.objects.select_related("proposal__conference", "proposal__track", "proposal__proposer"),
        invite_token=token,
        proposal__conference=conference,
    )
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                cfp.confirm_speaker(token=token, user=request.user)
                messages.success(request, _("Thank you: you are confirmed as a speaker of this session."))
            elif action == "decline":
                cfp.decline_speaker(token=token, user=request.user)
                messages.success(request, _("You declined; the proposer will see it on their page."))
                return redirect("edition", edition=conference.slug)
            else:
                raise Http404
        except ProgrammeError as refusal:
            error = refusal.message
        else:
            return redirect("cfp_speaker_invite", edition=conference.slug, token=token)
    return render(
        request,
        "sessions/cfp/invite.html",
        {
            "conference": conference,
            "speaker": speaker,
            "proposal": speaker.proposal,
            "error": error,
            "is_delegate": cfp.is_delegate(request.user, conference),
            "same_address": request.user.email.lower() == speaker.email.lower(),
        },
        status=400 if error else 200,
    )


# --- Organizers --------------------------------------------------------------------------
@edition_perm_required(Perm.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def programme_settings(request, conference: Conference):
    with timezone.override(conference.time_zone):
        call = cfp.call_of(conference)
        action = request.POST.get("action") if request.method == "POST" else None
        initial = (
            {
                "opens_at": call.opens_at,
                "closes_at": call.closes_at,
                "intro": call.intro,
                "anonymous_review": call.anonymous_review,
            }
            if call
            else {}
        )
        form = CallForm(request.POST if action == "call" else None, initial=initial)
        if action == "call" and form.is_valid():
            try:
                venue.save_call(conference=conference, **form.cleaned_data)
            except ProgrammeError as error:
                add_form_error(form, error)
            else:
                messages.success(request, _("The call for sessions is saved."))
                return redirect("programme_settings", edition=conference.slug)
        elif action in ("delete_room", "delete_day"):
            try:
                if action == "delete_room":
                    room = get_object_or_404(Room, conference=conference, slug=request.POST.get("room", ""))
                    venue.delete_room(room=room)
                    messages.success(request, _("Room deleted."))
                else:
                    date = _iso(request.POST.get("day"))
                    day = get_object_or_404(ConferenceDay, conference=conference, date=date)
                    venue.delete_day(day=day)
                    messages.success(request, _("Day deleted."))
            except ProgrammeError as error:
                return error_response(request, error, redirect_to=request.path)
            return redirect("programme_settings", edition=conference.slug)
        return render(
            request,
            "sessions/cfp/settings.html",
            {
                "conference": conference,
                "call": call,
                "form": form,
                "days": ConferenceDay.objects.filter(conference=conference),
                "rooms": Room.objects.filter(conference=conference),
            },
        )


@edition_perm_required(Perm.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def programme_room_edit(request, conference: Conference, room: str | None = None):
    instance = get_object_or_404(Room, conference=conference, slug=room) if room else None
    initial = RoomForm.initial_from(instance) if instance else {}
    form = RoomForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            venue.save_room(conference=conference, data=form.cleaned_data, room=instance)
        except ValidationError as error:
            apply_errors(error, form)
        except ProgrammeError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("Room saved."))
            return redirect("programme_settings", edition=conference.slug)
    return render(
        request, "sessions/cfp/room_form.html", {"conference": conference, "form": form, "room": instance}
    )


@edition_perm_required(Perm.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def programme_day_edit(request, conference: Conference, day: str | None = None):
    instance = None
    if day:
        instance = get_object_or_404(ConferenceDay, conference=conference, date=_iso(day))
    initial = (
        {"date": instance.date, "starts_at": instance.starts_at, "ends_at": instance.ends_at}
        if instance
        else {}
    )
    form = DayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            venue.save_day(conference=conference, data=form.cleaned_data, day=instance)
        except ValidationError as error:
            apply_errors(error, form)
        except ProgrammeError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("Day saved."))
            return redirect("programme_settings", edition=conference.slug)
    return render(
        request, "sessions/cfp/day_form.html", {"conference": conference, "form": form, "day": instance}
    )


urlpatterns = [
    path("propose/", cfp_home, name="cfp_home"),
    path("propose/new/", cfp_new, name="cfp_new"),
    path("propose/<str:code>/", cfp_edit, name="cfp_edit"),
    path("propose/<str:code>/withdraw/", cfp_withdraw, name="cfp_withdraw"),
    path("speaker/<str:token>/", cfp_speaker_invite, name="cfp_speaker_invite"),
    path("staff/programme/settings/", programme_settings, name="programme_settings"),
    path("staff/programme/rooms/new/", programme_room_edit, name="programme_room_new"),
    path("staff/programme/rooms/<slug:room>/", programme_room_edit, name="programme_room_edit"),
    path("staff/programme/days/new/", programme_day_edit, name="programme_day_new"),
    path("staff/programme/days/<str:day>/", programme_day_edit, name="programme_day_edit"),
]
