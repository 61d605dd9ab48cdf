"""Production start-up, for real: ``manage.py`` in a subprocess with only the
environment a deployment would set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


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
