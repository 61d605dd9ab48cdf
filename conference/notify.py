"""The one way the platform sends e-mail: ``notify(...)``.

Contract, for every app:

- ``notify(to=..., template=..., context=...)`` tells one person. ``to`` is a User
  (their address, their ``preferred_language``, greeted by ``conference.mail``'s greeting
  hook as ``person_name`` unless the context gives one) or an address for someone
  without an account, with ``language=``.
- ``context`` holds plain values: strings, numbers, dates, translated texts, lazy
  translations, lists and dicts of those; never a model instance or a queryset, since
  it is read after the caller's transaction has ended. A URL is passed by name in
  ``links`` (``{"link_path": ("url_name", {kwargs})}``) and reversed in the reader's
  language.
- Nothing is rendered at the call. Rendering, storing (one ``OutgoingEmail`` row each)
  and queueing the sending task happen once the caller's transaction commits, so no
  e-mail is rendered while a row lock is held and a rolled-back change sends nothing.
  Outside a transaction that moment is now.
- ``notify_many(letters)`` tells many people at once (a schedule release): one
  greeting look-up and one insert for the lot, then one task per e-mail.
- A service that e-mails takes ``send_email: bool = True`` (keyword-only); the demo
  data and imports pass ``False`` where a person must not get that e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import translation

from conference.mail import greeting_names, render_email
from conference.models import OutgoingEmail, User

Links = Mapping[str, tuple[str, Mapping[str, Any]]]


@dataclass(frozen=True)
class Letter:
    """One e-mail waiting for the commit: everything needed to render it later."""

    to: str
    language: str
    template: str
    context: dict[str, Any]
    links: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    # Whom to greet, and whether the account still exists once the commit is done.
    user: User | None = None


def letter(
    *,
    to: User | str,
    template: str,
    context: Mapping[str, Any],
    language: str | None = None,
    links: Links | None = None,
) -> Letter:
    """Address one e-mail (see the module docstring); ``notify_many`` sends a batch."""
    for key, value in context.items():
        if isinstance(value, Model | QuerySet):
            # Rendered after the commit: a row read then may say something else, and a
            # queryset would cost a query per e-mail. Pass the values the template shows.
            raise TypeError(f"notify context {key!r} must hold plain values, not {type(value).__name__}")
    user = to if isinstance(to, User) else None
    if user is not None:
        language = language or user.preferred_language
    return Letter(
        to=user.email if user is not None else to,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        template=template,
        context=dict(context),
        links={key: (name, dict(kwargs)) for key, (name, kwargs) in (links or {}).items()},
        user=user,
    )


def notify(
    *,
    to: User | str,
    template: str,
    context: Mapping[str, Any],
    language: str | None = None,
    links: Links | None = None,
) -> None:
    """Tell one person by e-mail, in their language, once the transaction commits."""
    notify_many([letter(to=to, template=template, context=context, language=language, links=links)])


def notify_many(letters: Iterable[Letter]) -> None:
    """Tell several people; all are rendered and stored together after the commit."""
    letters = list(letters)
    if letters:
        transaction.on_commit(partial(_post, letters))


def _post(letters: list[Letter]) -> list[OutgoingEmail]:
    """Render, store and hand to the worker. Runs after the commit, outside any lock."""
    from conference.tasks import send_outgoing_email

    # Read the accounts again: one erased in the same transaction (registrations'
    # account_delete cancels, then deletes) must get nothing, and keep no row here.
    wanted = {letter.user.pk for letter in letters if letter.user is not None}
    accounts = User.objects.in_bulk(wanted) if wanted else {}
    letters = [letter for letter in letters if letter.user is None or letter.user.pk in accounts]
    ungreeted = [
        accounts[letter.user.pk]
        for letter in letters
        if letter.user is not None and "person_name" not in letter.context
    ]
    names = greeting_names(ungreeted) if ungreeted else {}
    emails = []
    for letter in letters:
        context = dict(letter.context)
        if letter.user is not None and "person_name" not in context:
            context["person_name"] = names[letter.user.pk]
        with translation.override(letter.language):
            for key, (name, kwargs) in letter.links.items():
                context[key] = reverse(name, kwargs=kwargs)
        subject, text, html = render_email(letter.template, context, letter.language)
        emails.append(
            OutgoingEmail(
                to=letter.to,
                language=letter.language,
                subject=subject,
                body_text=text,
                body_html=html,
                kind=letter.template,
            )
        )
    OutgoingEmail.objects.bulk_create(emails)
    for email in emails:
        # One task each: a failed address is retried alone.
        send_outgoing_email.delay(email.pk)
    return emails
