"""The registration journey in Chromium, as the issue tells it: a delegate from Basra
signs up on her phone in Arabic, verifies her address from the e-mail, fills her
profile, registers and sees "pending"; an organizer (with two-factor) approves her on
a desktop; she sees "confirmed"; a second delegate finds the category full and sees
the waiting list and his position."""

import re
import time

import pytest
from django.core import mail

from conference.models import Conference, Governorate, TeamMember, User
from registrations.models import Category, Question, QuestionOption, Registration
from tests.browser.viewports import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "Basra-river-2027!"


@pytest.fixture
def site(live_server, reference_data):
    import datetime as dt

    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    from conference import services as core

    edition = Conference.objects.create(
        slug="baghdad-2027",
        title={
            "ar": "مؤتمر التضامن ٢٠٢٧",
            "ckb": "کۆنفرانسی هاوپشتی ٢٠٢٧",
            "en": "Solidarity Conference 2027",
        },
        city={"ar": "بغداد", "en": "Baghdad"},
        governorate=Governorate.objects.get(code="baghdad"),
        start_date=dt.date(2027, 4, 13),
        end_date=dt.date(2027, 4, 15),
        status=Conference.Status.OPEN,
    )
    core.conference_make_current(conference=edition)
    Category.objects.create(
        conference=edition,
        slug="delegate",
        kind="delegate",
        capacity=1,
        requires_approval=True,
        name={
            "ar": "مندوب المجتمع المدني العراقي",
            "ckb": "نوێنەری کۆمەڵگەی مەدەنی عێراق",
            "en": "Iraqi civil society delegate",
        },
    )
    question = Question.objects.create(
        conference=edition,
        kind="single",
        required=True,
        order=1,
        label={"ar": "كيف ستصل إلى بغداد؟", "en": "How will you reach Baghdad?"},
    )
    QuestionOption.objects.create(
        question=question, key="road", label={"ar": "برًا", "en": "By road"}, order=1
    )
    QuestionOption.objects.create(question=question, key="air", label={"ar": "جوًا", "en": "By air"}, order=2)
    organizer = User.objects.create_user(
        "organizer@example.org", PASSWORD, full_name="Layla Hassan", preferred_language="en"
    )
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    TeamMember.objects.create(conference=edition, user=organizer, role=TeamMember.Role.ORGANIZER)
    TOTP.activate(organizer, SECRET)
    return live_server.url


