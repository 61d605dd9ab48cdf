"""Review in Chromium: a reviewer scores a proposal (a refused form keeps the typed
scores), then sees the others' scores; an organizer accepts two proposals at once.
Screenshots in Arabic on a phone and English on a desktop, looked at."""

import time

import pytest

from conference.models import Organization
from sessions import review
from sessions.models import Proposal, Review, ReviewCriterion, Slot, Speaker
from tests.browser.viewports import DESKTOP, PHONE
from tests.sessions.conftest import programme  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "correct horse battery"  # what tests/conftest.py's make_user sets


def staff_with_known_code(user):
    """make_staff gives a random TOTP secret; the browser must type its code."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    Authenticator.objects.filter(user=user).delete()
    TOTP.activate(user, SECRET)
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def sign_in(page, site, language, user):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
    from django.core.cache import cache

    page.goto(f"{site}/{language}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()
    code = format_hotp_value(hotp_value(SECRET, int(time.time()) // 30))
    # A code counts once per account and period: forget it was used by an earlier test.
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    cache.delete(TOTP(authenticator)._get_used_cache_key(code))
    page.fill("input[name=code]", code)
    page.locator("form[action$='/2fa/authenticate/'] button[type=submit]:not([form])").click()
    page.wait_for_load_state()
    assert "/accounts/" not in page.url, page.url


def shoot(page, artifacts_dir, name, language, viewport, full=True):
    assert page.locator("html").get_attribute("lang") == language
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
    page.screenshot(path=str(artifacts_dir / f"{name}-{language}.png"), full_page=full)


@pytest.fixture
def site(live_server, programme, make_staff, make_delegate):  # noqa: F811
    from registrations import services as registration_services

    conference = programme["conference"]
    tracks = programme["tracks"]
    basra = Organization.objects.create(
        slug="basra", name="Basra Water Forum", name_ar="منتدى مياه البصرة", kind="ngo", country="IQ"
    )
    erbil = Organization.objects.create(
        slug="erbil", name="Erbil Women's Network", name_ar="شبكة نساء أربيل", kind="ngo", country="IQ"
    )
    ReviewCriterion.objects.create(
        conference=conference, order=1, max_score=5, weight=2,
        name={"ar": "الصلة بالمحور", "ckb": "پەیوەندی بە تەوەرەوە", "en": "Fits the track"},
        help_text={"ar": "هل يخدم المقترح أهداف المحور؟", "en": "Does it serve the track's aims?"},
    )
    ReviewCriterion.objects.create(
        conference=conference, order=2, max_score=5, weight=1,
        name={"ar": "قابلية التنفيذ", "ckb": "توانای جێبەجێکردن", "en": "Feasibility"},
    )
    reviewer = staff_with_known_code(make_staff(conference, "reviewer", "reviewer@example.org",
                                                name="Huda Reviewer"))
    organizer = staff_with_known_code(make_staff(conference, "organizer", "organizer@example.org",
                                                 name="Layla Organizer"))
    colleague = make_staff(conference, "reviewer", "colleague@example.org", name="Sami Colleague")
    # The reviewer works for Basra Water Forum: its two proposals stay out of her queue.
    registration_services.profile_save(
        user=reviewer, data={"passport_name": "Huda Reviewer", "country": "IQ", "organization": basra}
    )
    speakers = [make_delegate(f"speaker{n}@example.org", language=lang) for n, lang in
                enumerate(["ar", "ckb", "en", "ar"])]
    titles = [
        ({"ar": "حقوق المياه في الأهوار", "en": "Water rights in the marshes"}, "workshop", 0, basra),
        ({"ar": "النساء في النقابات العمالية: تجارب من الجنوب والشمال", "ckb": "ژنان لە سەندیکاکاندا",
          "en": "Women in trade unions: experiences from the south and the north"}, "panel", 0, erbil),
        ({"ar": "التراث الشفهي للموصل", "en": "Mosul's oral heritage"}, "training", 1, None),
        ({"ar": "الصحافة المستقلة تحت الضغط", "en": "Independent media under pressure"}, "panel", 1, basra),
        ({"ar": "اللاعنف في الاحتجاجات", "en": "Nonviolence in protests"}, "plenary", 2, erbil),
    ]
    made = []
    for n, (title, fmt, track, org) in enumerate(titles):
        proposal = Proposal.objects.create(
            conference=conference, title=title, format=fmt, track=tracks[track], organization=org,
            abstract={"ar": "نبذة عن الجلسة وأهدافها ومن تخدم.", "en": "What it is about, whom it serves."},
            languages=["ar", "en"] if n % 2 else ["ar", "ckb"], interpretation_wanted=bool(n % 2),
            duration=90, expected_audience=40, proposer=speakers[n % 4],
        )
        Speaker.objects.create(proposal=proposal, user=speakers[n % 4], email=speakers[n % 4].email,
                               confirmed_at=proposal.created_at)
        Speaker.objects.create(proposal=proposal, email=f"guest{n}@example.org", order=1)
        made.append(proposal)
    criteria = list(ReviewCriterion.objects.filter(conference=conference))
    for n, proposal in enumerate(made):
        review.save_review(proposal=proposal, reviewer=colleague,
                           scores={c.pk: (n + c.pk) % 6 for c in criteria}, comment="Promising but vague.")
    return {"url": live_server.url, "conference": conference, "reviewer": reviewer, "organizer": organizer,
            "proposals": made}


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_a_reviewer_scores_a_proposal(page, site, artifacts_dir, language, viewport):
    page.set_viewport_size(viewport)
    sign_in(page, site["url"], language, site["reviewer"])
    base = f"{site['url']}/{language}/{site['conference'].slug}/staff"
    page.goto(f"{base}/review/")
    assert page.locator(".review-queue__item").count() == 3
    for own in (p for p in site["proposals"] if p.organization and p.organization.slug == "basra"):
        assert page.locator(f"a[href$='/review/{own.code}/']").count() == 0
    shoot(page, artifacts_dir, "review-queue", language, viewport)
    target = site["proposals"][1]
    page.locator(f"a[href$='/review/{target.code}/']").click()
    page.wait_for_load_state()
    # Before scoring: the colleague's review is hidden, only counted.
    assert "Promising but vague." not in page.content()
    fields = page.locator(".review-form fieldset.choices")
    assert fields.count() == 2
    # Only the first criterion scored: refused, and the typed score and comment stay.
    fields.nth(0).locator("label.choice", has_text="4").click()
    page.fill("textarea[name=comment]", "Clear plan; the speakers know the field.")
    page.locator(".review-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".field__error").count() == 1
    assert page.locator(".review-form fieldset.choices").nth(0).locator("input[value='4']").is_checked()
    assert page.input_value("textarea[name=comment]") == "Clear plan; the speakers know the field."
    shoot(page, artifacts_dir, "review-form-error", language, viewport)
    page.locator(".review-form fieldset.choices").nth(1).locator("label.choice", has_text="3").click()
    page.locator(".review-form button[type=submit]").click()
    page.wait_for_load_state()
    saved = Review.objects.get(reviewer=site["reviewer"], proposal=target)
    assert saved.score == 73.3  # (2 * 4/5 + 3/5) / 3
    assert page.locator(".message").count() == 1
    assert "Promising but vague." in page.content()
    shoot(page, artifacts_dir, "review-form", language, viewport)


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_organizer_accepts_two_at_once(page, site, artifacts_dir, language, viewport, mailoutbox):
    page.set_viewport_size(viewport)
    sign_in(page, site["url"], language, site["organizer"])
    page.goto(f"{site['url']}/{language}/{site['conference'].slug}/staff/programme/proposals/")
    assert page.locator("table.proposals tbody tr").count() == 5
    shoot(page, artifacts_dir, "programme-proposals", language, viewport)
    page.screenshot(path=str(artifacts_dir / f"programme-proposals-{language}-top.png"))
    first, second = site["proposals"][0], site["proposals"][2]
    page.check(f"#sel-{first.code}")
    page.check(f"#sel-{second.code}")
    page.fill("textarea[name=note]", "Welcome to the programme.")
    page.locator("button[name=action][value=accept]").click()
    page.wait_for_load_state()
    accepted = Proposal.objects.filter(state="accepted").values_list("pk", flat=True)
    assert set(accepted) == {first.pk, second.pk}
    assert Slot.objects.filter(schedule__version=None, room=None).count() == 2
    assert page.locator(".message--success").count() == 1
    assert page.locator('.status[data-status="accepted"]').count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([first.proposer.email, second.proposer.email])
    shoot(page, artifacts_dir, "programme-proposals-accepted", language, viewport)
    # An organizer's view of one proposal: every review, and the decision buttons.
    page.locator(f"a[href$='/review/{site['proposals'][1].code}/']").click()
    page.wait_for_load_state()
    assert "Promising but vague." in page.content()
    assert page.locator("button[name=action][value=accept]").is_visible()
    shoot(page, artifacts_dir, "review-proposal-organizer", language, viewport)
    page.goto(f"{site['url']}/{language}/{site['conference'].slug}/staff/programme/criteria/")
    shoot(page, artifacts_dir, "review-criteria", language, viewport)
    page.locator("a[href$='/criteria/new/']").click()
    page.wait_for_load_state()
    page.fill("input[name=name_en]", "Reaches women and young people")
    page.fill("input[name=max_score]", "0")
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".field__error").count() == 1
    assert page.input_value("input[name=name_en]") == "Reaches women and young people"
    shoot(page, artifacts_dir, "review-criterion-form", language, viewport)
    page.fill("input[name=max_score]", "3")
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_load_state()
    assert ReviewCriterion.objects.filter(name__en="Reaches women and young people", max_score=3).exists()


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_decision_emails_in_each_language(page, artifacts_dir, language):
    from conference.i18n import as_translated
    from conference.mail import render_email

    page.set_viewport_size(PHONE)
    title = as_translated({"ar": "حقوق المياه", "ckb": "مافی ئاو", "en": "Water rights"})
    edition = as_translated(
        {"ar": "مؤتمر التضامن ٢٠٢٧", "ckb": "کۆنفرانسی هاوپشتی ٢٠٢٧", "en": "Solidarity 2027"}
    )
    subjects = set()
    for accepted in (True, False):
        context = {
            "accepted": accepted, "person_name": "Shilan Omer", "edition_title": edition,
            "session_title": title, "code": "K7M2QX", "note": "Bring the maps, please.",
            "link_path": f"/{language}/baghdad-2027/",
        }
        subject, text, html = render_email("programme_decision", context, language)
        subjects.add(subject)
        assert title.get_in(language) in subject and edition.get_in(language) in subject
        assert "Bring the maps, please." in text and "K7M2QX" in text
        page.set_content(html)
        direction = page.evaluate("getComputedStyle(document.querySelector('body > div')).direction")
        assert direction == ("ltr" if language == "en" else "rtl")
        name = "accepted" if accepted else "rejected"
        page.screenshot(path=str(artifacts_dir / f"email-decision-{name}-{language}.png"), full_page=True)
    assert len(subjects) == 2
