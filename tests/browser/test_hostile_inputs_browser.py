"""Looked at in Chromium: a rejection e-mail whose title, category, name and reason
carry markup shows it as text (no live link, no script ran), and the import page
refuses a 12 MB file with its message, Arabic on a phone and English on a desktop."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from conference.i18n import TranslatedText
from conference.mail import render_email
from tests.browser.viewports import DESKTOP, PHONE

pytestmark = [pytest.mark.browser]

PAYLOAD = '</title><a href="https://evil.example/">click</a><script>window.hacked = 1</script>'


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("ckb", PHONE), ("en", DESKTOP)])
def test_hostile_email_shows_markup_as_text(page, artifacts_dir, language, viewport):
    page.set_viewport_size(viewport)
    hostile = TranslatedText(dict.fromkeys(("ar", "ckb", "en"), f"Conference {PAYLOAD}"))
    context = {
        "person_name": f"Zainab {PAYLOAD}", "edition_title": hostile, "category_name": hostile,
        "status": "rejected", "status_label": "", "reason": f"Because {PAYLOAD}", "position": None,
        "offer_expires_at": None, "time_zone": zoneinfo.ZoneInfo("Asia/Baghdad"), "status_path": "/x/",
    }
    _subject, _text, html = render_email("registration_status", context, language)
    page.set_content(html)
    assert page.locator('a[href^="https://evil.example"]').count() == 0
    assert page.evaluate("window.hacked") is None
    assert "</title><a href" in page.title()
    assert "Because </title><a href" in page.inner_text("body")
    page.screenshot(path=str(artifacts_dir / f"email-hostile-{language}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_import_page_refuses_a_12_mb_file(page, live_server, client, artifacts_dir, make_conference,
                                         make_category, make_staff, language, viewport, tmp_path):
    conference = make_conference(registration_opens=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                                 registration_closes=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    make_category(conference)
    client.force_login(make_staff(conference, "organizer", language=language))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.set_viewport_size(viewport)
    big = tmp_path / "people.csv"
    big.write_text("email,passport_name,country\n" + "a@example.org,Alan Smith,IQ\n" * 430_000)
    page.goto(f"{live_server.url}/{language}/{conference.slug}/staff/registrations/import/")
    page.set_input_files("input[type=file]", str(big))
    page.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    body = page.inner_text("main")
    assert ("4" in body) and ("MB" in body or "ميغابايت" in body)
    page.screenshot(path=str(artifacts_dir / f"import-too-big-{language}.png"), full_page=True)
