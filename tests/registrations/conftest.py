import datetime as dt

import pytest


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
