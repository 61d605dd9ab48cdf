"""The Celery application. On the embedded default (no REDIS_URL) tasks run eagerly
in-process; in production a worker runs: celery -A conference worker -B -l info."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

app = Celery("tadamun")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