def totp_now() -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(SECRET, int(time.time()) // 30))


def fits(page, viewport) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def sign_up_and_verify(page, site, language, email, shots, name):
    page.goto(f"{site}/{language}/accounts/signup/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(site + link[link.index("/", 8) :])
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
    page.screenshot(path=str(shots / f"{name}-verified.png"), full_page=True)


def fill_profile(page, *, passport_name, arabic_name, governorate_code):
    page.fill("input[name=passport_name]", passport_name)
    page.fill("input[name=arabic_name]", arabic_name)
    page.select_option("select[name=country]", "IQ")
    page.select_option("select[name=governorate]", str(Governorate.objects.get(code=governorate_code).pk))
    page.fill("input[name=phone]", "+964 780 555 0101")
    page.check("input[name=languages][value=ar]")
    page.check("input[name=interpretation_needed][value=en]")


def test_delegate_signs_up_registers_and_is_approved_then_a_second_is_waitlisted(
    browser, site, artifacts_dir, mailoutbox
):
    zainab = browser.new_context(viewport=PHONE, locale="ar")
    page = zainab.new_page()
    sign_up_and_verify(page, site, "ar", "zainab@example.org", artifacts_dir, "registration-signup-ar")
    assert User.objects.get(email="zainab@example.org").emailaddress_set.get().verified

    # Registering without a profile leads to the profile first, then back.
    page.goto(f"{site}/ar/baghdad-2027/register/delegate/")
    assert "/ar/me/profile/" in page.url
    # A wrong entry is reported by the field and the rest is kept.
    fill_profile(page, passport_name="زينب", arabic_name="زينب كاظم", governorate_code="basra")
    page.locator("form.profile-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#field-passport_name .field__error").count() == 1
    assert page.input_value("input[name=arabic_name]") == "زينب كاظم"
    assert page.locator("html").get_attribute("dir") == "rtl"
    fits(page, PHONE)
    page.screenshot(path=str(artifacts_dir / "registration-profile-error-ar.png"), full_page=True)
    page.fill("input[name=passport_name]", "Zainab Kadhim")
    page.locator("form.profile-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/ar/baghdad-2027/register/delegate/" in page.url

    page.check(f"input[name=q_{Question.objects.get().pk}][value=road]")
    page.screenshot(path=str(artifacts_dir / "registration-form-ar.png"), full_page=True)
    page.locator("form[data-once] button[type=submit]").click()
    page.wait_for_load_state()
    assert "/ar/baghdad-2027/my-registration/" in page.url
    assert page.locator(".status-card .status").get_attribute("data-status") == "pending"
    fits(page, PHONE)
    page.screenshot(path=str(artifacts_dir / "registration-pending-ar.png"), full_page=True)

    # The organizer, on a desktop in English, signs in with two-factor and approves.
    layla = browser.new_context(viewport=DESKTOP, locale="en")
    desk = layla.new_page()
    desk.goto(f"{site}/en/accounts/login/")
    desk.fill("input[name=login]", "organizer@example.org")
    desk.fill("input[name=password]", PASSWORD)
    desk.locator("main form button[type=submit]").first.click()
    desk.wait_for_load_state()
    assert "/accounts/2fa/authenticate/" in desk.url
    desk.fill("input[name=code]", totp_now())
    desk.locator("main form button[type=submit]").first.click()
    desk.wait_for_load_state()
    desk.goto(f"{site}/en/baghdad-2027/staff/registrations/?q=زينب")
    assert desk.locator("table.registrations tbody tr").count() == 1
    desk.screenshot(path=str(artifacts_dir / "registration-staff-list-en.png"), full_page=True)
    desk.locator("table.registrations tbody input[name=selected]").check()
    desk.locator("button[name=action][value=approve]").click()
    desk.wait_for_load_state()
    assert desk.locator(".message").first.is_visible()
    assert Registration.objects.get(user__email="zainab@example.org").status == "confirmed"

    page.reload()
    assert page.locator(".status-card .status").get_attribute("data-status") == "confirmed"
    page.screenshot(path=str(artifacts_dir / "registration-confirmed-ar.png"), full_page=True)
    approved = [m for m in mailoutbox if m.to == ["zainab@example.org"]][-1]
    assert approved.extra_headers["Content-Language"] == "ar"

    # A late delegate finds the only seat taken: waiting list, position 1.
    karwan = browser.new_context(viewport=PHONE, locale="ckb")
    late = karwan.new_page()
    sign_up_and_verify(late, site, "ckb", "karwan@example.org", artifacts_dir, "registration-signup-ckb")
    late.goto(f"{site}/ckb/baghdad-2027/register/delegate/")
    fill_profile(late, passport_name="Karwan Aziz", arabic_name="کاروان عەزیز", governorate_code="erbil")
    late.locator("form.profile-form button[type=submit]").click()
    late.wait_for_load_state()
    late.check(f"input[name=q_{Question.objects.get().pk}][value=air]")
    late.locator("form[data-once] button[type=submit]").click()
    late.wait_for_load_state()
    assert late.locator(".status-card .status").get_attribute("data-status") == "pending"
    desk.goto(f"{site}/en/baghdad-2027/staff/registrations/?status=pending")
    desk.locator("table.registrations tbody input[name=selected]").check()
    desk.locator("button[name=action][value=approve]").click()
    desk.wait_for_load_state()
    late.reload()
    assert late.locator(".status-card .status").get_attribute("data-status") == "waitlisted"
    assert "1" in late.locator(".position").inner_text()
    fits(late, PHONE)
    late.screenshot(path=str(artifacts_dir / "registration-waitlisted-ckb.png"), full_page=True)
    desk.goto(f"{site}/en/baghdad-2027/staff/registrations/")
    desk.screenshot(path=str(artifacts_dir / "registration-staff-counts-en.png"), full_page=True)
    for context in (zainab, layla, karwan):
        context.close()
