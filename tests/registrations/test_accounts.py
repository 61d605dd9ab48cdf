"""The account pages (allauth in the project's layout) and allauth's e-mails, in the
three languages: sign-up and verification, the TOTP step for staff, password reset
mail, the failed-login limit."""

from __future__ import annotations

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from conference.models import User

PASSWORD = "a-long-passphrase-2026"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth keeps its rate-limit counters in the cache; tests must not share them.
    cache.clear()
    yield
    cache.clear()


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def html_part(message) -> str:
    (html, mimetype), = message.alternatives
    assert mimetype == "text/html"
    return html


def link_in(text: str) -> str:
    return re.search(r"https?://\S+", text).group(0)


def url(name: str, language: str) -> str:
    with translation.override(language):
        return reverse(name)


def sign_in(client, email: str, language: str = "en"):
    """Through the login form, as people do (allauth then counts the sign-in as recent,
    so pages behind reauthentication open straight away)."""
    response = client.post(url("account_login", language), {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[-2000:]


def confirm_access(client, language: str = "en"):
    """allauth asks for the password again before two-factor settings, even right
    after signing in (its reauthentication records only count explicit ones)."""
    response = client.post(url("account_reauthenticate", language), {"password": PASSWORD})
    assert response.status_code == 302


def verified_user(email: str, *, language: str = "ar") -> User:
    user = User.objects.create_user(email, password=PASSWORD, preferred_language=language)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


@pytest.mark.django_db
def test_signup_in_arabic_sends_an_arabic_verification_then_login_works(client, mailoutbox):
    response = client.post("/ar/accounts/signup/", {
        "email": "layla@example.org", "password1": PASSWORD, "password2": PASSWORD,
    })
    assert response.status_code == 302
    assert response["Location"] == "/ar/accounts/confirm-email/"
    page = client.get(response["Location"])
    assert 'dir="rtl"' in page.content.decode() and "account-title" in page.content.decode()

    (message,) = mailoutbox
    assert message.to == ["layla@example.org"]
    assert "تأكيد بريدك الإلكتروني" in message.subject  # the project catalogue's Arabic
    assert "Confirm" not in message.subject
    assert "Iraqi Civil Society" not in message.body  # the house header, translated
    html = html_part(message)
    assert '<html lang="ar" dir="rtl">' in html

    confirm_url = link_in(message.body)
    assert "/ar/accounts/confirm-email/" in confirm_url
    path = confirm_url.split("testserver", 1)[1]
    confirm_page = client.get(path)
    assert confirm_page.status_code == 200
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(email="layla@example.org").verified

    response = client.post("/ar/accounts/login/", {"login": "layla@example.org",
                                                   "password": PASSWORD}, follow=True)
    assert response.context["user"].is_authenticated
    # The flash message, in Arabic, and the header's way to the account pages.
    content = response.content.decode()
    assert "layla@example.org" in content
    assert url("account_email", "ar") in content


@pytest.mark.django_db
def test_signup_errors_sit_by_the_fields_and_keep_the_input(client):
    response = client.post("/ar/accounts/signup/", {
        "email": "not-an-address", "password1": PASSWORD, "password2": "different-one-2026",
    })
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="field__error"') >= 2
    assert 'value="not-an-address"' in content
    assert "field--invalid" in content
    # Passwords are never echoed back.
    assert PASSWORD not in content


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_pages_render_in_each_language(client, language):
    for name in ("account_login", "account_signup", "account_reset_password"):
        response = client.get(url(name, language))
        content = response.content.decode()
        assert response.status_code == 200
        assert f'<html lang="{language}"' in content
        assert 'class="stacked-form account-form' in content
    if language == "ckb":
        # Sorani from locale_vendor (allauth ships none), not its English or Arabic.
        content = client.get(url("account_login", "ckb")).content.decode()
        assert "وشەی نهێنییەکەت لەبیر چووە؟" in content
        assert "Forgot your password?" not in content and "كلمة المرور" not in content


@pytest.mark.django_db
def test_staff_sign_in_asks_for_the_totp_code_and_refuses_a_wrong_one(client, make_staff,
                                                                        make_conference):
    from allauth.mfa.models import Authenticator

    conference = make_conference()
    user = make_staff(conference, "organizer", "organizer@example.org")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    secret = Authenticator.objects.get(user=user, type="totp").wrap().instance.data["secret"]
    from allauth.mfa.utils import decrypt

    secret = decrypt(secret)

    response = client.post("/ar/accounts/login/", {"login": user.email,
                                                   "password": "correct horse battery"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/accounts/2fa/authenticate/"
    page = client.get(response["Location"])
    content = page.content.decode()
    assert 'name="code"' in content and 'dir="ltr"' in content
    assert not page.context["user"].is_authenticated

    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    response = client.post("/ar/accounts/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    content = response.content.decode()
    assert "الرمز غير صحيح." in content  # "Incorrect code." (locale_vendor corrects allauth)
    assert 'class="field__error"' in content
    assert not response.context["user"].is_authenticated

    response = client.post("/ar/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/ar/").context["user"].is_authenticated


@pytest.mark.django_db
def test_wrong_totp_code_in_sorani(client, make_staff, make_conference):
    conference = make_conference()
    user = make_staff(conference, "reviewer", "rev@example.org")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    client.post("/ckb/accounts/login/", {"login": user.email, "password": "correct horse battery"})
    response = client.post("/ckb/accounts/2fa/authenticate/", {"code": "123"})
    content = response.content.decode()
    assert "Incorrect code." not in content
    assert "هەڵە" in content


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "subject_word", "body_word", "direction"), [
    ("ar", "كلمة المرور", "إعادة تعيين كلمة", "rtl"),
    ("ckb", "وشەی نهێنی", "وشەی نهێنی", "rtl"),
    ("en", "Password Reset", "password reset", "ltr"),
])
def test_password_reset_mail_in_each_language(client, mailoutbox, language, subject_word,
                                              body_word, direction):
    verified_user("hana@example.org", language=language)
    response = client.post(f"/{language}/accounts/password/reset/",
                           {"email": "hana@example.org"})
    assert response.status_code == 302
    (message,) = mailoutbox
    assert subject_word in message.subject
    assert body_word in message.body
    html = html_part(message)
    assert f'<html lang="{language}" dir="{direction}">' in html
    reset_url = link_in(message.body)
    assert f"/{language}/accounts/password/reset/key/" in reset_url
    assert f'href="{reset_url}"' in html
    if language != "en":
        assert "You're receiving this email" not in message.body

    # The link leads to the new-password form (allauth swaps the key into the session).
    path = reset_url.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert 'name="password1"' in response.content.decode()
    form_path = response.redirect_chain[-1][0]
    response = client.post(form_path, {"password1": "another-passphrase-77",
                                       "password2": "another-passphrase-77"})
    assert response.status_code == 302
    assert User.objects.get(email="hana@example.org").check_password("another-passphrase-77")


@pytest.mark.django_db
def test_login_rate_limit_refuses_the_sixth_failed_attempt(client):
    verified_user("sami@example.org")
    for _attempt in range(5):
        response = client.post("/en/accounts/login/", {"login": "sami@example.org",
                                                       "password": "wrong-password"})
        assert response.status_code == 200
        assert "The email address and/or password you specified are not correct." in (
            response.content.decode())
    # Sixth attempt: refused even with the right password.
    response = client.post("/en/accounts/login/", {"login": "sami@example.org",
                                                   "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert not response.context["user"].is_authenticated


@pytest.mark.django_db
def test_account_area_pages_render_for_a_signed_in_user(client):
    verified_user("omar@example.org", language="en")
    sign_in(client, "omar@example.org")
    reauth = client.get(url("account_reauthenticate", "ckb"))
    assert 'name="password"' in reauth.content.decode()
    confirm_access(client, "ckb")
    for name in ("account_email", "account_change_password", "mfa_index",
                 "mfa_activate_totp"):
        response = client.get(url(name, "ckb"))
        assert response.status_code == 200, name
        content = response.content.decode()
        assert 'class="account-nav"' in content
    # The TOTP page: the QR code, and the secret and the code both left-to-right.
    assert 'id="authenticator_secret"' in content
    secret = re.search(r'<code[^>]*id="authenticator_secret"[^>]*>', content).group(0)
    assert 'dir="ltr"' in secret
    code_input = re.search(r'<input[^>]*name="code"[^>]*>', content, re.S).group(0)
    assert 'dir="ltr"' in code_input
    assert "data:image/svg+xml;base64," in content


@pytest.mark.django_db
def test_activating_totp_ignores_next_and_shows_recovery_codes(client, mailoutbox):
    """After activation allauth shows the new recovery codes (first activation): it
    ignores ?next=, so staff sent here by conference.permissions do not go back."""
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    verified_user("nour@example.org", language="en")
    sign_in(client, "nour@example.org")
    response = client.get("/en/accounts/2fa/totp/activate/?next=/en/")
    assert response["Location"].startswith(url("account_reauthenticate", "en"))
    confirm_access(client)
    page = client.get("/en/accounts/2fa/totp/activate/?next=/en/")
    # The form keeps ?next= (for a view that would honour it).
    assert 'action="/en/accounts/2fa/totp/activate/?next=/en/"' in page.content.decode()
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/en/accounts/2fa/totp/activate/?next=/en/",
                           {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == url("mfa_view_recovery_codes", "en")
    page = client.get(response["Location"])
    codes = page.content.decode()
    assert '<textarea' in codes and 'dir="ltr"' in codes
    # The rest of the two-factor pages render in the layout.
    for name in ("mfa_index", "mfa_generate_recovery_codes", "mfa_deactivate_totp",
                 "account_logout", "account_change_password"):
        response = client.get(url(name, "ar"))
        assert response.status_code == 200, name
        assert 'class="account-title account-title--manage"' in response.content.decode(), name
    download = client.get(url("mfa_download_recovery_codes", "en"))
    assert download.status_code == 200 and download["Content-Type"].startswith("text/plain")
    assert mailoutbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ckb", "en"])
def test_a_new_account_keeps_the_language_it_signed_up_in(client, mailoutbox, language):
    response = client.post(f"/{language}/accounts/signup/", {
        "email": f"new-{language}@example.org",
        "password1": "Basra-river-2027!",
        "password2": "Basra-river-2027!",
    })
    assert response.status_code == 302
    assert User.objects.get(email=f"new-{language}@example.org").preferred_language == language
    assert mailoutbox[0].subject.startswith("Tadamun · ")


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), [("ckb", "rtl"), ("en", "ltr")])
def test_a_password_change_is_notified_in_the_persons_language(client, mailoutbox, language, direction):
    user = verified_user(f"notify-{language}@example.org", language=language)
    client.force_login(user)
    new = "Another-river-2028!"
    response = client.post(f"/{language}/accounts/password/change/", {
        "oldpassword": PASSWORD, "password1": new, "password2": new,
    })
    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.to == [user.email]
    html = html_part(message)
    assert f'dir="{direction}"' in html
    if language == "en":
        assert "password" in message.subject.lower()
    else:
        assert "password" not in message.subject.lower()


@pytest.mark.django_db
def test_the_verification_link_signs_her_in_and_returns_to_the_registration(client, mailoutbox,
                                                                            edition,
                                                                            make_category):
    """She started registering, had to make an account, and follows the link in the
    e-mail: she is signed in on the registration form she started from."""
    category = make_category(edition)
    form_path = f"/en/{edition.slug}/register/{category.slug}/"
    response = client.get(form_path)
    login_page = response["Location"]
    assert login_page.startswith("/en/accounts/login/?next=")
    signup = f"/en/accounts/signup/?next={form_path}"
    assert f'value="{form_path}"' in client.get(signup).content.decode()
    response = client.post(signup, {"email": "rezan@example.org", "password1": PASSWORD,
                                    "password2": PASSWORD, "next": form_path})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session  # not before the address is confirmed

    (message,) = mailoutbox
    path = link_in(message.body).split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == form_path
    user = User.objects.get(email="rezan@example.org")
    assert client.session["_auth_user_id"] == str(user.pk)
    # The form asks a new delegate for her profile first, and comes back after it.
    page = client.get(form_path, follow=True)
    assert page.status_code == 200 and page.context["user"] == user
    assert page.redirect_chain[-1][0] == f"/en/me/profile/?next={form_path}"


@pytest.mark.django_db
def test_the_verification_link_opened_in_another_browser_keeps_next(client, mailoutbox, edition,
                                                                    make_category):
    """The mail app may open the link in another browser: no sign-in there (the link
    alone must never open the account), but the way back to the form is kept."""
    from django.test import Client

    category = make_category(edition)
    form_path = f"/en/{edition.slug}/register/{category.slug}/"
    client.post(f"/en/accounts/signup/?next={form_path}", {
        "email": "rezan@example.org", "password1": PASSWORD, "password2": PASSWORD,
        "next": form_path,
    })
    (message,) = mailoutbox
    path = link_in(message.body).split("testserver", 1)[1]
    other = Client()
    response = other.post(path, follow=True)
    assert EmailAddress.objects.get(email="rezan@example.org").verified
    assert "_auth_user_id" not in other.session
    final = response.redirect_chain[-1][0]
    assert final.startswith("/en/accounts/login/") and "next=" in final
    response = other.post(final, {"login": "rezan@example.org", "password": PASSWORD})
    assert response["Location"] == form_path
