"""The public programme in Chromium: a delegate on her phone stars two sessions that
overlap and is warned at once on the programme page, and again on her agenda; the
programme, a session page and the agenda looked at in Arabic on a phone and in English
on a desktop."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.viewports import DESKTOP, PHONE
from tests.sessions import conftest as programme_fixtures
from tests.sessions.conftest import at, release_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The programme fixtures live beside the programme's own tests.
programme = programme_fixtures.programme
make_confirmed_delegate = programme_fixtures.make_confirmed_delegate
make_session = programme_fixtures.make_session

EDITION = "baghdad-2027"


@pytest.fixture
def site(live_server, programme, make_session, make_confirmed_delegate):
    tracks = programme["tracks"]
    hidden = make_confirmed_delegate(passport_name="Hidden Person", arabic_name="شخص مخفي", at_risk=True)
    named = make_confirmed_delegate(passport_name="Noor Salim", arabic_name="نور سالم")
    sessions = {
        "budgets": make_session(
            room="hall", start=at(1, 10), duration=90, track=tracks[0], languages=["ar", "en"],
            interpretation_wanted=True, speakers=[named, hidden],
            title={"ar": "الموازنات المحلية والمساءلة", "en": "Local budgets and accountability"},
            abstract={
                "ar": "كيف تتابع المنظمات الموازنات المحلية.",
                "en": "How organisations follow budgets.",
            },
        ),
        "water": make_session(
            room="library", start=at(1, 11), duration=60, track=tracks[5], languages=["ar", "ckb"],
            format="workshop", signup_capacity=25, speakers=[named],
            title={
                "ar": "حقوق المياه في الأهوار",
                "ckb": "مافی ئاو لە زەلکاوەکان",
                "en": "Water rights in the marshes",
            },
            abstract={"ar": "ورشة عملية عن حقوق المياه.", "en": "A practical workshop on water rights."},
        ),
        "media": make_session(
            room="tigris", start=at(1, 14), duration=60, track=tracks[1], languages=["en"],
            title={"en": "Safety for local journalists"},
        ),
        "youth": make_session(
            room="garden", start=at(1, 14), duration=60, track=tracks[2], languages=["ckb"],
            format="training", title={"ckb": "گەنجان و بەشداریکردن", "en": "Youth and participation"},
        ),
        "plenary": make_session(
            room="hall", start=at(2, 9), duration=60, track=tracks[0], languages=["ar", "ckb", "en"],
            format="plenary", interpretation_wanted=True,
            title={"ar": "الجلسة العامة الافتتاحية", "en": "Opening plenary"},
        ),
    }
    release_rows(programme["conference"])
    delegate = make_confirmed_delegate(language="ar")
    return {"url": live_server.url, "sessions": sessions, "delegate": delegate}


def sign_in_as(page, site_url, user):
    """A session cookie made the server's way; the sign-in form has tests of its own."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site_url}])


