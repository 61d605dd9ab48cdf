"""The registration pages through the test client: forms that keep what was typed,
refusals with reasons, the organizer's list, and the delegate's own data."""

import datetime as dt
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.models import Governorate, Organization, OutgoingEmail, TeamMember
from registrations import services
from registrations.models import (
    Answer,
    Category,
    DelegateProfile,
    OrganizationProposal,
    PassportAccessLog,
    Question,
    QuestionOption,
    Registration,
)

S = Registration.Status
pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def profile_post(**overrides):
    data = {
        "passport_name": "Zainab Kadhim",
        "arabic_name": "زينب كاظم",
        "badge_name": "",
        "country": "IQ",
        "governorate": str(Governorate.objects.get(code="basra").pk),
        "phone": "+964 770 123 4567",
        "languages": ["ar", "en"],
        "interpretation_needed": ["en"],
        "gender": "woman",
        "passport_number": "A1234567",
        "passport_expiry": "2031-05-01",
        "nationality": "IQ",
        "date_of_birth": "1999-02-03",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_profile_errors_sit_by_their_fields_and_keep_the_input(client, make_user, reference_data):
    client.force_login(make_user(language="ar"))
    response = client.post(
        "/en/me/profile/", profile_post(passport_name="زينب", governorate="", phone="call me")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Write the name in Latin letters" in body
    assert "Choose the governorate you live in." in body
    assert "Write the number with its country code" in body
    assert 'value="call me"' in body and 'value="A1234567"' in body
    assert not DelegateProfile.objects.exists()
    # Arabic page: the same error, translated, beside the field.
    body = client.post("/ar/me/profile/", profile_post(passport_name="زينب")).content.decode()
    assert "Write the name in Latin letters" not in body
    assert 'class="field__error"' in body


def test_profile_saves_encrypted_and_proposes_an_organisation(client, make_user, reference_data):
    user = make_user()
    client.force_login(user)
    response = client.post(
        "/en/me/profile/",
        profile_post(
            organization_missing="on",
            proposed_name="Basra Water Defenders",
            proposed_kind="movement",
            at_risk="on",
            public_listing="on",
        ),
    )
    assert response.status_code == 302
    profile = DelegateProfile.objects.get(user=user)
    assert profile.passport_number == "A1234567"
    assert profile.at_risk and not profile.public_listing  # at risk: never listed
    assert profile.proposed_organization.name == "Basra Water Defenders"
    assert OrganizationProposal.objects.get().status == "pending"


def make_questions(edition, category):
    text = Question.objects.create(
        conference=edition,
        kind="long_text",
        required=True,
        order=1,
        label={"en": "What will you bring?", "ar": "ماذا ستقدم؟"},
    )
    choice = Question.objects.create(
        conference=edition, kind="single", order=2, required=True, label={"en": "Arrival", "ar": "الوصول"}
    )
    QuestionOption.objects.create(question=choice, key="air", label={"en": "By air", "ar": "جوًا"})
    QuestionOption.objects.create(question=choice, key="road", label={"en": "By road", "ar": "برًا"})
    upload = Question.objects.create(
        conference=edition, kind="file", order=3, label={"en": "Letter from your organisation"}
    )
    upload.categories.add(category)
    other = Category.objects.create(conference=edition, slug="press", capacity=5, name={"en": "Press"})
    press_only = Question.objects.create(
        conference=edition, kind="short_text", order=4, label={"en": "Outlet"}
    )
    press_only.categories.add(other)
    return text, choice, upload


def test_register_with_answers_and_file_then_see_the_status(
    client, edition, make_category, make_delegate, mailoutbox, django_capture_on_commit_callbacks
):
    category = make_category(edition, capacity=1)
    text, choice, upload = make_questions(edition, category)
    person = make_delegate(language="en")
    client.force_login(person)
    page = client.get(f"/en/{edition.slug}/register/{category.slug}/").content.decode()
    assert "What will you bring?" in page and "Letter from your organisation" in page
    assert "Outlet" not in page  # asked of press only
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/{edition.slug}/register/{category.slug}/",
            {
                f"q_{text.pk}": "Stories of water",
                f"q_{choice.pk}": "air",
                f"q_{upload.pk}": SimpleUploadedFile("letter.pdf", PDF, "application/pdf"),
            },
        )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == S.CONFIRMED
    answers = {a.question_id: a for a in Answer.objects.all()}
    assert answers[choice.pk].value == "air" and answers[text.pk].value == "Stories of water"
    with answers[upload.pk].file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [person.email]
    status = client.get(f"/en/{edition.slug}/my-registration/").content.decode()
    assert "Confirmed" in status
    # A second delegate finds the category full: waiting list, position shown.
    second = make_delegate(language="en")
    client.force_login(second)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/en/{edition.slug}/register/{category.slug}/", {f"q_{text.pk}": "x", f"q_{choice.pk}": "road"}
        )
    status = client.get(f"/en/{edition.slug}/my-registration/").content.decode()
    assert "You are number 1 on the waiting list." in status


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf"),
            "the limit is 10 MB",
        ),
        (
            SimpleUploadedFile("letter.docx", b"PK\x03\x04 not a pdf", "application/msword"),
            "Only PDF, JPEG or PNG files are accepted.",
        ),
    ],
)
def test_bad_upload_is_refused_and_the_other_answers_are_kept(
    client, edition, make_category, make_delegate, upload, message
):
    category = make_category(edition)
    text, choice, question = make_questions(edition, category)
    client.force_login(make_delegate(language="en"))
    response = client.post(
        f"/en/{edition.slug}/register/{category.slug}/",
        {f"q_{text.pk}": "Stories of water", f"q_{choice.pk}": "road", f"q_{question.pk}": upload},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "Stories of water" in body
    assert re.search(r'value="road"[^>]*checked', body)
    assert not Registration.objects.exists()


def test_closed_category_is_refused_with_its_reason(client, edition, make_category, make_delegate):
    from django.utils import timezone

    category = make_category(
        edition,
        closes_at=timezone.now() - dt.timedelta(hours=1),
        opens_at=timezone.now() - dt.timedelta(days=3),
    )
    client.force_login(make_delegate(language="en"))
    body = client.post(f"/en/{edition.slug}/register/{category.slug}/", {}).content.decode()
    assert "Registration in this category closed on" in body
    assert not Registration.objects.exists()


def test_without_a_profile_the_delegate_is_sent_to_fill_it(client, edition, make_category, make_user):
    category = make_category(edition)
    client.force_login(make_user())
    response = client.get(f"/en/{edition.slug}/register/{category.slug}/")
    assert response.status_code == 302 and response["Location"].startswith("/en/me/profile/?next=")


def test_invite_only_category_is_hidden_without_its_link(client, edition, make_category, make_delegate):
    category = make_category(edition, "speakers", invite_only=True)
    client.force_login(make_delegate(language="en"))
    assert client.get(f"/en/{edition.slug}/register/speakers/").status_code == 404
    page = client.get(f"/en/{edition.slug}/register/?invite={category.invite_token}").content.decode()
    assert f"/en/{edition.slug}/register/speakers/?invite={category.invite_token}" in page


def seed(edition, category, count, *, arabic="أحمد"):
    """Registrations in bulk for list and count tests (set-up only, not the service)."""
    from conference.models import User

    users = User.objects.bulk_create(
        [User(email=f"bulk{n}@example.org", full_name=f"Bulk {n}") for n in range(count)]
    )
    profiles = []
    for n, user in enumerate(users):
        profile = DelegateProfile(
            user=user,
            passport_name=f"Bulk Person {n}",
            arabic_name=f"{arabic} {n}",
            country="IQ",
            gender="woman" if n % 2 else "man",
        )
        profile.refresh_derived()
        profiles.append(profile)
    DelegateProfile.objects.bulk_create(profiles)
    Registration.objects.bulk_create(
        [
            Registration(
                conference=edition,
                category=category,
                user=user,
                country="IQ",
                status=S.PENDING if n % 3 else S.CONFIRMED,
            )
            for n, user in enumerate(users)
        ]
    )


def test_organizer_list_search_folds_arabic_and_latin(
    client, edition, make_category, make_delegate, make_staff
):
    category = make_category(edition)
    organizer = make_staff(edition, TeamMember.Role.ORGANIZER, language="en")
    ahmad = make_delegate(passport_name="José Ahmad", arabic_name="أحمد الموسوي")
    fatima = make_delegate(passport_name="Fatima Ali", arabic_name="فاطمة علي")
    mustafa = make_delegate(passport_name="Mustafa Jabbar", arabic_name="مصطفى جبار")
    for person in (ahmad, fatima, mustafa):
        services.register(user=person, category=category)
    client.force_login(organizer)
    url = f"/en/{edition.slug}/staff/registrations/"

    def found(query):
        body = client.get(url, {"q": query}).content.decode()
        return {name for name in ("José Ahmad", "Fatima Ali", "Mustafa Jabbar") if name in body}

    assert found("احمد") == {"José Ahmad"}
    assert found("إحمد الموسوى") == {"José Ahmad"}
    assert found("فاطمه") == {"Fatima Ali"}
    assert found("مصطفي") == {"Mustafa Jabbar"}
    assert found("مـصـطـفـى") == {"Mustafa Jabbar"}
    assert found("فَاطِمَة") == {"Fatima Ali"}
    assert found("JOSE") == {"José Ahmad"}
    assert found("nobody") == set()


def test_organizer_list_query_count_is_flat(
    client, edition, make_category, make_staff, django_assert_num_queries
):
    category = make_category(edition, capacity=2000)
    organizer = make_staff(edition, TeamMember.Role.ORGANIZER, language="en")
    client.force_login(organizer)
    url = f"/en/{edition.slug}/staff/registrations/"
    seed(edition, category, 10)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {"status": "pending"}).status_code == 200
    Registration.objects.all().delete()
    from conference.models import User

    User.objects.filter(email__startswith="bulk").delete()
    seed(edition, category, 1000)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url, {"status": "pending"})
    assert "666 registrations" in response.content.decode()


