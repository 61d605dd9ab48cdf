"""What issue 10's privacy fixes change on screen, in Chromium: an invited delegate
confirms from their proposals page, the proposer sees every speaker "invited", a reviewer
reads "a speaker at risk" (and no names at all under an anonymous review), the
organizer's switch for it, the visa officer's flag on a shared passport number, the
expiry warning on the staff page and an expired passport refused by its field. Arabic
on a phone and English on a desktop; the page never scrolls sideways."""

import datetime as dt

import pytest

from conference.models import Organization
from sessions import cfp
from sessions.models import CallForSessions, Speaker
from tests.browser.test_review_browser import PASSWORD, shoot, sign_in, staff_with_known_code
from tests.browser.viewports import DESKTOP, PHONE
from tests.sessions.conftest import make_confirmed_delegate, programme  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def delegate_sign_in(page, site, language, user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    page.context.clear_cookies()
    page.goto(f"{site}/{language}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/" not in page.url, page.url


def staff_sign_in(page, site, language, user):
    page.context.clear_cookies()
    sign_in(page, site, language, user)


@pytest.fixture
def site(live_server, programme, make_staff, make_confirmed_delegate, mailoutbox):  # noqa: F811
    conference = programme["conference"]
    basra = Organization.objects.create(
        slug="basra", name="Basra Water Forum", name_ar="منتدى مياه البصرة", kind="ngo", country="IQ"
    )
    amal = make_confirmed_delegate(
        "amal@example.org",
        organization=basra,
        passport_name="Amal Hassan",
        arabic_name="أمل حسن",
        passport_number="A1234567",
        passport_expiry=dt.date(2027, 8, 1),
    )
    layla = make_confirmed_delegate("layla@example.org", passport_name="Layla Hamid", at_risk=True)
    karim = make_confirmed_delegate(
        "karim@example.org", passport_name="Karim Aziz", arabic_name="كريم عزيز", passport_number="a123 4567"
    )
    proposal = cfp.submit_proposal(
        conference=conference,
        proposer=amal,
        data={
            "title": {"ar": "حقوق المياه في الأهوار", "en": "Water rights in the marshes"},
            "abstract": {"ar": "عائلات الأهوار والقانون.", "en": "Marsh families and the law."},
            "format": "workshop",
            "track": programme["tracks"][0],
            "languages": ["ar", "en"],
            "duration": 90,
            "signup_capacity": 25,
        },
        speakers=[
            {"email": amal.email, "role": "facilitator"},
            {"email": layla.email},
            {"email": karim.email},
            {"email": "guest@example.org"},
        ],
    )
    layla_speaker = proposal.speakers.get(email=layla.email)
    cfp.confirm_speaker(token=layla_speaker.invite_token, user=layla)
    reviewer = staff_with_known_code(make_staff(conference, "reviewer", "reviewer@example.org", name="Huda"))
    organizer = staff_with_known_code(make_staff(conference, "organizer", "organizer@example.org"))
    visa = staff_with_known_code(make_staff(conference, "visa_officer", "visa@example.org"))
    return {
        "url": live_server.url,
        "edition": conference.slug,
        "proposal": proposal,
        "people": {"amal": amal, "karim": karim},
        "staff": {"reviewer": reviewer, "organizer": organizer, "visa": visa},
    }


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_speakers_are_invited_and_confirm_from_their_page(page, site, artifacts_dir, language, viewport):
    page.set_viewport_size(viewport)
    base = f"{site['url']}/{language}/{site['edition']}"
    delegate_sign_in(page, site["url"], language, site["people"]["amal"])
    page.goto(f"{base}/propose/")
    # Karim is a delegate, yet shows "invited" like the guest.
    assert page.locator(".cfp-speaker-list .tag--waiting").count() == 2
    shoot(page, artifacts_dir, "privacy-cfp-proposer", language, viewport)
    delegate_sign_in(page, site["url"], language, site["people"]["karim"])
    page.goto(f"{base}/propose/")
    card = page.locator(".cfp-invitation")
    assert card.count() == 1
    shoot(page, artifacts_dir, "privacy-cfp-invited", language, viewport)
    card.locator("button[value=confirm]").click()
    page.wait_for_load_state()
    assert Speaker.objects.get(email="karim@example.org").confirmed_at is not None
    page.goto(f"{base}/propose/")
    assert page.locator(".cfp-invitation").count() == 0


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_reviewers_never_read_a_name_at_risk(page, site, artifacts_dir, language, viewport):
    page.set_viewport_size(viewport)
    staff = f"{site['url']}/{language}/{site['edition']}/staff"
    address = f"{staff}/review/{site['proposal'].code}/"
    staff_sign_in(page, site["url"], language, site["staff"]["reviewer"])
    page.goto(address)
    speakers = page.locator(".review-speakers").inner_text()
    assert "Layla Hamid" not in speakers and "guest@example.org" not in speakers
    assert "Amal Hassan" in page.content() or "أمل حسن" in page.content()
    shoot(page, artifacts_dir, "privacy-review-at-risk", language, viewport)
    CallForSessions.objects.filter(conference__slug=site["edition"]).update(anonymous_review=True)
    page.goto(address)
    body = page.content()
    assert "Amal Hassan" not in body and "أمل حسن" not in body and "Basra Water Forum" not in body
    shoot(page, artifacts_dir, "privacy-review-anonymous", language, viewport)
    staff_sign_in(page, site["url"], language, site["staff"]["organizer"])
    page.goto(f"{staff}/programme/settings/")
    assert page.locator("input[name=anonymous_review]").is_checked()
    shoot(page, artifacts_dir, "privacy-programme-settings", language, viewport)


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_passport_flags_and_expiry_on_staff_and_profile_pages(page, site, artifacts_dir, language, viewport):
    from registrations.models import Registration

    page.set_viewport_size(viewport)
    staff = f"{site['url']}/{language}/{site['edition']}/staff"
    staff_sign_in(page, site["url"], language, site["staff"]["visa"])
    page.goto(f"{staff}/registrations/?shared_passport=on")
    assert page.locator("table.registrations .tag--warning").count() == 2
    shoot(page, artifacts_dir, "privacy-staff-shared-passports", language, viewport)
    amal = Registration.objects.get(user=site["people"]["amal"])
    page.goto(f"{staff}/registrations/{amal.uuid}/")
    assert page.locator(".message--warning").count() == 2  # expiry, shared number
    shoot(page, artifacts_dir, "privacy-staff-detail-visa", language, viewport)
    staff_sign_in(page, site["url"], language, site["staff"]["organizer"])
    page.goto(f"{staff}/registrations/{amal.uuid}/")
    assert page.locator(".message--warning").count() == 1  # expiry only, no date
    assert "2027-08-01" not in page.content()
    shoot(page, artifacts_dir, "privacy-staff-detail-organizer", language, viewport)
    delegate_sign_in(page, site["url"], language, site["people"]["karim"])
    page.goto(f"{site['url']}/{language}/me/profile/")
    page.fill("input[name=passport_expiry]", "2024-05-01")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("#field-passport_expiry .field__error").count() == 1
    page.locator("#field-passport_expiry").scroll_into_view_if_needed()
    shoot(page, artifacts_dir, "privacy-profile-expired", language, viewport)
    page.screenshot(path=str(artifacts_dir / f"privacy-profile-expired-{language}-field.png"))
