"""The passport role asked for, seen and approved on the team page, and the network's
proposals page, as their users see them: Arabic on a phone, English on a desktop."""

import pytest

from conference.models import RoleGrantEvent, TeamMember, User
from tests.browser.test_pages_browser import sign_in
from tests.browser.viewports import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITION = "baghdad-2027"


def shoot(page, artifacts_dir, name, language, viewport):
    assert page.locator("html").get_attribute("lang") == language
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
    page.screenshot(path=str(artifacts_dir / f"{name}-{language}.png"), full_page=True)


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_the_passport_role_waits_for_a_second_organizer(page, demo_site, artifacts_dir, language,
                                                        viewport, mailoutbox):
    from conference import services
    from conference.models import Conference

    edition = Conference.objects.get(slug=EDITION)
    second = User.objects.create_user("second@example.org", full_name="Hêmin Rashid · هێمن ڕەشید",
                                      preferred_language="ckb")
    TeamMember.objects.create(conference=edition, user=second, role=TeamMember.Role.ORGANIZER)
    venue = User.objects.get(email="venue@example.org")
    services.team_role_request(conference=edition, user=venue, role=TeamMember.Role.VISA_OFFICER,
                               requested_by=second)

    page.set_viewport_size(viewport)
    sign_in(page, demo_site, language, "organizer@example.org")
    page.goto(f"{demo_site}/{language}/{EDITION}/staff/")
    page.fill("input[name=email]", "reviewer@example.org")
    page.select_option("select[name=role]", "visa_officer")
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_load_state()
    assert not TeamMember.objects.filter(user__email="reviewer@example.org",
                                         role="visa_officer").exists()
    cards = page.locator("#pending-grants ~ ul .card")
    assert cards.count() == 2
    # The organizer's own request: withdraw only. The other organizer's: approve or refuse.
    assert page.locator("button[name=approve]").count() == 1
    assert page.locator("button[name=withdraw]").count() == 1
    shoot(page, artifacts_dir, "staff-team-pending", language, viewport)
    page.locator("button[name=approve]").click()
    page.wait_for_load_state()
    assert page.locator(".message--success").count() == 1
    assert TeamMember.objects.filter(user=venue, role="visa_officer").exists()
    assert RoleGrantEvent.objects.filter(action="approved", by__email="organizer@example.org").exists()
    assert page.locator("#pending-grants ~ ul .card").count() == 1
    shoot(page, artifacts_dir, "staff-team-approved", language, viewport)


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_the_network_proposals_page(page, demo_site, artifacts_dir, language, viewport):
    from registrations.models import OrganizationProposal

    page.set_viewport_size(viewport)
    sign_in(page, demo_site, language, "admin@example.org")
    page.goto(f"{demo_site}/{language}/staff/organisation-proposals/")
    waiting = OrganizationProposal.objects.filter(status="pending").count()
    assert waiting > 0
    assert page.locator("ul.cards > li.card").count() == waiting
    shoot(page, artifacts_dir, "directory-proposals", language, viewport)
    page.goto(f"{demo_site}/{language}/{EDITION}/staff/organisation-proposals/")
    shoot(page, artifacts_dir, "staff-proposals-scoped", language, viewport)