def test_bulk_approve_and_reject_need_a_reason_and_tell_each_delegate(
    client, edition, make_category, make_delegate, make_staff, mailoutbox, django_capture_on_commit_callbacks
):
    category = make_category(edition, capacity=1, requires_approval=True)
    organizer = make_staff(edition, TeamMember.Role.ORGANIZER, language="en")
    regs = [services.register(user=make_delegate(language="en"), category=category) for _ in range(3)]
    client.force_login(organizer)
    url = f"/en/{edition.slug}/staff/registrations/"
    body = client.post(url, {"action": "reject", "selected": [str(regs[0].uuid)]}).content.decode()
    assert "Give a reason: the delegate reads it." in body
    assert re.search(rf'value="{regs[0].uuid}"[^>]*checked', body)
    OutgoingEmail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "approve", "selected": [str(r.uuid) for r in regs[:2]]})
    assert [Registration.objects.get(pk=r.pk).status for r in regs] == [S.CONFIRMED, S.WAITLISTED, S.PENDING]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {"action": "reject", "reason": "Outside the network", "selected": [str(regs[2].uuid)]}
        )
    assert Registration.objects.get(pk=regs[2].pk).status == S.REJECTED
    assert len(mailoutbox) == 3
    assert "Outside the network" in mailoutbox[-1].body


