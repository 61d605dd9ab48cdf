"""The staff action log as organizers read it: Arabic on a phone, English on a desktop."""

import pytest

from tests.browser.test_pages_browser import sign_in
from tests.browser.viewports import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITION = "baghdad-2027"


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_the_action_log_page(page, demo_site, artifacts_dir, language, viewport, mailoutbox):
    from conference.models import ActionLog, Conference, TeamMember, User
    from conference.services import team_member_add

    edition = Conference.objects.get(slug=EDITION)
    organizer = User.objects.get(email="organizer@example.org")
    newcomer = User.objects.create_user("newcomer@example.org", full_name="Shirin Qadir · شیرین قادر")
    team_member_add(conference=edition, user=newcomer, role=TeamMember.Role.REVIEWER, added_by=organizer)
    assert ActionLog.objects.filter(conference=edition).count() > 1

    page.set_viewport_size(viewport)
    sign_in(page, demo_site, language, "organizer@example.org")
    page.goto(f"{demo_site}/{language}/{EDITION}/staff/")
    page.locator(f"a[href='/{language}/{EDITION}/staff/log/']").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.locator("ol.action-log > li.card").count() > 1
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # The first screenful: a full page of 50 entries is too tall to look at.
    page.screenshot(path=str(artifacts_dir / f"staff-action-log-{language}.png"))

    page.select_option("select[name=group]", "team")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    cards = page.locator("ol.action-log > li.card")
    assert cards.count() == 1
    assert "شیرین قادر" in cards.first.inner_text()
    page.screenshot(path=str(artifacts_dir / f"staff-action-log-team-{language}.png"), full_page=True)
