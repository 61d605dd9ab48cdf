from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from conference import env

BASE = Path("/srv/tadamun")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///db.sqlite3", {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/tadamun/db.sqlite3"}),
        ("sqlite:////var/lib/t.db", {"NAME": "/var/lib/t.db"}),
        (
            "postgres://tad:s%40cret@db.internal:5433/tadamun?sslmode=require&conn_max_age=60",
            {
                "ENGINE": "django.db.backends.postgresql", "NAME": "tadamun", "USER": "tad",
                "PASSWORD": "s@cret", "HOST": "db.internal", "PORT": "5433",
                "CONN_MAX_AGE": 60, "OPTIONS": {"sslmode": "require"},
            },
        ),
        ("postgresql://localhost/t", {"HOST": "localhost", "PORT": "", "USER": ""}),
    ],
)
def test_database_url_forms(url, expected):
    parsed = env.parse_database_url(url, base_dir=BASE)
    for key, value in expected.items():
        assert parsed[key] == value


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("mysql://x/y", "unsupported scheme"),
        ("postgres://host:port/db", "port is not a number"),
        ("postgres://host", "database name"),
        ("sqlite://", "file path"),
        ("just-a-word", "unsupported scheme"),
    ],
)
def test_malformed_database_url_names_the_variable(url, problem):
    with pytest.raises(ImproperlyConfigured) as caught:
        env.parse_database_url(url, base_dir=BASE)
    assert "DATABASE_URL" in str(caught.value)
    assert problem in str(caught.value)


def test_email_urls():
    assert env.parse_email_url("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    smtp = env.parse_email_url("smtp://mailer:p%2Fw@smtp.example.org:587")
    assert smtp["EMAIL_HOST"] == "smtp.example.org"
    assert smtp["EMAIL_HOST_PASSWORD"] == "p/w"
    assert smtp["EMAIL_USE_TLS"] is True and smtp["EMAIL_USE_SSL"] is False
    smtps = env.parse_email_url("smtps://u:p@smtp.example.org")
    assert smtps["EMAIL_PORT"] == 465 and smtps["EMAIL_USE_SSL"] is True
    assert smtps["EMAIL_USE_TLS"] is False
    plain = env.parse_email_url("smtp://relay.local:25")
    assert plain["EMAIL_USE_TLS"] is False
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env.parse_email_url("pigeon://coop")


def test_redis_url_checked():
    assert env.check_redis_url("redis://127.0.0.1:6379/0")
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        env.check_redis_url("127.0.0.1:6379")
    with pytest.raises(ImproperlyConfigured, match=r"REDIS_URL.*port"):
        env.check_redis_url("redis://localhost:sixty/0")


def test_fernet_keys():
    from cryptography.fernet import Fernet

    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    assert env.parse_fernet_keys(f"{first}, {second}") == [first, second]
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS: key 2"):
        env.parse_fernet_keys(f"{first},not-a-key")
    with pytest.raises(ImproperlyConfigured, match="at least one"):
        env.parse_fernet_keys(" , ")
    # The development key is a valid Fernet key and stable for one SECRET_KEY.
    dev = env.derive_development_fernet_key("abc")
    assert env.parse_fernet_keys(dev) == [dev]
    assert dev == env.derive_development_fernet_key("abc")


def test_booleans_and_numbers(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env.get_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env.get_bool("FLAG")
    monkeypatch.setenv("NUM", "-3")
    with pytest.raises(ImproperlyConfigured, match="NUM: must be at least 0"):
        env.get_int("NUM", 1, minimum=0)
    monkeypatch.setenv("NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="NUM: expected a whole number"):
        env.get_int("NUM", 1)
