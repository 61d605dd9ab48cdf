"""The one place that decides who may do what in an edition's team.

Views ask ``has_perm(user, Perm.X, conference)`` (or use ``edition_perm_required``);
nothing else reads TeamMember to grant access. Update ROLE_PERMS when a role's work
changes, and the tests in tests/conference/test_permissions.py with it.
"""

from __future__ import annotations

import enum
from functools import wraps

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import urlencode

from conference.models import Conference, TeamMember

Role = TeamMember.Role


class Perm(enum.StrEnum):
    VIEW_STAFF_AREA = "view_staff_area"
    MANAGE_TEAM = "manage_team"
    MANAGE_EDITION = "manage_edition"
    MANAGE_REGISTRATIONS = "manage_registrations"
    REVIEW_PROPOSALS = "review_proposals"
    MANAGE_PROGRAMME = "manage_programme"
    RUN_VENUE = "run_venue"
    VIEW_PASSPORTS = "view_passports"
    DECIDE_VISA_LETTERS = "decide_visa_letters"
    REVIEW_DONATIONS = "review_donations"
    # The staff action log (conference.audit): organizers audit their own team.
    VIEW_ACTION_LOG = "view_action_log"


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.ORGANIZER: frozenset(
        {
            Perm.VIEW_STAFF_AREA,
            Perm.MANAGE_TEAM,
            Perm.MANAGE_EDITION,
            Perm.MANAGE_REGISTRATIONS,
            Perm.MANAGE_PROGRAMME,
            Perm.RUN_VENUE,
            Perm.VIEW_ACTION_LOG,
        }
    ),
    Role.REVIEWER: frozenset({Perm.VIEW_STAFF_AREA, Perm.REVIEW_PROPOSALS}),
    Role.VENUE_STAFF: frozenset({Perm.VIEW_STAFF_AREA, Perm.RUN_VENUE}),
    # Passports are seen by visa officers only, not by organizers: people at risk.
    Role.VISA_OFFICER: frozenset(
        {Perm.VIEW_STAFF_AREA, Perm.VIEW_PASSPORTS, Perm.DECIDE_VISA_LETTERS}
    ),
    Role.FINANCE_ETHICS: frozenset({Perm.VIEW_STAFF_AREA, Perm.REVIEW_DONATIONS}),
}

# Superusers run the platform, but reading passports stays a visa officer's job even
# for them: a superuser who needs it gives themself the role, which is logged
# (RoleGrantEvent) and e-mailed to the edition's organizers and visa officers.
SUPERUSER_EXCLUDED = frozenset({Perm.VIEW_PASSPORTS})


def role_needs_second_person(role: str) -> bool:
    """A role that opens passports is never given by one person alone: another
    organizer approves the request, or a superuser gives it (conference.services)."""
    return Perm.VIEW_PASSPORTS in ROLE_PERMS.get(role, frozenset())


def role_grant_approval_refused(user, grant) -> str | None:
    """Why ``user`` may not approve the pending role request ``grant`` (a RoleGrantEvent),
    as a code; None when they may. The second person is neither the requester nor the
    person receiving the role, runs this edition's team, and was not made organizer by
    the requester (a second account of one's own). A longer chain of such accounts is
    not caught here: the e-mail to every other organizer and visa officer is the net."""
    if user.pk == grant.by_id:
        return "own_request"
    if user.pk == grant.user_id:
        return "own_grant"
    if not has_perm(user, Perm.MANAGE_TEAM, grant.conference):
        return "not_allowed"
    if (
        not user.is_superuser
        and grant.by_id is not None
        and TeamMember.objects.filter(
            conference_id=grant.conference_id, user=user, role=Role.ORGANIZER, added_by_id=grant.by_id
        ).exists()
    ):
        return "added_by_requester"
    return None


# The organisation directory belongs to the whole network, not to one edition: its
# moderators hold this Django permission (given in the admin, to a person or a group)
# and see every pending proposal; superusers have it implicitly.
MODERATE_DIRECTORY = "conference.moderate_directory"