def test_counts_and_balance_of_the_room(client, edition, make_category, make_delegate, make_staff):
    category = make_category(edition, capacity=10)
    ngo = Organization.objects.create(slug="n", name="N", kind="union", country="IQ")
    young = make_delegate(gender="woman", date_of_birth=dt.date(2001, 1, 1), organization=ngo)
    older = make_delegate(gender="man", date_of_birth=dt.date(1970, 1, 1), country="DE")
    unsaid = make_delegate()
    for person in (young, older, unsaid):
        services.register(user=person, category=category)
    client.force_login(make_staff(edition, TeamMember.Role.ORGANIZER, language="en"))
    response = client.get(f"/en/{edition.slug}/staff/registrations/")
    overall = response.context["balance"]["overall"]
    assert overall == {
        "total": 3,
        "iraqi": 2,
        "international": 1,
        "women": 1,
        "men": 1,
        "self_described": 0,
        "gender_unsaid": 1,
        "youth": 1,
        "birth_known": 2,
    }
    kinds = dict(response.context["balance"]["by_kind"])
    assert kinds["Trade union"] == 1
    row = response.context["counts"]["rows"][0]
    assert row["seats_held"] == 3


def test_passport_details_only_for_visa_officers_and_each_view_is_logged(
    client, edition, make_category, make_delegate, make_staff
):
    category = make_category(edition)
    person = make_delegate(passport_number="N7654321")
    registration = services.register(user=person, category=category)
    url = f"/en/{edition.slug}/staff/registrations/{registration.uuid}/"
    client.force_login(make_staff(edition, TeamMember.Role.ORGANIZER, language="en"))
    body = client.get(url, {"passport": "show"}).content.decode()
    assert "N7654321" not in body and "Show passport details" not in body
    visa = make_staff(edition, TeamMember.Role.VISA_OFFICER, language="en")
    client.force_login(visa)
    assert "N7654321" not in client.get(url).content.decode()
    assert PassportAccessLog.objects.count() == 0
    assert "N7654321" in client.get(url, {"passport": "show"}).content.decode()
    assert PassportAccessLog.objects.filter(viewer=visa, subject=person).count() == 1
    # A visa officer reads but cannot decide.
    assert (
        client.post(url, {"action": "cancel", "reason": "x", "selected": str(registration.uuid)}).status_code
        == 403
    )


