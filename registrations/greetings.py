"""The name an e-mail greets a person by, in the script of the language they read.

An Arabic or Sorani reader is greeted by the Arabic-script name of their profile, an
English reader by the Latin one (the account's name, which the profile fills with the
passport name). A person with only one of the two is greeted by that one, and someone
with no name at all by their address. Reads only: the e-mails of every app ask here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import get_language_info

from conference.models import User
from registrations.models import DelegateProfile

# Arabic, its supplement and extended blocks (Sorani's own letters are in the first).
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


def _in_arabic_script(text: str) -> bool:
    return bool(_ARABIC_SCRIPT.search(text))


def _pick(user: User, passport_name: str, arabic_name: str) -> str:
    account_name = user.full_name.strip()
    names = [arabic_name, account_name, passport_name]
    if get_language_info(user.preferred_language)["bidi"]:
        wanted = [name for name in names if name and _in_arabic_script(name)]
    else:
        wanted = [name for name in names if name and not _in_arabic_script(name)]
    others = [name for name in names if name]
    return next(iter(wanted + others), user.email)


def greeting_names(users: Iterable[User]) -> dict[int, str]:
    """User id -> the name to greet them by, for many recipients in one query."""
    users = list(users)
    on_file = {
        user_id: (passport_name, arabic_name)
        for user_id, passport_name, arabic_name in DelegateProfile.objects.filter(
            user_id__in=[user.pk for user in users]
        ).values_list("user_id", "passport_name", "arabic_name")
    }
    return {user.pk: _pick(user, *on_file.get(user.pk, ("", ""))) for user in users}


def greeting_name(user: User) -> str:
    return greeting_names([user])[user.pk]
