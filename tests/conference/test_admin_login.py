"""One sign-in for everybody: Django's admin login hands over to allauth's (rate limits,
TOTP step), and a session that skipped the TOTP step opens neither the admin nor an
edition's staff pages."""

from __future__ import annotations

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache

from conference.models import TeamMember, User

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts attempts in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def superuser_with_totp(make_conference):
    edition = make_conference()
    user = User.objects.create_superuser("root@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    TeamMember.objects.create(conference=edition, user=user, role=TeamMember.Role.ORGANIZER)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret, edition


def test_the_admin_login_sends_people_to_the_one_sign_in_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/conference/user/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=%2Fadmin%2Fconference%2Fuser%2F"
    # The admin's own redirect for anonymous visitors ends on the same page.
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.redirect_chain[-1][0] == "/en/accounts/login/?next=%2Fadmin%2F"
    assert 'name="login"' in response.content.decode()
    # An address elsewhere is never carried along.
    response = client.get("/admin/login/?next=https://evil.example/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == "/en/accounts/login/?next=%2Fadmin%2F"


def test_passwords_posted_to_the_admin_login_are_never_checked(client, superuser_with_totp):
    user, _secret, edition = superuser_with_totp
    for _attempt in range(20):
        response = client.post("/admin/login/?next=/admin/",
                               {"username": user.email, "password": "wrong-password"})
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    response = client.post("/admin/login/?next=/admin/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    assert client.get(f"/en/{edition.slug}/staff/")["Location"].startswith("/en/accounts/login/")


def test_the_one_sign_in_counts_failures_and_asks_a_superuser_for_the_code(client,
                                                                            superuser_with_totp):
    user, _secret, _edition = superuser_with_totp
    for _attempt in range(5):
        client.post("/en/accounts/login/?next=/admin/", {"login": user.email, "password": "wrong"})
    response = client.post("/en/accounts/login/?next=/admin/",
                           {"login": user.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    cache.clear()
    response = client.post("/en/accounts/login/?next=/admin/",
                           {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/en/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session


def test_a_password_only_session_of_a_totp_user_opens_no_admin_or_staff_page(client,
                                                                          superuser_with_totp):
    user, secret, edition = superuser_with_totp
    # A session made with the password alone, as Django's admin login made them.
    assert client.login(email=user.email, password=PASSWORD)
    staff_page = f"/en/{edition.slug}/staff/"
    for path in ("/admin/", "/admin/conference/user/", staff_page):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302, path
        assert response["Location"].startswith("/en/accounts/2fa/reauthenticate/?next="), path

    # allauth's page asks for the code; a wrong one does not open anything.
    step = client.get(f"/en/accounts/2fa/reauthenticate/?next={staff_page}")
    assert step.status_code == 200 and 'name="code"' in step.content.decode()
    # No way around it with the password again.
    assert "/accounts/reauthenticate/" not in step.content.decode()
    response = client.get(f"/en/accounts/reauthenticate/?next={staff_page}")
    assert response["Location"].startswith("/en/accounts/2fa/reauthenticate/")
    wrong = "000000" if current_code(secret) != "000000" else "111111"
    client.post(f"/en/accounts/2fa/reauthenticate/?next={staff_page}", {"code": wrong})
    assert client.get(staff_page).status_code == 302

    response = client.post(f"/en/accounts/2fa/reauthenticate/?next={staff_page}",
                           {"code": current_code(secret)})
    assert response["Location"] == staff_page
    assert client.get(staff_page).status_code == 200
    assert client.get("/admin/").status_code == 200


# allauth announces a new authenticator once its transaction commits, within the
# request: only a test without the wrapping transaction sees that as it happens.
@pytest.mark.django_db(transaction=True)
def test_setting_up_totp_counts_as_the_step_for_that_session(client, make_conference, make_user,
                                                             mailoutbox):
    """Staff sent to set TOTP up type a code from it: they go straight on afterwards."""
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    edition = make_conference()
    organizer = make_user("org@example.org")
    EmailAddress.objects.create(user=organizer, email=organizer.email, primary=True, verified=True)
    TeamMember.objects.create(conference=edition, user=organizer, role=TeamMember.Role.ORGANIZER)
    assert client.login(email=organizer.email, password=PASSWORD)
    staff_page = f"/en/{edition.slug}/staff/"
    assert client.get(staff_page)["Location"].startswith("/en/accounts/2fa/totp/activate/")
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    client.get("/en/accounts/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [[organizer.email]]  # "TOTP activated"
    assert Authenticator.objects.filter(user=organizer, type="totp").exists()
    assert client.get(staff_page).status_code == 200


def test_a_signed_in_delegate_gets_a_refusal_not_a_loop(client, make_user):
    client.force_login(make_user())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert [url for url, _status in response.redirect_chain] == ["/admin/login/?next=/admin/"]