def test_delegate_downloads_their_data_and_deletes_the_account(client, edition, make_category, make_delegate):
    category = make_category(edition)
    person = make_delegate(language="en", passport_number="Q1112223")
    services.register(user=person, category=category)
    client.force_login(person)
    response = client.get("/en/me/data.json")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["profile"]["passport_number"] == "Q1112223"
    assert data["registrations"][0]["edition"] == edition.slug
    body = client.post("/en/me/delete/", {"confirm": "wrong@example.org"}).content.decode()
    assert "Type your e-mail address exactly" in body
    response = client.post("/en/me/delete/", {"confirm": person.email.upper()})
    assert response.status_code == 302
    assert not DelegateProfile.objects.exists()
    assert Registration.objects.get().user is None


def test_organizer_adds_a_category_and_raising_capacity_promotes(
    client, edition, make_category, make_delegate, make_staff, django_capture_on_commit_callbacks, mailoutbox
):
    organizer = make_staff(edition, TeamMember.Role.ORGANIZER, language="en")
    client.force_login(organizer)
    new = {
        "name_ar": "متطوع",
        "name_ckb": "خۆبەخش",
        "name_en": "Volunteer",
        "kind": "volunteer",
        "slug": "volunteer",
        "capacity": "1",
        "offer_hours": "0",
        "order": "5",
        "opens_at": "2026-12-10T09:00",
        "closes_at": "2026-12-01T09:00",
    }
    body = client.post(f"/en/{edition.slug}/staff/categories/new/", new).content.decode()
    assert "The closing time must come after the opening time." in body
    assert 'value="Volunteer"' in body
    new.update(opens_at="", closes_at="")
    assert client.post(f"/en/{edition.slug}/staff/categories/new/", new).status_code == 302
    category = Category.objects.get(slug="volunteer")
    assert category.name["ckb"] == "خۆبەخش"
    regs = [services.register(user=make_delegate(language="en"), category=category) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/{edition.slug}/staff/categories/volunteer/", {**new, "capacity": "2"})
    assert [Registration.objects.get(pk=r.pk).status for r in regs] == [
        S.CONFIRMED,
        S.CONFIRMED,
        S.WAITLISTED,
    ]
    assert [m.to for m in mailoutbox] == [[regs[1].user.email]]
    body = client.post(
        f"/en/{edition.slug}/staff/categories/volunteer/", {**new, "capacity": "1"}
    ).content.decode()
    assert "2 seats are already taken" in body


def test_organizer_writes_a_choice_question_with_options(client, edition, make_category, make_staff):
    category = make_category(edition)
    client.force_login(make_staff(edition, TeamMember.Role.ORGANIZER, language="en"))
    data = {
        "label_ar": "كيف ستصل؟",
        "label_en": "How will you arrive?",
        "kind": "single",
        "required": "on",
        "categories": [str(category.pk)],
        "order": "1",
        "options-TOTAL_FORMS": "3",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "options-0-key": "air",
        "options-0-label_en": "By air",
        "options-1-key": "road",
        "options-1-label_ar": "برًا",
    }
    assert client.post(f"/en/{edition.slug}/staff/questions/new/", data).status_code == 302
    question = Question.objects.get()
    assert [o.key for o in question.options.all()] == ["air", "road"]
    assert list(question.categories.all()) == [category]


def test_public_participants_list_only_those_who_asked_and_never_anyone_at_risk(
    client, edition, make_category, make_delegate, django_assert_num_queries
):
    category = make_category(edition, capacity=10)
    listed = make_delegate(passport_name="Listed Person", public_listing=True)
    quiet = make_delegate(passport_name="Quiet Person")
    risk = make_delegate(passport_name="Risky Person", at_risk=True, public_listing=True)
    for person in (listed, quiet, risk):
        services.register(user=person, category=category)
    # Even a flag set behind the form's back does not list someone at risk.
    DelegateProfile.objects.filter(user=risk).update(public_listing=True)
    assert DelegateProfile.objects.get(user=quiet).public_listing is False  # off by default
    with django_assert_num_queries(3):
        body = client.get(f"/en/{edition.slug}/participants/").content.decode()
    assert "Listed Person" in body
    assert "Quiet Person" not in body and "Risky Person" not in body


def test_a_passport_expiring_too_soon_is_warned_about_but_saved(client, make_user, make_conference):
    make_conference(current=True)
    client.force_login(make_user(language="en"))
    response = client.post("/en/me/profile/", profile_post(passport_expiry="2027-08-01"), follow=True)
    assert "less than six months after the conference ends" in response.content.decode()
    assert DelegateProfile.objects.get().passport_expiry == dt.date(2027, 8, 1)


def test_an_expired_passport_is_refused_by_its_field(client, make_user, make_conference):
    make_conference(current=True)
    client.force_login(make_user(language="en"))
    response = client.post("/en/me/profile/", profile_post(passport_expiry="2024-05-01"))
    body = response.content.decode()
    assert response.status_code == 200
    error = re.search(r'id="field-passport_expiry".*?</div>', body, re.S).group(0)
    assert "This passport has expired" in error
    assert "six months" not in body
    assert not DelegateProfile.objects.exists()


def test_staff_see_that_a_passport_expires_too_soon_without_its_details(
    client, edition, make_category, make_delegate, make_staff
):
    person = make_delegate(passport_number="N7654321", passport_expiry=dt.date(2027, 8, 1))
    registration = services.register(user=person, category=make_category(edition))
    url = f"/en/{edition.slug}/staff/registrations/{registration.uuid}/"
    for role in (TeamMember.Role.ORGANIZER, TeamMember.Role.VISA_OFFICER):
        client.force_login(make_staff(edition, role, language="en"))
        body = client.get(url).content.decode()
        assert "expires less than six months after the conference" in body
        assert "2027-08-01" not in body and "N7654321" not in body
    assert PassportAccessLog.objects.count() == 0


def test_a_shared_passport_number_is_saved_silently_and_flagged_to_visa_officers_only(
    client, edition, make_category, make_delegate, make_user, make_staff
):
    category = make_category(edition)
    first = make_delegate(passport_name="Hana Salih", passport_number="A1234567")
    services.register(user=first, category=category)
    other = make_delegate(passport_name="Omar Jabbar", passport_number="Z9999999")
    services.register(user=other, category=category)
    # Someone types the same number: saved, and nothing tells them it is known.
    typist = make_user(language="en")
    client.force_login(typist)
    response = client.post("/en/me/profile/", profile_post(passport_number="a123 4567"), follow=True)
    body = response.content.decode()
    assert response.redirect_chain and "Your profile is saved." in body
    assert "already in another" not in body and "passport number is" not in body
    assert DelegateProfile.objects.get(user=typist).passport_number == "A1234567"
    second = services.register(user=typist, category=category)
    flag = "also in another delegate's profile"
    listing = f"/en/{edition.slug}/staff/registrations/"
    detail = f"/en/{edition.slug}/staff/registrations/{second.uuid}/"
    client.force_login(make_staff(edition, TeamMember.Role.VISA_OFFICER, language="en"))
    body = client.get(listing).content.decode()
    assert body.count(flag) == 2 and 'name="shared_passport"' in body
    body = client.get(listing, {"shared_passport": "on"}).content.decode()
    assert "Hana Salih" in body and "Zainab Kadhim" in body and "Omar Jabbar" not in body
    assert flag in client.get(detail).content.decode()
    client.force_login(make_staff(edition, TeamMember.Role.ORGANIZER, language="en"))
    body = client.get(listing, {"shared_passport": "on"}).content.decode()
    assert flag not in body and 'name="shared_passport"' not in body and "Omar Jabbar" in body
    assert flag not in client.get(detail).content.decode()


def test_visa_officers_read_the_list_but_cannot_decide(
    client, edition, make_category, make_delegate, make_staff
):
    category = make_category(edition, requires_approval=True)
    registration = services.register(user=make_delegate(passport_name="Hana Salih"), category=category)
    client.force_login(make_staff(edition, TeamMember.Role.VISA_OFFICER, language="en"))
    url = f"/en/{edition.slug}/staff/registrations/"
    body = client.get(url).content.decode()
    assert "Hana Salih" in body
    assert 'name="selected"' not in body and "Import invited delegates" not in body
    response = client.post(url, {"action": "approve", "selected": [str(registration.uuid)]})
    assert response.status_code == 403
    assert Registration.objects.get().status == S.PENDING
    client.force_login(make_staff(edition, TeamMember.Role.REVIEWER, language="en"))
    assert client.get(url).status_code == 403


def test_delegate_accepts_an_offered_seat_and_another_cancels_from_the_status_page(
    client, edition, make_category, make_delegate, django_capture_on_commit_callbacks, mailoutbox
):
    category = make_category(edition, capacity=1, offer_hours=24)
    first, second = (
        services.register(user=make_delegate(language="en"), category=category) for _ in range(2)
    )
    client.force_login(first.user)
    url = f"/en/{edition.slug}/my-registration/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "cancel", "reason": "Visa refused"})
    assert Registration.objects.get(pk=first.pk).status == S.CANCELLED
    assert Registration.objects.get(pk=first.pk).changes.last().reason == "Visa refused"
    client.force_login(second.user)
    page = client.get(url).content.decode()
    assert "Accept the seat" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "accept"})
    assert Registration.objects.get(pk=second.pk).status == S.CONFIRMED
    assert [m.to[0] for m in mailoutbox] == [first.user.email, second.user.email, second.user.email]


