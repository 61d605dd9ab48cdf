"""Dates, sign-up errors and arrows as a right-to-left reader sees them, on a phone:
screenshots in tests/artifacts/ (i18n-*.png)."""

import datetime as dt

import pytest

from tests.browser.viewports import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARCH = {"ar": "آذار", "ckb": "ئازار", "en": "March"}
APRIL = {"ar": "نيسان", "ckb": "نیسان", "en": "April"}




@pytest.mark.parametrize(("language", "viewport"), [("ckb", PHONE), ("ar", PHONE), ("en", DESKTOP)])
def test_edition_dates_in_iraqi_month_names(
    page, live_server, make_conference, artifacts_dir, language, viewport
):
    make_conference(
        registration_opens=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        registration_closes=dt.datetime(2027, 3, 15, 12, tzinfo=dt.UTC),
    )
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/{language}/baghdad-2027/")
    text = page.locator("main").inner_text()
    page.screenshot(path=str(artifacts_dir / f"i18n-edition-dates-{language}.png"), full_page=True)
    assert f"15 {APRIL[language]} 2027" in text
    assert f"15 {MARCH[language]} 2027" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("ckb", PHONE), ("en", DESKTOP)])
def test_signup_password_errors_read_in_the_pages_language(
    page, live_server, artifacts_dir, language, viewport
):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/{language}/accounts/signup/")
    page.fill("input[name=email]", "new-person@example.org")
    page.fill("input[name=password1]", "short")
    page.fill("input[name=password2]", "short")
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_load_state()
    error = page.locator(".field--password1 .field__error")
    page.screenshot(path=str(artifacts_dir / f"i18n-signup-errors-{language}.png"), full_page=True)
    direction = error.evaluate("element => getComputedStyle(element).direction")
    assert direction == ("ltr" if language == "en" else "rtl")
    text = error.inner_text()
    assert ("password" in text) == (language == "en")
    assert text.endswith(".")


def test_arrows_turn_round_in_right_to_left_text(page, live_server):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.set_content(
        f'<link rel="stylesheet" href="{live_server.url}/static/css/tadamun.css">'
        '<p dir="rtl" lang="ar"><span class="arrow" id="rtl">←</span> رجوع</p>'
        '<p dir="ltr" lang="en"><span class="arrow" id="ltr">←</span> Back</p>'
    )
    page.wait_for_load_state("networkidle")

    def transform(selector):
        return page.locator(selector).evaluate("element => getComputedStyle(element).transform")

    assert transform("#rtl") == "matrix(-1, 0, 0, 1, 0, 0)"
    assert transform("#ltr") == "none"


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_venue_settings_show_zones_and_back_arrows_in_the_readers_language(
    page, demo_site, artifacts_dir, language, viewport
):
    from tests.browser.test_pages_browser import sign_in

    page.set_viewport_size(viewport)
    sign_in(page, demo_site, language, "organizer@example.org")
    page.goto(f"{demo_site}/{language}/baghdad-2027/staff/programme/settings/")
    zones = page.locator("td[data-label]").filter(has_text={"ar": "الملحق", "en": "Annex"}[language])
    assert zones.count() == 5
    page.screenshot(path=str(artifacts_dir / f"i18n-venue-settings-{language}.png"), full_page=True)
    page.goto(f"{demo_site}/{language}/baghdad-2027/staff/programme/rooms/new/")
    arrow = page.locator(".links-row .arrow")
    expected = "matrix(-1, 0, 0, 1, 0, 0)" if language == "ar" else "none"
    assert arrow.evaluate("element => getComputedStyle(element).transform") == expected
    page.screenshot(path=str(artifacts_dir / f"i18n-room-form-{language}.png"), full_page=False)
