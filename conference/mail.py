"""E-mail in the reader's own language, sent by the background worker.

``queue_email`` renders the templates ``emails/<name>.subject.txt``, ``.txt`` and
``.html`` in the recipient's language, stores the result, and hands its id to the
worker once the current transaction commits, so a rolled-back change never mails.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from conference.models import OutgoingEmail, User

# The core knows only the account's name. The registrations app, which keeps the
# Arabic-script name, installs its own (registrations.people) when it is loaded,
# so the core's e-mails greet like every other app's without importing it.
_greeting: Callable[[User], str] = User.get_full_name


def greeting_name(user: User) -> str:
    """The name to greet ``user`` by in an e-mail, in the script of their language."""
    return _greeting(user)


def set_greeting(function: Callable[[User], str]) -> None:
    global _greeting
    _greeting = function


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


def queue_email(*, to: str, name: str, context: dict, language: str | None = None) -> OutgoingEmail:
    from conference.tasks import send_outgoing_email

    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    subject, text, html = render_email(name, context, language)
    email = OutgoingEmail.objects.create(
        to=to, language=language, subject=subject, body_text=text, body_html=html, kind=name
    )
    transaction.on_commit(lambda: send_outgoing_email.delay(email.pk))
    return email
