"""A delegate proposes a workshop on water rights in the heritage-and-environment track
with an invited speaker, in Arabic on a phone and in English on a desktop: the form,
its errors (everything typed kept) and the list of proposals, screenshotted."""

import datetime as dt

import pytest
from django.utils import timezone

from sessions.models import CallForSessions, Proposal
from tests.browser.viewports import DESKTOP, PHONE

# The programme's fixtures, shared with the service tests.
from tests.sessions.conftest import make_confirmed_delegate, programme  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_with_password(page, site, language, email):
    page.goto(f"{site}/{language}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "correct horse battery")
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/" not in page.url, page.url


def shoot(page, artifacts_dir, name, viewport):
    """The whole page, and the same cut into screen-high pieces that can be looked at."""
    page.screenshot(path=str(artifacts_dir / f"{name}.png"), full_page=True)
    height = page.evaluate("document.documentElement.scrollHeight")
    for index, top in enumerate(range(0, height, viewport["height"])):
        clip = {"x": 0, "y": top, "width": viewport["width"], "height": min(viewport["height"], height - top)}
        page.screenshot(path=str(artifacts_dir / f"{name}-part{index + 1}.png"), full_page=True, clip=clip)


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_a_delegate_proposes_a_workshop_with_an_invitee(
    page,
    live_server,
    artifacts_dir,
    programme,  # noqa: F811
    make_confirmed_delegate,  # noqa: F811
    mailoutbox,
    language,
    viewport,
):
    from allauth.account.models import EmailAddress

    from conference.models import Organization, Track

    now = timezone.now()
    CallForSessions.objects.filter(conference=programme["conference"]).update(
        opens_at=now - dt.timedelta(days=10),
        closes_at=now + dt.timedelta(days=40),
        intro={
            "ar": "اقترحوا جلسات تخدم محاور الميثاق التسعة.",
            "en": "Propose sessions that serve the charter's nine tracks.",
        },
    )
    guardians = Organization.objects.create(
        slug="chibayish-marsh-guardians",
        name="Chibayish Marsh Guardians",
        name_ar="حماة أهوار الجبايش",
        kind="ngo",
        country="IQ",
    )
    delegate = make_confirmed_delegate("amal@example.org", language=language, organization=guardians)
    EmailAddress.objects.create(user=delegate, email=delegate.email, verified=True, primary=True)
    heritage = Track.objects.get(slug="heritage-environment")
    site = live_server.url

    page.set_viewport_size(viewport)
    sign_in_with_password(page, site, language, delegate.email)
    page.goto(f"{site}/{language}/baghdad-2027/propose/")
    page.locator(f"a[href='/{language}/baghdad-2027/propose/new/']").first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.input_value("input[name='speakers-0-email']") == delegate.email
    shoot(page, artifacts_dir, f"cfp-form-{language}", viewport)

    page.fill("input[name=title_ar]", "الحق في المياه في الأهوار")
    page.fill("input[name=title_en]", "Water rights in the marshes")
    page.fill("textarea[name=abstract_ar]", "كيف تدافع عائلات الأهوار عن حقها في المياه.")
    page.check("input[name=format][value=workshop]")
    page.select_option("select[name=track]", str(heritage.pk))
    page.check("input[name=languages][value=ar]")
    page.check("input[name=languages][value=en]")
    page.check("input[name=interpretation_wanted]")
    page.fill("input[name=duration]", "90")
    page.fill("input[name=expected_audience]", "25")
    page.fill("input[name=signup_capacity]", "25")
    page.select_option("select[name='speakers-0-role']", "facilitator")
    page.fill("input[name='speakers-1-email']", "nadia@example.org")
    # Two windows that overlap: refused, with both named, and nothing typed is lost.
    page.fill("textarea[name='speakers-1-availability']", "2027-04-13 09:00-12:00\n2027-04-13 11:00-13:00")
    page.locator("form.cfp-form button[type=submit]").click()
    page.wait_for_load_state()
    error = page.locator("#field-speakers-1-availability .field__error")
    assert error.count() == 1
    message = error.inner_text().replace("\u2011", "-")
    assert "2027-04-13 09:00" in message and "2027-04-13 11:00" in message
    assert page.input_value("input[name=title_en]") == "Water rights in the marshes"
    assert page.input_value("input[name='speakers-1-email']") == "nadia@example.org"
    assert page.is_checked("input[name=format][value=workshop]")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shoot(page, artifacts_dir, f"cfp-form-error-{language}", viewport)

    page.fill("textarea[name='speakers-1-availability']", "2027-04-13 09:00-12:00\n2027-04-14 14:00-17:00")
    page.locator("form.cfp-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/{language}/baghdad-2027/propose/")
    proposal = Proposal.objects.get()
    assert (proposal.format, proposal.track_id, proposal.organization_id) == (
        "workshop",
        heritage.pk,
        guardians.pk,
    )
    confirmed = {speaker.email: speaker.confirmed_at is not None for speaker in proposal.speakers.all()}
    assert confirmed == {"amal@example.org": True, "nadia@example.org": False}
    assert page.locator(".cfp-proposal").count() == 1
    shoot(page, artifacts_dir, f"cfp-home-{language}", viewport)
    assert sorted(message.to[0] for message in mailoutbox) == ["amal@example.org", "nadia@example.org"]


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_an_organizer_sets_up_rooms_and_days(
    page,
    live_server,
    artifacts_dir,
    client,
    programme,  # noqa: F811
    make_staff,
    language,
    viewport,
):
    from conference.models import TeamMember
    from sessions.models import Room

    organizer = make_staff(programme["conference"], TeamMember.Role.ORGANIZER, language=language)
    # The session of a signed-in organizer (the two-factor sign-in has tests of its own).
    client.force_login(organizer)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page.set_viewport_size(viewport)
    base = f"{live_server.url}/{language}/baghdad-2027/staff/programme"

    page.goto(f"{base}/rooms/new/")
    page.fill("input[name=name_ar]", "قاعة الفرات")
    page.fill("input[name=name_en]", "Euphrates room")
    page.fill("input[name=capacity]", "0")
    page.check("input[name=interpretation_booth]")
    page.fill("input[name=zone_ar]", "الملحق")
    page.fill("input[name=zone_en]", "annex")
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#field-capacity .field__error").count() == 1
    assert page.input_value("input[name=name_en]") == "Euphrates room"
    shoot(page, artifacts_dir, f"programme-room-error-{language}", viewport)
    page.fill("input[name=capacity]", "60")
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/staff/programme/settings/")
    room = Room.objects.get(slug="euphrates-room")
    assert room.interpretation_booth and room.zone == {"ar": "الملحق", "en": "annex"}
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shoot(page, artifacts_dir, f"programme-settings-{language}", viewport)
