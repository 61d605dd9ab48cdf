"""E-mails as the services leave them, for tests.

conference.notify renders and stores an e-mail only once the caller's transaction
commits, and the transaction pytest-django wraps a test in never does. ``stored_emails``
runs the commit hooks queued so far, as the commit would, but stops at the sending task:
the rows stay queued, as a worker would find them. Not for a test that already ran the
hooks with ``django_capture_on_commit_callbacks(execute=True)``: those stay listed on the
connection, so they would run twice; read ``OutgoingEmail`` there."""

from __future__ import annotations

from unittest import mock

from django.db import connection

from conference.models import OutgoingEmail
from conference.tasks import send_outgoing_email


def run_commit_hooks() -> None:
    """Run (once) what the test's transaction would run on commit, sending nothing."""
    with mock.patch.object(send_outgoing_email, "delay"):
        # A hook may queue more (a signal's receiver that e-mails): run until none is left.
        while connection.run_on_commit:
            pending, connection.run_on_commit = connection.run_on_commit, []
            for _savepoints, hook, _robust in pending:
                hook()


def stored_emails(**filters) -> list[OutgoingEmail]:
    run_commit_hooks()
    return list(OutgoingEmail.objects.filter(**filters).order_by("pk"))
