"""Rendering e-mail in the reader's own language, and the greeting hook.

Apps send e-mail with ``conference.notify.notify``, which renders through
``render_email`` after the transaction commits; nothing here sends or stores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from conference.models import User

Greeting = Callable[[Iterable[User]], dict[int, str]]


def _account_names(users: Iterable[User]) -> dict[int, str]:
    return {user.pk: user.get_full_name() for user in users}


# The core knows only the account's name. The registrations app, which keeps the
# Arabic-script name, installs its own (registrations.people.greeting_names) when it is
# loaded, so the core's e-mails greet like every other app's without importing it. The
# hook takes many users at once so a batch of e-mails costs one look-up.
_greetings: Greeting = _account_names


def greeting_names(users: Iterable[User]) -> dict[int, str]:
    """User id -> the name to greet them by in an e-mail, in the script of their language."""
    return _greetings(users)


def greeting_name(user: User) -> str:
    return greeting_names([user])[user.pk]


def set_greeting(function: Greeting) -> None:
    """Install the greeting rule: ``function(users)`` -> {user id: name}."""
    global _greetings
    _greetings = function


def render_email(name: str, context: dict, language: str) -> tuple[str, str, str]:
    with translation.override(language):
        full_context = {
            **context,
            "LANGUAGE_CODE": language,
            "LANGUAGE_BIDI": translation.get_language_bidi(),
            "site_url": settings.SITE_URL,
        }
        # A subject is one line whatever the template's whitespace.
        subject = " ".join(render_to_string(f"emails/{name}.subject.txt", full_context).split())
        text = render_to_string(f"emails/{name}.txt", full_context)
        # The HTML prints the subject as an (escaped) variable: the subject template
        # renders with autoescape off, so including it would let a title close <title>.
        html = render_to_string(f"emails/{name}.html", {**full_context, "email_subject": subject})
    return subject, text.strip() + "\n", html
