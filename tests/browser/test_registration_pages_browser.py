"""Every registration page as its users see it, on the demo data: Arabic on a phone and
English on a desktop. The page itself never scrolls sideways on a phone (wide tables
scroll inside their own box)."""

import pytest

from registrations.models import Category, Registration
from tests.browser.test_pages_browser import sign_in
from tests.browser.viewports import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITION = "baghdad-2027"


def shoot(page, artifacts_dir, name, language, viewport):
    assert page.locator("html").get_attribute("lang") == language
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
    page.screenshot(path=str(artifacts_dir / f"{name}-{language}.png"), full_page=True)
    # The first screen alone too: long lists make the full page too tall to read.
    page.screenshot(path=str(artifacts_dir / f"{name}-{language}-top.png"))


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_organizer_pages(page, demo_site, artifacts_dir, language, viewport):
    page.set_viewport_size(viewport)
    sign_in(page, demo_site, language, "organizer@example.org")
    base = f"{demo_site}/{language}/{EDITION}/staff"
    page.goto(f"{base}/registrations/")
    assert (
        page.locator(".counts tbody tr").count() == Category.objects.filter(conference__slug=EDITION).count()
    )
    shoot(page, artifacts_dir, "staff-registrations", language, viewport)
    page.goto(f"{base}/registrations/?status=pending")
    pending = Registration.objects.filter(conference__slug=EDITION, status="pending").count()
    assert str(pending) in page.locator("#list").inner_text()
    page.locator("table.registrations tbody a").first.click()
    page.wait_for_load_state()
    assert page.locator("#history-h").is_visible()
    # Organizers never see passport data, not even the button to show it.
    assert page.locator("#passport-h").count() == 0
    shoot(page, artifacts_dir, "staff-registration-detail", language, viewport)
    for path, name in (
        ("categories/", "staff-categories"),
        ("categories/delegate/", "staff-category-form"),
        ("registrations/import/", "staff-import"),
        ("organisation-proposals/", "staff-proposals"),
    ):
        page.goto(f"{base}/{path}")
        shoot(page, artifacts_dir, name, language, viewport)


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_visa_officer_reveals_a_passport_and_the_view_is_logged(
    page, demo_site, artifacts_dir, language, viewport
):
    from registrations.models import PassportAccessLog

    page.set_viewport_size(viewport)
    sign_in(page, demo_site, language, "visa@example.org")
    registration = Registration.objects.filter(
        conference__slug=EDITION, user__delegate_profile__passport_number_hash__gt=""
    ).first()
    page.goto(f"{demo_site}/{language}/{EDITION}/staff/registrations/{registration.uuid}/")
    assert page.locator("#passport-h").is_visible()
    before = PassportAccessLog.objects.count()
    page.locator("#passport-h ~ p a").click()
    page.wait_for_load_state()
    assert PassportAccessLog.objects.count() == before + 1
    number = registration.user.delegate_profile.passport_number
    assert number in page.locator("#passport-h").locator("..").inner_text()
    shoot(page, artifacts_dir, "staff-passport", language, viewport)


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_delegate_pages(page, demo_site, artifacts_dir, language, viewport):
    page.set_viewport_size(viewport)
    waiting = Registration.objects.filter(conference__slug=EDITION, status="waitlisted").select_related(
        "user"
    )
    person = waiting.first().user
    sign_in(page, demo_site, language, person.email)
    page.goto(f"{demo_site}/{language}/{EDITION}/my-registration/")
    assert page.locator(".status-card .status").get_attribute("data-status") == "waitlisted"
    shoot(page, artifacts_dir, "delegate-status-waitlisted", language, viewport)
    page.goto(f"{demo_site}/{language}/me/profile/")
    assert page.input_value("input[name=passport_name]") == person.delegate_profile.passport_name
    shoot(page, artifacts_dir, "delegate-profile", language, viewport)
    page.goto(f"{demo_site}/{language}/me/delete/")
    shoot(page, artifacts_dir, "delegate-delete", language, viewport)
    page.goto(f"{demo_site}/{language}/{EDITION}/participants/")
    assert page.locator(".participant-list .card").count() > 10
    shoot(page, artifacts_dir, "participants", language, viewport)
