"""The home page as delegates see it, in Debian's Chromium: direction, the language
switcher, fonts served by the project, and no request to any other host."""

from urllib.parse import urlsplit

import pytest

from tests.browser.viewports import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


@pytest.mark.parametrize(
    ("language", "direction", "viewport", "heading"),
    [
        ("ar", "rtl", PHONE, "مؤتمر التضامن مع المجتمع المدني العراقي ٢٠٢٧"),
        ("ckb", "rtl", PHONE, "کۆنفرانسی هاوپشتی لەگەڵ کۆمەڵگەی مەدەنیی عێراق ٢٠٢٧"),
        ("en", "ltr", DESKTOP, "Iraqi Civil Society Solidarity Conference 2027"),
        ("ar", "rtl", DESKTOP, "مؤتمر التضامن مع المجتمع المدني العراقي ٢٠٢٧"),
    ],
)
def test_home_page(page, demo_site, artifacts_dir, language, direction, viewport, heading):
    requests = watch_requests(page)
    page.set_viewport_size(viewport)
    page.goto(f"{demo_site}/{language}/")
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == direction
    assert page.locator("h1").inner_text() == heading
    assert page.locator(".track-list__item").count() == 9
    switcher = page.locator("[data-language-switcher] button")
    assert switcher.count() == 3
    assert page.locator("[data-language-switcher] button[aria-current=true]").get_attribute(
        "value") == language
    # The project's own web fonts are used and load from this host.
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Tadamun Sans\"', 'ئاشتی peace')")
    assert any("/static/vendor/noto-sans-arabic/" in url for url in requests) or language == "en"
    # Nothing leaves 127.0.0.1.
    hosts = {urlsplit(url).hostname for url in requests if not url.startswith("data:")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    name = f"home-{language}-{'phone' if viewport is PHONE else 'desktop'}.png"
    page.screenshot(path=str(artifacts_dir / name), full_page=True)


def test_switcher_keeps_the_page(page, demo_site, artifacts_dir):
    requests = watch_requests(page)
    page.set_viewport_size(PHONE)
    page.goto(f"{demo_site}/ar/organizations/?kind=union")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("[data-language-switcher] button[value=en]").click()
    page.wait_for_url(f"{demo_site}/en/organizations/?kind=union")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("h1").inner_text() == "Organisations of the network"
    page.locator("[data-language-switcher] button[value=ckb]").click()
    page.wait_for_url(f"{demo_site}/ckb/organizations/?kind=union")
    assert page.locator("html").get_attribute("lang") == "ckb"
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path=str(artifacts_dir / "organizations-ckb-phone.png"), full_page=True)
    # The choice is remembered: the bare root now opens in Sorani.
    page.goto(f"{demo_site}/")
    assert urlsplit(page.url).path == "/ckb/"
    hosts = {urlsplit(url).hostname for url in requests}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts


def test_keyboard_users_can_skip_to_content(page, demo_site):
    page.goto(f"{demo_site}/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"


def test_unknown_prefix_404_page_in_browser(page, demo_site, artifacts_dir):
    page.set_viewport_size(PHONE)
    page.set_extra_http_headers({"Accept-Language": "ar-IQ,ar;q=0.9"})
    response = page.goto(f"{demo_site}/fr/")
    assert response.status == 404
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path=str(artifacts_dir / "404-ar-phone.png"), full_page=True)
