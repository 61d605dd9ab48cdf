"""The other pages of the foundation, as their users see them: screenshots in Arabic
on a phone and in English on a desktop, plus the organizer's team form end to end."""

import time

import pytest

from conference.models import TeamMember
from tests.browser.viewports import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def current_totp_code(email: str) -> str:
    """The demo secret's code for now. allauth refuses a code already used by the same
    account (for one period), and two tests may sign the same demo account in within
    30 seconds: forget that this code was used."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
    from django.core.cache import cache

    from conference.demo import DEMO_TOTP_SECRET

    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
    authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
    cache.delete(TOTP(authenticator)._get_used_cache_key(code))
    return code


def sign_in(page, site, language, email):
    """Password first; staff accounts (demo ones have TOTP) then get the code step."""
    page.goto(f"{site}/{language}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "tadamun-demo-2026")
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        page.fill("input[name=code]", current_totp_code(email))
        page.locator("form[action$='/2fa/authenticate/'] button[type=submit]:not([form])").click()
        page.wait_for_load_state()
    assert "/accounts/" not in page.url, page.url


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_organizer_gives_a_role_from_the_team_page(page, demo_site, artifacts_dir, language,
                                                   viewport, mailoutbox):
    page.set_viewport_size(viewport)
    sign_in(page, demo_site, language, "organizer@example.org")
    page.goto(f"{demo_site}/{language}/baghdad-2027/staff/")
    assert page.locator("html").get_attribute("lang") == language
    # An address without an account: the error sits by the field, the input is kept.
    page.fill("input[name=email]", "stranger@example.org")
    page.select_option("select[name=role]", "venue_staff")
    page.locator("form.stacked-form button[type=submit]").click()
    assert page.locator(".field__error").count() == 1
    assert page.input_value("input[name=email]") == "stranger@example.org"
    page.screenshot(path=str(artifacts_dir / f"staff-team-error-{language}.png"), full_page=True)
    page.fill("input[name=email]", "visa@example.org")
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message").count() == 1
    assert TeamMember.objects.filter(user__email="visa@example.org", role="venue_staff").exists()
    page.screenshot(path=str(artifacts_dir / f"staff-team-{language}.png"), full_page=True)
    assert [m.to for m in mailoutbox] == [["visa@example.org"]]


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_directory_and_login_pages(page, demo_site, artifacts_dir, language, viewport):
    page.set_viewport_size(viewport)
    page.goto(f"{demo_site}/{language}/organizations/?q=")
    assert page.locator(".card").count() == 24
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(artifacts_dir / f"organizations-{language}.png"), full_page=False)
    page.goto(f"{demo_site}/{language}/accounts/login/")
    page.screenshot(path=str(artifacts_dir / f"login-{language}.png"), full_page=True)
    # A reviewer may see the team but is refused a page needing more: the 403 page.
    sign_in(page, demo_site, language, "finance@example.org")
    response = page.goto(f"{demo_site}/{language}/sulaymaniyah-2026/staff/")
    assert response.status == 403
    page.screenshot(path=str(artifacts_dir / f"403-{language}.png"), full_page=True)
