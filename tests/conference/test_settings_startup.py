"""Production start-up, for real: ``manage.py`` in a subprocess with only the
environment a deployment would set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from conference.env import derive_development_fernet_key

ROOT = Path(__file__).resolve().parents[2]
# What DEBUG uses when SECRET_KEY is unset (published here, so never safe in production).
DEVELOPMENT_SECRET_KEY = "django-insecure-tadamun-development-only-key-do-not-use-in-production"
DEVELOPMENT_FIELD_KEY = derive_development_fernet_key(DEVELOPMENT_SECRET_KEY)


def production_env(**overrides) -> dict:
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "SECRET_KEY": "x7$kq!2v#R9m@pL4^wZ8&nB1*cT6(yH3)eJ5_uA0+gF2-dS9=iO7",
        "ALLOWED_HOSTS": "tadamun.example.org",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "SITE_URL": "https://tadamun.example.org",
        "FIELD_HASH_KEY": "h" * 8 + "Q2v9Lr7Tz1Xc5Nb3Mk8Jp4Wd6Fs0Gy2A",
        "DATABASE_URL": "sqlite:////tmp/tadamun-check-deploy.sqlite3",
        # Only named: nothing here connects to it.
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    environ.update(overrides)
    return {key: value for key, value in environ.items() if value is not None}


def manage(*args, environ) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120, check=False,
    )


def test_production_profile_passes_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", environ=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"FIELD_ENCRYPTION_KEYS": None}, "FIELD_ENCRYPTION_KEYS"),
        ({"FIELD_ENCRYPTION_KEYS": "abc"}, "FIELD_ENCRYPTION_KEYS"),
        ({"FIELD_HASH_KEY": None}, "FIELD_HASH_KEY"),
        ({"FIELD_HASH_KEY": "too-short"}, "FIELD_HASH_KEY"),
        ({"DATABASE_URL": "postgres://db:notaport/x"}, "DATABASE_URL"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        ({"EMAIL_URL": "smtp://"}, "EMAIL_URL"),
        ({"SITE_URL": None}, "SITE_URL"),
        ({"DEBUG": "perhaps"}, "DEBUG"),
        ({"SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS"),
        ({"S3_BUCKET": "media", "S3_ACCESS_KEY_ID": None}, "S3_ACCESS_KEY_ID"),
        # Per-worker memory would count login attempts and TOTP codes each worker apart.
        ({"REDIS_URL": None}, "REDIS_URL"),
        # Keys anybody can know or guess.
        ({"SECRET_KEY": DEVELOPMENT_SECRET_KEY}, "SECRET_KEY"),
        ({"SECRET_KEY": "django-insecure-" + "q7!Zp#2vR9m@L4^w8&nB1*cT6(yH3)eJ5_uA0+gF2"}, "SECRET_KEY"),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY"),
        ({"FIELD_HASH_KEY": "h" * 30}, "FIELD_HASH_KEY"),
        ({"FIELD_HASH_KEY": "h" * 64}, "FIELD_HASH_KEY"),
        ({"FIELD_HASH_KEY": "x7$kq!2v#R9m@pL4^wZ8&nB1*cT6(yH3)eJ5_uA0+gF2-dS9=iO7"}, "FIELD_HASH_KEY"),
        ({"FIELD_ENCRYPTION_KEYS": DEVELOPMENT_FIELD_KEY}, "FIELD_ENCRYPTION_KEYS"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"LOGIN_LIMIT_PER_ADDRESS": "plenty"}, "LOGIN_LIMIT_PER_ADDRESS"),
    ],
)
def test_bad_configuration_stops_start_up_naming_the_variable(overrides, variable):
    result = manage("check", environ=production_env(**overrides))
    assert result.returncode != 0
    assert f"Environment variable {variable}" in result.stderr


def test_development_default_needs_no_variables():
    environ = {"PATH": os.environ.get("PATH", ""), "HOME": "/tmp", "DEBUG": "1",
               "DATABASE_URL": "sqlite:////tmp/tadamun-dev-check.sqlite3"}
    result = manage("check", environ=environ)
    assert result.returncode == 0, result.stderr


def test_log_level_is_read_without_regard_to_case():
    result = manage("check", environ=production_env(LOG_LEVEL="warning"))
    assert result.returncode == 0, result.stderr


def test_the_per_address_login_limit_is_set_by_its_variable():
    environ = {"PATH": os.environ.get("PATH", ""), "HOME": "/tmp", "DEBUG": "1",
               "DATABASE_URL": "sqlite:////tmp/tadamun-dev-check.sqlite3",
               "LOGIN_LIMIT_PER_ADDRESS": "400"}
    code = "from django.conf import settings; print(settings.ACCOUNT_RATE_LIMITS['login_failed'])"
    result = manage("shell", "-c", code, environ=environ)
    assert result.returncode == 0, result.stderr
    # The address gets the venue's budget, each account keeps its strict one.
    assert result.stdout.strip().splitlines()[-1] == "400/5m/ip,5/5m/key"


def test_demo_data_is_refused_outside_development():
    """The demo creates a superuser with a published password and TOTP secret."""
    result = manage("demo", environ=production_env())
    assert result.returncode != 0
    assert "development" in result.stderr and "DEBUG=1" in result.stderr
    assert "Demo accounts" not in result.stdout