def moderates_directory(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(MODERATE_DIRECTORY)


def directory_moderator_required(view):
    """A network-wide staff page: anonymous visitors go to the login page, people who do
    not moderate the directory get a 403 page, moderators set up two-factor first."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not moderates_directory(request.user):
            raise PermissionDenied
        refusal = two_factor_redirect(request)
        if refusal is not None:
            return refusal
        return view(request, *args, **kwargs)

    return wrapper


def roles_of(user, conference: Conference) -> frozenset[str]:
    """The user's roles in the edition, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = user.__dict__.setdefault("_tadamun_roles", {})
    if conference.pk not in cache:
        cache[conference.pk] = frozenset(
            TeamMember.objects.filter(conference=conference, user=user).values_list(
                "role", flat=True
            )
        )
    return cache[conference.pk]


def perms_of(user, conference: Conference) -> frozenset[Perm]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    granted: set[Perm] = set()
    for role in roles_of(user, conference):
        granted |= ROLE_PERMS.get(role, frozenset())
    if user.is_superuser:
        granted |= set(Perm) - SUPERUSER_EXCLUDED
    return frozenset(granted)


def has_perm(user, perm: Perm, conference: Conference) -> bool:
    return perm in perms_of(user, conference)


def edition_perm_required(perm: Perm):
    """Load the edition from the ``edition`` URL argument, then check ``perm``:
    anonymous visitors go to the login page, others without it get a 403 page."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, edition: str, **kwargs):
            conference = get_object_or_404(Conference, slug=edition)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_perm(request.user, perm, conference):
                raise PermissionDenied
            refusal = two_factor_redirect(request)
            if refusal is not None:
                return refusal
            request.conference = conference
            request.session.pop("after_two_factor", None)
            return view(request, *args, conference=conference, **kwargs)

        return wrapper

    return decorator


def needs_two_factor(user) -> bool:
    """Staff pages show personal data of people at risk: every staff account must
    have TOTP set up (allauth.mfa) before it reaches one. Login then asks for it."""
    if not getattr(settings, "STAFF_REQUIRE_TWO_FACTOR", True):
        return False
    cache = user.__dict__
    if "_tadamun_has_totp" not in cache:
        cache["_tadamun_has_totp"] = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
    return not cache["_tadamun_has_totp"]


def passed_two_factor(request) -> bool:
    """Whether this session went through a TOTP (or recovery code) step: at sign-in,
    on allauth's reauthentication page, or by setting TOTP up (which asks for a code).
    A session opened with the password alone (an old session from before TOTP was set
    up, or any login that bypasses allauth's stages) does not count."""
    if not getattr(settings, "STAFF_REQUIRE_TWO_FACTOR", True):
        return True
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def two_factor_redirect(request):
    """None when a signed-in staff member may open a staff page (the Django admin
    included, see conference.middleware); otherwise the response that sends them to set
    up TOTP, or to type a code for this session."""
    if needs_two_factor(request.user):
        return redirect_to_two_factor_setup(request)
    if not passed_two_factor(request):
        return redirect_to_two_factor_step(request)
    return None


def redirect_to_two_factor_step(request):
    from django.contrib import messages
    from django.urls import reverse
    from django.utils.translation import gettext as _

    messages.info(
        request,
        _(
            "Staff pages ask for the code from your authenticator app once in every session: "
            "type it to go on."
        ),
    )
    # allauth's own page: rate-limited, with its replay guard, and it records the step.
    target = f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}"
    return redirect(target)


@receiver(authenticator_added)
def _setting_up_totp_is_a_two_factor_step(sender, request, user, authenticator, **kwargs):
    # The activation form only accepts a code from the new authenticator, right after
    # the password was asked again: staff sent to set it up go straight on.
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


def redirect_to_two_factor_setup(request):
    from django.contrib import messages
    from django.urls import reverse
    from django.utils.translation import gettext as _

    messages.info(
        request,
        _("Staff pages hold personal data of people at risk: set up two-factor authentication first."),
    )
    request.session["after_two_factor"] = request.get_full_path()
    return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