def test_the_category_page_says_when_a_category_is_full(client, edition, make_category, make_delegate):
    category = make_category(edition, capacity=1)
    services.register(user=make_delegate(), category=category)
    client.force_login(make_delegate(language="en"))
    body = client.get(f"/en/{edition.slug}/register/").content.decode()
    assert "This category is full: if you register, you join its waiting list" in body


def test_organizer_list_search_folds_kurdish_letters(
    client, edition, make_category, make_delegate, make_staff
):
    """"سالح" finds all five "ساڵح"; "ريبين" finds "ڕێبین"; "گوران" finds "گۆران" (issue 10)."""
    category = make_category(edition, capacity=50)
    organizer = make_staff(edition, TeamMember.Role.ORGANIZER, language="en")
    people = [make_delegate(passport_name=f"Salh Number {n}", arabic_name=f"ساڵح {name}")
              for n, name in enumerate(["ئەحمەد", "کەریم", "عومەر", "حەسەن", "جەمال"], start=1)]
    people.append(make_delegate(passport_name="Rebin Aziz", arabic_name="ڕێبین عەزیز"))
    people.append(make_delegate(passport_name="Goran Mahmud", arabic_name="گۆران مەحموود"))
    people.append(make_delegate(passport_name="Saleh Sadiq", arabic_name="صالح صادق"))
    for person in people:
        services.register(user=person, category=category)
    client.force_login(organizer)
    url = f"/en/{edition.slug}/staff/registrations/"

    def found(query):
        body = client.get(url, {"q": query}).content.decode()
        return {p.delegate_profile.passport_name for p in people if p.delegate_profile.passport_name in body}

    assert found("سالح") == {f"Salh Number {n}" for n in range(1, 6)}
    assert found("ريبين") == {"Rebin Aziz"}
    assert found("گوران") == {"Goran Mahmud"}
    assert found("ساڵح عومەر") == {"Salh Number 3"}


