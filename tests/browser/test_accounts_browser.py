"""The account pages as people see them: sign-up, sign-in, setting up an authenticator
app and the code step at sign-in, in Arabic on a phone and in English on a desktop.
Screenshots go to tests/artifacts/accounts-*.png."""

import pytest
from allauth.account.models import EmailAddress

from conference.models import User
from tests.browser.test_pages_browser import current_totp_code
from tests.browser.viewports import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASES = [("ar", PHONE), ("en", DESKTOP)]


def assert_fits(page, viewport):
    """Nothing sticks out sideways (a phone would scroll horizontally)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize(("language", "viewport"), CASES)
def test_signup_and_login_pages(page, demo_site, artifacts_dir, language, viewport, mailoutbox):
    page.set_viewport_size(viewport)
    page.goto(f"{demo_site}/{language}/accounts/signup/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert_fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"accounts-signup-{language}.png"), full_page=True)

    # Mistakes: the errors sit under their fields and the address is kept.
    address = f"new.member.{language}@example.org"
    page.fill("input[name=email]", address)
    page.fill("input[name=password1]", "a-long-passphrase-2026")
    page.fill("input[name=password2]", "another-passphrase-2026")
    page.locator("form.account-form button[type=submit]:not([form])").click()
    page.wait_for_load_state()
    assert page.locator(".field--invalid .field__error").count() >= 1
    assert page.input_value("input[name=email]") == address
    assert_fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"accounts-signup-error-{language}.png"),
                    full_page=True)

    page.fill("input[name=password1]", "a-long-passphrase-2026")
    page.fill("input[name=password2]", "a-long-passphrase-2026")
    page.locator("form.account-form button[type=submit]:not([form])").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/{language}/accounts/confirm-email/")
    # One verification mail (allauth sends one per address per 3 minutes: the address
    # differs between the parametrized runs for that reason).
    assert [m.to for m in mailoutbox] == [[address]]
    page.screenshot(path=str(artifacts_dir / f"accounts-verification-sent-{language}.png"),
                    full_page=True)

    page.goto(f"{demo_site}/{language}/accounts/login/")
    page.fill("input[name=login]", "nobody@example.org")
    page.fill("input[name=password]", "wrong-password-1")
    page.locator("form.account-form button[type=submit]:not([form])").click()
    page.wait_for_load_state()
    assert page.locator(".form-errors").count() == 1
    assert page.input_value("input[name=login]") == "nobody@example.org"
    assert_fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"accounts-login-{language}.png"), full_page=True)


@pytest.mark.parametrize(("language", "viewport"), CASES)
def test_authenticator_app_activation_page(page, demo_site, artifacts_dir, language, viewport):
    user = User.objects.create_user("member@example.org", password="a-long-passphrase-2026")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    page.set_viewport_size(viewport)
    page.goto(f"{demo_site}/{language}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "a-long-passphrase-2026")
    page.locator("form.account-form button[type=submit]:not([form])").click()
    page.wait_for_load_state()

    # allauth asks for the password again before two-factor settings.
    page.goto(f"{demo_site}/{language}/accounts/2fa/totp/activate/")
    assert "/accounts/reauthenticate/" in page.url
    assert_fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"accounts-reauthenticate-{language}.png"),
                    full_page=True)
    page.fill("input[name=password]", "a-long-passphrase-2026")
    page.locator("form.account-form button[type=submit]:not([form])").click()
    page.wait_for_load_state()
    assert "/accounts/2fa/totp/activate/" in page.url

    assert page.locator(".totp-setup__qr img").evaluate("img => img.naturalWidth") > 0
    assert page.get_attribute("#authenticator_secret", "dir") == "ltr"
    assert page.get_attribute("input[name=code]", "dir") == "ltr"
    # A wrong code: refused by the field, in the page's language.
    page.fill("input[name=code]", "000000")
    page.locator("form.account-form button[type=submit]:not([form])").click()
    page.wait_for_load_state()
    assert page.locator(".field--code .field__error").count() == 1
    assert_fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"accounts-totp-activate-{language}.png"),
                    full_page=True)


@pytest.mark.parametrize(("language", "viewport"), CASES)
def test_staff_sign_in_asks_for_the_code(page, demo_site, artifacts_dir, language, viewport):
    page.set_viewport_size(viewport)
    page.goto(f"{demo_site}/{language}/accounts/login/")
    page.fill("input[name=login]", "reviewer@example.org")
    page.fill("input[name=password]", "tadamun-demo-2026")
    page.locator("form.account-form button[type=submit]:not([form])").click()
    page.wait_for_load_state()
    assert "/accounts/2fa/authenticate/" in page.url
    assert page.get_attribute("input[name=code]", "dir") == "ltr"
    assert_fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"accounts-2fa-{language}.png"), full_page=True)

    page.fill("input[name=code]", current_totp_code("reviewer@example.org"))
    page.locator("form.account-form button[type=submit]:not([form])").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith(f"/{language}")
    # Signed in: the header leads to the account area.
    page.locator(f".site-nav a[href='/{language}/accounts/email/']").click()
    page.wait_for_load_state()
    assert page.locator(".account-nav a[aria-current=page]").count() == 1
    assert_fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"accounts-email-{language}.png"), full_page=True)
    page.goto(f"{demo_site}/{language}/accounts/2fa/")
    assert_fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"accounts-2fa-index-{language}.png"),
                    full_page=True)
