"""Fixtures for the whole suite.

- E-mail: a test that sends mail without asking for ``mailoutbox`` fails.
- Backends: tests marked ``postgres``/``redis`` are skipped on the SQLite run but must
  run on the PostgreSQL run (TADAMUN_TEST_BACKEND=postgres): there a missing service
  is an error, never a skip.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.conf import settings as django_settings
from django.core import mail

from conference.celery import app as celery_app

BACKEND = os.environ.get("TADAMUN_TEST_BACKEND", "sqlite")


def pytest_collection_modifyitems(config, items):
    is_pg = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_redis = bool(django_settings.REDIS_URL)
    if BACKEND == "postgres" and not (is_pg and has_redis):
        raise pytest.UsageError(
            "TADAMUN_TEST_BACKEND=postgres needs DATABASE_URL on PostgreSQL and REDIS_URL set"
        )
    for item in items:
        if "postgres" in item.keywords and not is_pg:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (runs in the second pass)"))
        if "redis" in item.keywords and not has_redis:
            item.add_marker(pytest.mark.skip(reason="needs Redis (runs in the second pass)"))


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production hashes static names (manifest); the test server serves them by their
    # plain names from the finders. tests/conference/test_static.py covers the manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path_factory):
    # Uploaded documents go to a throwaway folder, never into the working tree.
    root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(root), "base_url": "/media/"}},
    }


@pytest.fixture(autouse=True)
def _default_language():
    # A request through the test client leaves its language active in the thread; each
    # test starts from the site's default (Arabic) instead of the last test's.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_tasks():
    # Tasks run in-process in tests, on both backends; test_mail's worker test turns
    # this off to prove the Redis path end to end.
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _no_unexpected_mail(request):
    yield
    if "mailoutbox" in request.fixturenames:
        return
    outbox = getattr(mail, "outbox", [])
    if outbox:
        subjects = [message.subject for message in outbox]
        pytest.fail(f"test sent e-mail it did not expect: {subjects}")


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(monkeypatch):
    """``force_login`` stands for a complete sign-in through allauth, the TOTP step
    included: staff pages refuse a session without it (conference.permissions). A test
    that needs a password-only session signs in with ``client.login()`` instead."""
    from types import SimpleNamespace

    from allauth.account.internal.flows.login import record_authentication
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        shim = SimpleNamespace(session=session)
        record_authentication(shim, user, "password")
        record_authentication(shim, user, "mfa", type="totp")
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def reference_data(db):
    from conference import services

    services.reference_data_load()


@pytest.fixture
def make_user(db):
    from conference.models import User

    counter = {"n": 0}

    def make(email: str | None = None, *, language: str = "ar", name: str = "", **extra):
        counter["n"] += 1
        email = email or f"person{counter['n']}@example.org"
        return User.objects.create_user(
            email, password="correct horse battery", full_name=name or email.split("@")[0],
            preferred_language=language, **extra,
        )

    return make


@pytest.fixture
def make_conference(reference_data):
    import datetime as dt

    from conference.models import Conference, Governorate

    def make(slug: str = "baghdad-2027", *, current: bool = False, **fields):
        from conference import services

        values = {
            "title": {"ar": "مؤتمر التضامن ٢٠٢٧", "ckb": "کۆنفرانسی هاوپشتی ٢٠٢٧",
                      "en": "Solidarity Conference 2027"},
            "city": {"ar": "بغداد", "ckb": "بەغدا", "en": "Baghdad"},
            "governorate": Governorate.objects.get(code="baghdad"),
            "start_date": dt.date(2027, 4, 13),
            "end_date": dt.date(2027, 4, 15),
            "status": Conference.Status.OPEN,
        }
        values.update(fields)
        conference = Conference.objects.create(slug=slug, **values)
        if current:
            services.conference_make_current(conference=conference)
        return conference

    return make



@pytest.fixture
def make_staff(make_user):
    """A team member with TOTP set up, as staff pages require."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from conference.models import TeamMember

    def make(conference, role, email: str | None = None, **extra):
        user = make_user(email, **extra)
        TeamMember.objects.create(conference=conference, user=user, role=role)
        TOTP.activate(user, generate_totp_secret())
        return user

    return make




@pytest.fixture
def make_category(db):
    from registrations.models import Category

    def make(conference, slug="delegate", **fields):
        values = {
            "kind": Category.Kind.DELEGATE,
            "name": {
                "ar": "مندوب المجتمع المدني العراقي",
                "ckb": "نوێنەری کۆمەڵگەی مەدەنی عێراق",
                "en": "Iraqi civil society delegate",
            },
            "capacity": 10,
            "requires_approval": False,
        }
        values.update(fields)
        return Category.objects.create(conference=conference, slug=slug, **values)

    return make


@pytest.fixture
def make_delegate(make_user):
    """A user with a filled delegate profile, ready to register."""
    from registrations import services

    def make(email=None, *, language="ar", organization=None, **profile):
        user = make_user(email, language=language)
        data = {
            "passport_name": profile.pop("passport_name", f"Delegate {user.pk}"),
            "country": profile.pop("country", "IQ"),
            "organization": organization,
            **profile,
        }
        services.profile_save(user=user, data=data)
        user.refresh_from_db()
        return user

    return make


@pytest.fixture
def edition(make_conference):
    return make_conference(
        registration_opens=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        registration_closes=dt.datetime(2027, 3, 1, tzinfo=dt.UTC),
    )
