"""The rules about people, each defined once: how a person is named (in public, to
staff, on a badge, in an e-mail greeting), that a person at risk is never public, and
who is a (confirmed) delegate of an edition.

Every app asks here instead of reading the profile's fields itself, so a change to a
rule (say, a new name field) is made in one place. Reads only. The name functions take
a user whose ``delegate_profile`` may be loaded or missing; they read only the fields
``NAME_FIELDS`` lists, so a caller loading profiles with ``.only()`` can name exactly
those (sessions.selectors does, to avoid decrypting passports for a public page).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import get_language_info

from conference.models import Conference, User
from registrations.models import DelegateProfile, Registration

# The profile fields the name rules read. Update the callers that load profiles with
# .only() (sessions.selectors.PUBLIC_SPEAKER_FIELDS) if you add one here.
NAME_FIELDS = ("at_risk", "badge_name", "arabic_name", "passport_name")

# Arabic, its supplement and extended blocks (Sorani's own letters are in the first).
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")

# How staff pages join a person's two scripts.
_SCRIPTS_JOIN = " · "


def profile_of(user: User | None) -> DelegateProfile | None:
    if user is None:
        return None
    return getattr(user, "delegate_profile", None)


# --- At risk is never public ----------------------------------------------------------
def is_at_risk(user: User | None) -> bool:
    """Whether the person said they are at risk: such a person is never named to anyone
    who does not need the name (public pages, feeds, lists, reviewers)."""
    profile = profile_of(user)
    return bool(profile is not None and profile.at_risk)


def is_publicly_listed(profile: DelegateProfile) -> bool:
    """Whether the profile may appear in the public list of participants: it asked to,
    and it is not at risk (even if the listing flag was set by mistake)."""
    return profile.public_listing and not profile.at_risk


def publicly_listed_q(prefix: str = "") -> Q:
    """``is_publicly_listed`` as a filter, ``prefix`` leading from the queried model to
    the profile (e.g. ``"user__delegate_profile__"``)."""
    return Q(**{f"{prefix}public_listing": True, f"{prefix}at_risk": False})


# --- Names ------------------------------------------------------------------------------
def badge_name(profile: DelegateProfile) -> str:
    """The name printed on the badge: the one the person chose (a person at risk chooses
    one safe to wear), else their Arabic-script name, else the passport name."""
    return profile.badge_name or profile.arabic_name or profile.passport_name


def public_name(user: User | None) -> str | None:
    """The name a person is shown by on public pages and feeds, or None when they must
    not be named: a person at risk is never named publicly, not even by badge name."""
    if user is None:
        return None
    profile = profile_of(user)
    if profile is None:
        return user.full_name or None
    if profile.at_risk:
        return None
    return badge_name(profile) or user.full_name or None


def listed_names(profile: DelegateProfile) -> tuple[str, str] | None:
    """(Arabic-script name, passport name) for the public list of participants, or None
    when the profile may not be listed."""
    if not is_publicly_listed(profile):
        return None
    return profile.arabic_name, profile.passport_name


def staff_name(user: User | None, *, fallback: str = "") -> str:
    """How staff pages name a person: both scripts ("Arabic · Latin") when the profile
    has them, else the account's name, else ``fallback``. Never shown publicly."""
    profile = profile_of(user)
    if profile is not None:
        names = [name for name in (profile.arabic_name, profile.passport_name) if name]
        if names:
            return _SCRIPTS_JOIN.join(dict.fromkeys(names))
    if user is not None and user.get_full_name():
        return user.get_full_name()
    return fallback


# --- Greeting names (e-mails) -------------------------------------------------------
def _in_arabic_script(text: str) -> bool:
    return bool(_ARABIC_SCRIPT.search(text))


def _pick_greeting(user: User, passport_name: str, arabic_name: str) -> str:
    account_name = user.full_name.strip()
    names = [arabic_name, account_name, passport_name]
    if get_language_info(user.preferred_language)["bidi"]:
        wanted = [name for name in names if name and _in_arabic_script(name)]
    else:
        wanted = [name for name in names if name and not _in_arabic_script(name)]
    others = [name for name in names if name]
    return next(iter(wanted + others), user.email)


def greeting_names(users: Iterable[User]) -> dict[int, str]:
    """User id -> the name an e-mail greets them by, for many recipients in one query.

    An Arabic or Sorani reader is greeted by the Arabic-script name of their profile, an
    English reader by the Latin one (the account's name, which the profile fills with the
    passport name). A person with only one of the two is greeted by that one, and someone
    with no name at all by their address. An e-mail goes to the person alone, so the
    at-risk rule does not apply here."""
    users = list(users)
    on_file = {
        user_id: (passport_name, arabic_name)
        for user_id, passport_name, arabic_name in DelegateProfile.objects.filter(
            user_id__in=[user.pk for user in users]
        ).values_list("user_id", "passport_name", "arabic_name")
    }
    return {user.pk: _pick_greeting(user, *on_file.get(user.pk, ("", ""))) for user in users}


def greeting_name(user: User) -> str:
    """The name to greet one person by (installed as conference.mail's greeting)."""
    return greeting_names([user])[user.pk]


# --- Delegates ----------------------------------------------------------------------------
def is_delegate(user, conference: Conference) -> bool:
    """A delegate of the edition holds a live registration in it (any status but
    cancelled or rejected): they may propose sessions and be invited to speak."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Registration.objects.live().filter(conference=conference, user=user).exists()


def is_confirmed_delegate(*, user, conference: Conference) -> bool:
    """Whether the person holds a confirmed registration in the edition: the programme
    lets only them sign up for workshops and through the doors."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Registration.objects.filter(
        conference=conference, user=user, status=Registration.Status.CONFIRMED
    ).exists()


def confirmed_delegates_q(prefix: str = "") -> Q:
    """``is_confirmed_delegate`` as a filter on registrations (``prefix`` leads to one)."""
    return Q(**{f"{prefix}status": Registration.Status.CONFIRMED})