def _bulk_area(body: str) -> str:
    return body.split('id="bulk"')[1].split("</fieldset>")[0]


def _top_messages(body: str) -> str:
    return body.split('id="main"')[1].split('class="hero__eyebrow"')[0]


def test_bulk_outcome_and_errors_sit_by_the_bulk_buttons(
    client, edition, make_category, make_delegate, make_staff, mailoutbox,
    django_capture_on_commit_callbacks,
):
    """On a phone the buttons are 7,000 px below the top: what they did, and what they
    refused, is shown beside them and the page comes back there (issue 10)."""
    category = make_category(edition, capacity=5)
    organizer = make_staff(edition, TeamMember.Role.ORGANIZER, language="en")
    regs = [services.register(user=make_delegate(language="en"), category=category) for _ in range(2)]
    client.force_login(organizer)
    url = f"/en/{edition.slug}/staff/registrations/"
    page = client.get(url, {"status": "confirmed"}).content.decode()
    assert 'action="?status=confirmed#bulk"' in page
    # A form error: beside the buttons, as an error.
    body = client.post(url, {"action": "approve"}).content.decode()
    area = _bulk_area(body)
    assert "Tick at least one registration." in area and 'message--error" role="alert"' in area
    # A refusal from the service, after the redirect: beside the buttons, not at the top.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "cancel", "reason": "Duplicate", "selected": [str(regs[0].uuid)]})
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "cancel", "reason": "Duplicate", "selected": [str(r.uuid) for r in regs]},
            follow=True,
        )
    assert response.redirect_chain and len(mailoutbox) == 1
    body = response.content.decode()
    area = _bulk_area(body)
    assert 'message--iconic message--error" role="alert"' in area
    assert 'message--iconic message--success" role="status"' in area
    assert "role=\"alert\"" not in _top_messages(body)
