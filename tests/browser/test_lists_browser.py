"""Issue 10 in Chromium: long lists with a filter box in the reader's language and order;
errors that look like errors (a refused workshop booking, a bulk action's outcome by its
buttons on a phone); the star button's two states. Arabic on a phone, English on a
desktop, screenshots in tests/artifacts/."""

import pytest

from tests.browser.test_pages_browser import sign_in
from tests.browser.test_public_browser import sign_in_as
from tests.browser.viewports import DESKTOP, PHONE
from tests.sessions import conftest as programme_fixtures
from tests.sessions.conftest import at, release_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

programme = programme_fixtures.programme
make_confirmed_delegate = programme_fixtures.make_confirmed_delegate
make_session = programme_fixtures.make_session

EDITION = "baghdad-2027"


def fits(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize(("language", "viewport", "typed", "expected"), [
    ("ar", PHONE, "عراق", "IQ"), ("en", DESKTOP, "germ", "DE"), ("ckb", PHONE, "ئەلمان", "DE"),
])
def test_country_list_starts_with_iraq_and_filters_as_one_types(
    page, demo_site, artifacts_dir, language, viewport, typed, expected
):
    page.set_viewport_size(viewport)
    sign_in(page, demo_site, language, "khalida.ilyas@example.org")
    page.goto(f"{demo_site}/{language}/me/profile/")
    country = page.locator("select[name=country]")
    assert country.locator("option").nth(1).get_attribute("value") == "IQ"
    box = page.locator("#field-country .searchable-select__filter")
    assert box.is_visible()
    box.fill(typed)
    assert country.input_value() == expected
    assert 1 <= country.locator("option").count() <= 4  # the blank line and the matches
    box.fill("")
    assert country.locator("option").count() == 250
    fits(page, viewport)
    page.locator("#field-country").scroll_into_view_if_needed()
    box.fill(typed)
    page.screenshot(path=str(artifacts_dir / f"lists-country-filter-{language}.png"))


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_bulk_error_shows_by_the_buttons_on_a_phone(page, demo_site, artifacts_dir, language, viewport):
    page.set_viewport_size(viewport)
    sign_in(page, demo_site, language, "organizer@example.org")
    page.goto(f"{demo_site}/{language}/{EDITION}/staff/registrations/?status=pending")
    # Nothing ticked: the page comes back at the buttons, with the error beside them.
    page.locator("#bulk button[value=approve]").click()
    page.wait_for_load_state()
    assert page.url.endswith("#bulk")
    alert = page.locator("#bulk .message--error[role=alert]")
    assert alert.count() == 1 and alert.is_visible()
    top = alert.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < viewport["height"], top
    fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"lists-bulk-error-{language}.png"))


@pytest.fixture
def clash(live_server, programme, make_session, make_confirmed_delegate):
    first = make_session(room="library", start=at(1, 11), duration=60, format="workshop", signup_capacity=20,
                         title={"ar": "حقوق المياه في الأهوار", "en": "Water rights in the marshes"})
    second = make_session(room="garden", start=at(1, 11, 30), duration=60, format="workshop",
                          signup_capacity=20,
                          title={"ar": "السلامة الرقمية للصحفيين", "en": "Digital safety for journalists"})
    release_rows(programme["conference"])
    return {"url": live_server.url, "first": first, "second": second,
            "delegate": make_confirmed_delegate(language="ar")}


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_a_refused_booking_looks_like_an_error_and_the_star_says_its_state(
    page, clash, artifacts_dir, language, viewport
):
    page.set_viewport_size(viewport)
    sign_in_as(page, clash["url"], clash["delegate"])
    base = f"{clash['url']}/{language}/{EDITION}/programme"
    page.goto(f"{base}/session/{clash['first'].code}/")
    page.locator(".signup-box button[type=submit]").click()
    page.wait_for_load_state()
    saved = page.locator(".message--success")
    assert saved.count() == 1
    saved_look = saved.evaluate("e => getComputedStyle(e).backgroundColor")
    page.goto(f"{base}/session/{clash['second'].code}/")
    page.locator(".signup-box button[type=submit]").click()
    page.wait_for_load_state()
    refused = page.locator(".message--error[role=alert]")
    assert refused.count() == 1 and page.locator(".message--success").count() == 0
    assert refused.evaluate("e => getComputedStyle(e).backgroundColor") != saved_look
    assert refused.locator(".message__icon").is_visible()
    fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"lists-booking-refused-{language}.png"))

    star = page.locator(".star-button")
    unstarred, unstarred_look = star.inner_text(), star.evaluate("e => getComputedStyle(e).backgroundColor")
    page.screenshot(path=str(artifacts_dir / f"lists-star-off-{language}.png"))
    star.click()
    page.wait_for_selector(".star-button[aria-pressed=true]")
    assert star.inner_text() != unstarred
    assert star.evaluate("e => getComputedStyle(e).backgroundColor") != unstarred_look
    page.screenshot(path=str(artifacts_dir / f"lists-star-on-{language}.png"))


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_proposals_bulk_outcome_shows_by_the_buttons(page, demo_site, artifacts_dir, language, viewport):
    page.set_viewport_size(viewport)
    sign_in(page, demo_site, language, "organizer@example.org")
    page.goto(f"{demo_site}/{language}/{EDITION}/staff/programme/proposals/")
    page.locator("#decide button[value=accept]").click()
    page.wait_for_load_state()
    assert page.url.endswith("#decide")
    alert = page.locator("#decide .message--error[role=alert]")
    assert alert.count() == 1
    top = alert.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < viewport["height"], top
    fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"lists-proposals-bulk-error-{language}.png"))
