"""Login limits fit a venue: hundreds of delegates sign in behind one NAT address, so
one address gets a venue's budget while each account keeps a strict one."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache

from conference.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-2026"
VENUE = "10.20.30.40"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def delegate(n: int) -> User:
    email = f"delegate{n}@example.org"
    user = User.objects.create_user(email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def sign_in(client, email: str, password: str):
    return client.post("/en/accounts/login/", {"login": email, "password": password},
                       REMOTE_ADDR=VENUE)


def test_typos_of_many_delegates_behind_one_address_lock_nobody_out(client):
    for n in range(12):
        delegate(n)
        response = sign_in(client, f"delegate{n}@example.org", "mistyped-password")
        assert "are not correct" in response.content.decode()
    late = delegate(99)
    response = sign_in(client, late.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(late.pk)


def test_each_account_keeps_its_strict_limit_behind_the_venue_address(client):
    target = delegate(1)
    for _attempt in range(5):
        sign_in(client, target.email, "guess")
    response = sign_in(client, target.email, PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another delegate at the same address is not held up by it.
    other = delegate(2)
    assert sign_in(client, other.email, PASSWORD).status_code == 302


def test_one_address_still_has_a_ceiling(client):
    limit = settings.LOGIN_LIMIT_PER_ADDRESS
    for n in range(limit):
        sign_in(client, f"nobody{n}@example.org", "guess")
    user = delegate(1)
    response = sign_in(client, user.email, PASSWORD)
    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session