def fits(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_a_delegate_stars_two_overlapping_sessions_and_sees_the_clash(page, site, artifacts_dir):
    page.set_viewport_size(PHONE)
    sign_in_as(page, site["url"], site["delegate"])
    budgets, water = site["sessions"]["budgets"], site["sessions"]["water"]
    page.goto(f"{site['url']}/ar/{EDITION}/programme/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    notice = page.locator("[data-clash-notice]")
    assert notice.is_hidden()

    first = page.locator(f"#s-{budgets.code} button[aria-pressed]")
    unstarred_look = first.evaluate("b => getComputedStyle(b).backgroundColor")
    assert first.locator("[data-star-label]").inner_text() == first.get_attribute("data-label-unstarred")
    first.click()
    page.wait_for_selector(f"#s-{budgets.code} button[aria-pressed=true]")
    # Starred says so in words and looks different (issue 10), without a reload.
    assert first.locator("[data-star-label]").inner_text() == first.get_attribute("data-label-starred")
    assert first.get_attribute("data-label-starred") != first.get_attribute("data-label-unstarred")
    assert first.evaluate("b => getComputedStyle(b).backgroundColor") != unstarred_look
    assert notice.is_hidden()
    second = page.locator(f"#s-{water.code} button[aria-pressed]")
    second.click()
    page.wait_for_selector(f"#s-{water.code} button[aria-pressed=true]")
    notice.wait_for(state="visible")
    text = notice.inner_text()
    assert "الموازنات المحلية والمساءلة" in text and "حقوق المياه في الأهوار" in text
    assert "10:00" in text and "11:00" in text
    assert page.locator(f"#s-{budgets.code} [data-clash-marker]").is_visible()
    assert page.locator(f"#s-{water.code} [data-clash-marker]").is_visible()
    # The script did it: no reload, so no message and no fragment in the address.
    assert page.locator(".message").count() == 0 and "#" not in page.url
    fits(page, PHONE)
    page.screenshot(path=str(artifacts_dir / "programme-clash-ar-phone.png"), full_page=True)

    # The page drawn by the server says the same after a reload.
    page.reload()
    assert page.locator("[data-clash-notice]").is_visible()
    assert page.locator(f"#s-{budgets.code} button[aria-pressed]").get_attribute("aria-pressed") == "true"

    page.goto(f"{site['url']}/ar/{EDITION}/programme/agenda/")
    agenda_notice = page.locator("[data-clash-notice]")
    assert agenda_notice.is_visible()
    text = agenda_notice.inner_text()
    assert "الموازنات المحلية والمساءلة" in text and "حقوق المياه في الأهوار" in text
    assert page.locator(".session").count() == 2
    assert "Hidden Person" not in page.content() and "شخص مخفي" not in page.content()
    fits(page, PHONE)
    page.screenshot(path=str(artifacts_dir / "programme-agenda-clash-ar-phone.png"), full_page=True)

    # Unstarring one clears the warning, without a reload.
    page.goto(f"{site['url']}/ar/{EDITION}/programme/")
    page.locator(f"#s-{water.code} button[aria-pressed]").click()
    page.wait_for_selector(f"#s-{water.code} button[aria-pressed=false]")
    page.locator("[data-clash-notice]").wait_for(state="hidden")


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_programme_session_and_agenda_pages_look_right(page, site, artifacts_dir, language, viewport):
    page.set_viewport_size(viewport)
    name = "phone" if viewport is PHONE else "desktop"
    base = f"{site['url']}/{language}/{EDITION}/programme"
    page.goto(f"{base}/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator(".session").count() == 4  # day one
    assert "Hidden Person" not in page.content()
    fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"programme-{language}-{name}.png"), full_page=True)

    page.goto(f"{base}/?view=room&day=all")
    assert page.locator(".session").count() == 5
    fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"programme-rooms-{language}-{name}.png"), full_page=True)

    # Filters: open the panel, choose a language and interpretation, show.
    page.goto(f"{base}/")
    page.locator(".programme-tools summary").click()
    page.select_option("select[name=lang]", "en")
    page.check("input[name=interpretation]")
    page.locator(".programme-filters button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".session").count() == 1
    fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"programme-filtered-{language}-{name}.png"), full_page=True)

    sign_in_as(page, site["url"], site["delegate"])
    water = site["sessions"]["water"]
    page.goto(f"{base}/session/{water.code}/")
    page.locator(".signup-box button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message--success").count() == 1
    page.locator(".star-button").click()
    page.wait_for_selector(".star-button[aria-pressed=true]")
    fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"programme-session-{language}-{name}.png"), full_page=True)

    page.goto(f"{base}/agenda/")
    assert page.locator(".session").count() == 1
    assert page.locator("#agenda-feed-url").input_value().endswith(".ics")
    fits(page, viewport)
    page.screenshot(path=str(artifacts_dir / f"programme-agenda-{language}-{name}.png"), full_page=True)
