import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_cache_down_is_named(client, settings):
    # A real Redis client pointed at a port where nothing listens.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0",
                                   "OPTIONS": {"socket_connect_timeout": 1}}}
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["cache"] and body["checks"]["database"] == "ok"


def test_database_down_is_named():
    # A fresh process whose database is a PostgreSQL port where nothing listens.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz', headers={'host': '127.0.0.1'});"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    environ = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "conference.settings",
               "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none?connect_timeout=2"}
    environ.pop("REDIS_URL", None)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environ,
                            capture_output=True, text=True, timeout=60, check=True)
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    assert outcome["body"]["failing"] == ["database"]
    assert outcome["body"]["checks"]["cache"] == "ok"
