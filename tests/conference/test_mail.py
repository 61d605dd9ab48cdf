import smtplib
import time

import pytest
from django.db import transaction

from conference import services
from conference.mail import render_email
from conference.models import OutgoingEmail
from conference.notify import notify

CONTEXT = {"person_name": "Hêmin", "edition_title": "Conference", "role_label": "Reviewer",
           "staff_path": "/x/"}


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("ckb", "rtl"), ("en", "ltr")])
def test_each_email_renders_in_each_language(language, direction):
    subject, text, html = render_email("team_member_added", CONTEXT, language)
    assert "\n" not in subject and "Hêmin" in text
    assert f'<html lang="{language}" dir="{direction}">' in html
    if language != "en":
        # Translated, not the English text.
        assert "You have been given the role" not in text


@pytest.mark.django_db(transaction=True)
def test_email_leaves_only_after_commit(mailoutbox):
    with transaction.atomic():
        notify(to="a@example.org", template="team_member_added", context=CONTEXT, language="en")
        assert mailoutbox == []
    assert len(mailoutbox) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(to="b@example.org", template="team_member_added", context=CONTEXT)
        raise RuntimeError("rolled back")
    assert len(mailoutbox) == 1
    assert OutgoingEmail.objects.count() == 1


@pytest.mark.django_db
def test_sending_twice_sends_once(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(to="a@example.org", template="team_member_added", context=CONTEXT)
    email = OutgoingEmail.objects.get()
    assert services.outgoing_email_send(email_id=email.pk) == "already_sent"
    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1 and email.sent_at is not None


@pytest.mark.django_db
def test_failure_is_recorded_and_raised_for_retry(settings, mailoutbox):
    # A real SMTP connection to a closed local port.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    email = OutgoingEmail.objects.create(to="a@example.org", language="ar", subject="s",
                                         body_text="b", kind="test")
    with pytest.raises((OSError, smtplib.SMTPException)):
        services.outgoing_email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == 1 and email.last_error


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_through_redis(mailoutbox):
    """The production path: the task goes to Redis and a Celery worker sends it."""
    from celery.contrib.testing.worker import start_worker

    from conference.celery import app

    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        notify(to="w@example.org", template="team_member_added", context=CONTEXT)
        email = OutgoingEmail.objects.get()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            email.refresh_from_db()
            if email.status == OutgoingEmail.Status.SENT:
                break
            time.sleep(0.1)
    assert email.status == OutgoingEmail.Status.SENT
    assert [m.to for m in mailoutbox] == [["w@example.org"]]


@pytest.mark.django_db
def test_old_sent_emails_are_pruned_others_kept(settings):
    import datetime as dt

    from django.utils import timezone

    from conference.tasks import prune_outgoing_email

    settings.OUTGOING_EMAIL_KEEP_DAYS = 30
    now = timezone.now()
    common = {"to": "a@example.org", "language": "ar", "subject": "s", "body_text": "b",
              "kind": "test"}
    old_sent = OutgoingEmail.objects.create(status="sent", sent_at=now - dt.timedelta(days=31),
                                            **common)
    recent = OutgoingEmail.objects.create(status="sent", sent_at=now - dt.timedelta(days=29),
                                          **common)
    failed = OutgoingEmail.objects.create(status="failed", **common)
    assert prune_outgoing_email.delay().get() == 1
    remaining = set(OutgoingEmail.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, failed.pk}
    assert old_sent.pk not in remaining
    assert settings.CELERY_BEAT_SCHEDULE["prune-outgoing-email"]["task"] == prune_outgoing_email.name
