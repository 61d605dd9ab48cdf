"""Reading configuration from environment variables.

Settings are parsed once, at import time, so a bad value stops start-up (``manage.py``,
gunicorn, the Celery worker) with a message naming the variable, instead of failing on
the first request. Every reader raises ``ImproperlyConfigured`` for that reason.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def _bad(name: str, problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"Environment variable {name}: {problem}")


def get_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise _bad(name, "is required but not set.")
        return default
    return value


def get_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _bad(name, f"expected one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def get_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _bad(name, f"expected a whole number; got {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise _bad(name, f"must be at least {minimum}; got {value}.")
    return value


def get_choice(name: str, default: str, choices: list[str]) -> str:
    """One of ``choices``, compared without regard to case (returned as listed)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    by_folded = {choice.casefold(): choice for choice in choices}
    value = by_folded.get(raw.strip().casefold())
    if value is None:
        raise _bad(name, f"expected one of {', '.join(choices)}; got {raw!r}.")
    return value


# How to make a good value, for the messages below.
HOW_TO_MAKE_A_KEY = "make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def check_secret(
    name: str, value: str, *, min_length: int, min_distinct: int = 10, known: tuple[str, ...] = ()
) -> str:
    """Refuse a key anybody could know or guess: a value published in this repository
    or by Django's project template, a short one, or one of few different characters
    (a letter repeated, a word typed twice)."""
    if value in known or value.startswith("django-insecure"):
        raise _bad(name, f"is a published development value, never safe in production; {HOW_TO_MAKE_A_KEY}")
    if len(value) < min_length:
        raise _bad(name, f"must be at least {min_length} characters (got {len(value)}); {HOW_TO_MAKE_A_KEY}")
    distinct = len(set(value))
    if distinct < min_distinct:
        raise _bad(
            name,
            f"has only {distinct} different characters, at least {min_distinct} are needed "
            f"for a random key; {HOW_TO_MAKE_A_KEY}",
        )
    return value


def get_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def _port(parts, name: str) -> int | None:
    # urlsplit only validates the port when it is read.
    try:
        return parts.port
    except ValueError:
        raise _bad(name, "the port is not a number.") from None


def _query(parts) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(parts.query).items()}


def parse_database_url(url: str, *, name: str = "DATABASE_URL", base_dir: Path) -> dict:
    """Turn ``postgres://user:pass@host:port/db?sslmode=require`` or ``sqlite:///path``
    into a Django DATABASES entry."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute/path.db, as dj-database-url reads them
        raw_path = unquote(parts.path)
        if not raw_path or raw_path == "/":
            raise _bad(name, "a sqlite URL needs a file path, e.g. sqlite:///db.sqlite3.")
        path = raw_path[1:] if raw_path.startswith("/") else raw_path
        db_path = Path(path) if Path(path).is_absolute() else base_dir / path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(db_path),
            # Wait for a writer instead of failing at once with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        db_name = unquote(parts.path.lstrip("/"))
        if not db_name:
            raise _bad(name, "a postgres URL needs a database name after the host.")
        port = _port(parts, name)
        options = _query(parts)
        conn_max_age = options.pop("conn_max_age", "0")
        if not conn_max_age.isdigit():
            raise _bad(name, "conn_max_age must be a whole number of seconds.")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": db_name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": int(conn_max_age),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise _bad(name, f"unsupported scheme {scheme!r}; use postgres:// or sqlite:///.")


def check_redis_url(url: str, *, name: str = "REDIS_URL") -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise _bad(name, f"expected redis://, rediss:// or unix://; got {url!r}.")
    if parts.scheme != "unix" and not parts.hostname:
        raise _bad(name, "a redis URL needs a host, e.g. redis://127.0.0.1:6379/0.")
    _port(parts, name)
    return url


def parse_email_url(url: str, *, name: str = "EMAIL_URL") -> dict:
    """``console://``, ``locmem://``, ``file:///path``, ``smtp://user:pass@host:587``
    (STARTTLS on 587 unless ``?tls=0``) or ``smtps://user:pass@host:465`` (implicit TLS)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        if not parts.path:
            raise _bad(name, "file:// needs a directory, e.g. file:///var/mail/tadamun.")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise _bad(name, "an smtp URL needs a host.")
        port = _port(parts, name)
        query = _query(parts)
        implicit_tls = scheme == "smtps"
        port = port or (465 if implicit_tls else 587)
        starttls = not implicit_tls and query.get("tls", "1" if port == 587 else "0") in TRUE_WORDS
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": implicit_tls,
            "EMAIL_USE_TLS": starttls,
            "EMAIL_TIMEOUT": 20,
        }
    raise _bad(name, f"unsupported scheme {scheme!r}; use console://, smtp://, smtps:// or file://.")


def parse_fernet_keys(raw: str, *, name: str = "FIELD_ENCRYPTION_KEYS") -> list[str]:
    """Comma-separated Fernet keys, newest first: the first encrypts, all decrypt, so a
    new key can be put in front and the old one dropped after re-encryption."""
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys:
        raise _bad(name, "needs at least one key.")
    for position, key in enumerate(keys, start=1):
        try:
            decoded = base64.urlsafe_b64decode(key.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            decoded = b""
        if len(decoded) != 32:
            raise _bad(
                name,
                f"key {position} is not a Fernet key (32 url-safe base64 bytes); "
                "make one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'",
            )
    return keys


def derive_development_fernet_key(secret_key: str) -> str:
    """A stable key for DEBUG only, so development needs no set-up. Never used in
    production: settings refuse to start without FIELD_ENCRYPTION_KEYS there."""
    digest = hashlib.sha256(f"tadamun-dev-field-key:{secret_key}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")
