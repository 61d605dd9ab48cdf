"""The status service: every transition, capacity, waiting list order, offers, and the
e-mail each change sends in the delegate's language."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone, translation

from conference.models import Organization, OutgoingEmail, TeamMember
from registrations import services
from registrations.models import DelegateProfile, PassportAccessLog, Registration, StatusChange
from registrations.selectors import shared_passport
from tests.emails import run_commit_hooks, stored_emails

S = Registration.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Refusals are read in English here; e-mails still go out in each person's language.
    with translation.override("en"):
        yield


def outbox():
    """E-mails queued by the services (sending them is the core's tested job); they
    are stored once the transaction commits (tests/emails.py)."""
    return stored_emails()


def statuses(category):
    return sorted(category.registrations.values_list("status", flat=True))


def test_without_approval_seats_then_waitlist_first_come_first_served(edition, make_category, make_delegate):
    category = make_category(edition, capacity=2)
    people = [make_delegate() for _ in range(5)]
    registrations = [services.register(user=person, category=category) for person in people]
    assert [r.status for r in registrations] == [
        S.CONFIRMED,
        S.CONFIRMED,
        S.WAITLISTED,
        S.WAITLISTED,
        S.WAITLISTED,
    ]
    assert [services.waitlist_position(r) for r in registrations[2:]] == [1, 2, 3]
    # One e-mail per registration, in Arabic (the delegates' language).
    assert len(outbox()) == 5
    assert [m.to for m in outbox()] == [person.email for person in people]
    assert {m.language for m in outbox()} == {"ar"}


def test_cancellation_promotes_the_first_in_line_at_once(edition, make_category, make_delegate):
    category = make_category(edition, capacity=1)
    first, second, third = (services.register(user=make_delegate(), category=category) for _ in range(3))
    run_commit_hooks()
    OutgoingEmail.objects.all().delete()
    services.cancel(registration=first, by=first.user, reason="")
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == S.CONFIRMED
    assert services.waitlist_position(third) == 1
    # The canceller and the promoted delegate each get one e-mail.
    assert sorted(m.to for m in outbox()) == sorted([first.user.email, second.user.email])
    change = second.changes.last()
    assert (change.from_status, change.to_status, change.by) == (S.WAITLISTED, S.CONFIRMED, None)


def test_approval_flow_and_reasons_are_recorded(edition, make_category, make_delegate, make_staff):
    category = make_category(edition, capacity=1, requires_approval=True)
    organizer = make_staff(edition, TeamMember.Role.ORGANIZER)
    a, b, c = (services.register(user=make_delegate(), category=category) for _ in range(3))
    assert {a.status, b.status, c.status} == {S.PENDING}
    services.approve(registration=a, by=organizer)
    services.approve(registration=b, by=organizer)
    with pytest.raises(services.RegistrationError) as refused:
        services.reject(registration=c, by=organizer, reason="  ")
    assert refused.value.field == "reason"
    services.reject(registration=c, by=organizer, reason="Not a civil-society organisation")
    assert [Registration.objects.get(pk=r.pk).status for r in (a, b, c)] == [
        S.CONFIRMED,
        S.WAITLISTED,
        S.REJECTED,
    ]
    history = list(
        StatusChange.objects.filter(registration=c).values_list("from_status", "to_status", "reason")
    )
    assert history == [
        ("", S.SUBMITTED, ""),
        (S.SUBMITTED, S.PENDING, ""),
        (S.PENDING, S.REJECTED, "Not a civil-society organisation"),
    ]
    assert "Not a civil-society organisation" in outbox()[-1].body_text
    # Rejecting the confirmed one frees its seat for the waitlisted one.
    services.reject(registration=a, by=organizer, reason="Duplicate")
    assert Registration.objects.get(pk=b.pk).status == S.CONFIRMED
    with pytest.raises(services.RegistrationError):
        services.approve(registration=Registration.objects.get(pk=c.pk), by=organizer)


def test_double_submission_gives_the_same_registration(edition, make_category, make_delegate):
    category = make_category(edition)
    person = make_delegate()
    first = services.register(user=person, category=category)
    again = services.register(user=person, category=category)
    assert first.pk == again.pk
    assert Registration.objects.count() == 1
    assert len(outbox()) == 1


def test_after_cancelling_a_person_may_register_again(edition, make_category, make_delegate):
    category = make_category(edition)
    person = make_delegate()
    first = services.register(user=person, category=category)
    services.cancel(registration=first, by=person)
    second = services.register(user=person, category=category)
    assert second.pk != first.pk and second.status == S.CONFIRMED


def test_refusals_carry_their_reason(edition, make_category, make_delegate, make_user):
    now = timezone.now()
    closed = make_category(
        edition, "closed", closes_at=now - dt.timedelta(days=1), opens_at=now - dt.timedelta(days=9)
    )
    later = make_category(edition, "later", opens_at=now + dt.timedelta(days=3))
    invite = make_category(edition, "invite", invite_only=True, capacity=1)
    person = make_delegate()
    with pytest.raises(services.RegistrationError, match="closed on"):
        services.register(user=person, category=closed)
    with pytest.raises(services.RegistrationError, match="opens on"):
        services.register(user=person, category=later)
    with pytest.raises(services.RegistrationError, match="invitation"):
        services.register(user=person, category=invite)
    with pytest.raises(services.RegistrationError, match="profile"):
        services.register(user=make_user(), category=invite, invite_token=invite.invite_token)
    assert Registration.objects.count() == 0


def test_full_invite_only_category_refuses_instead_of_waitlisting(edition, make_category, make_delegate):
    invite = make_category(edition, "speakers", invite_only=True, capacity=1)
    services.register(user=make_delegate(), category=invite, invite_token=invite.invite_token)
    with pytest.raises(services.RegistrationError, match="taken"):
        services.register(user=make_delegate(), category=invite, invite_token=invite.invite_token)
    assert invite.registrations.count() == 1


def test_per_organisation_limit_waitlists_and_promotion_skips_a_full_organisation(
    edition, make_category, make_delegate
):
    big = Organization.objects.create(slug="big", name="Big NGO", kind="ngo", country="IQ")
    small = Organization.objects.create(slug="small", name="Small NGO", kind="ngo", country="IQ")
    category = make_category(edition, capacity=3, per_organization_limit=2)
    b1, b2, b3 = (
        services.register(user=make_delegate(organization=big), category=category) for _ in range(3)
    )
    s1 = services.register(user=make_delegate(organization=small), category=category)
    s2 = services.register(user=make_delegate(organization=small), category=category)
    assert [b1.status, b2.status, b3.status, s1.status, s2.status] == [
        S.CONFIRMED,
        S.CONFIRMED,
        S.WAITLISTED,
        S.CONFIRMED,
        S.WAITLISTED,
    ]
    # A small-NGO seat frees: b3 is first in line, but Big NGO is at its limit.
    services.cancel(registration=s1, by=s1.user)
    assert Registration.objects.get(pk=b3.pk).status == S.WAITLISTED
    assert Registration.objects.get(pk=s2.pk).status == S.CONFIRMED


def test_offers_expire_and_pass_on(edition, make_category, make_delegate):
    category = make_category(edition, capacity=1, offer_hours=48)
    first, second, third = (services.register(user=make_delegate(), category=category) for _ in range(3))
    services.cancel(registration=first, by=first.user)
    second.refresh_from_db()
    assert second.status == S.OFFERED
    assert second.offer_expires_at > timezone.now() + dt.timedelta(hours=47)
    # The offered seat counts as taken: nobody else is promoted meanwhile.
    assert Registration.objects.get(pk=third.pk).status == S.WAITLISTED
    assert services.expire_offers() == 0
    assert services.expire_offers(now=timezone.now() + dt.timedelta(hours=49)) == 1
    assert Registration.objects.get(pk=second.pk).status == S.CANCELLED
    third.refresh_from_db()
    assert third.status == S.OFFERED
    services.accept_offer(registration=third, by=third.user)
    assert Registration.objects.get(pk=third.pk).status == S.CONFIRMED
    offers = [m for m in outbox() if m.to == third.user.email]
    # Third was told: waitlisted, then offered (with the deadline in conference time), then confirmed.
    assert len(offers) == 3
    deadline = timezone.localtime(third.offer_expires_at, edition.tzinfo).strftime("%Y-%m-%d %H:%M")
    assert deadline in offers[1].body_text


def test_expired_offer_cannot_be_accepted(edition, make_category, make_delegate):
    category = make_category(edition, capacity=1, offer_hours=2)
    first, second = (services.register(user=make_delegate(), category=category) for _ in range(2))
    services.cancel(registration=first, by=first.user)
    second.refresh_from_db()
    with pytest.raises(services.RegistrationError, match="no longer open"):
        services.accept_offer(registration=second, by=second.user, now=timezone.now() + dt.timedelta(hours=3))


def test_raising_capacity_promotes_and_lowering_below_seats_is_refused(
    edition, make_category, make_delegate, make_staff
):
    organizer = make_staff(edition, TeamMember.Role.ORGANIZER)
    category = make_category(edition, capacity=1)
    regs = [services.register(user=make_delegate(), category=category) for _ in range(4)]
    promoted = services.category_set_capacity(category=category, capacity=3, by=organizer)
    assert [r.pk for r in promoted] == [regs[1].pk, regs[2].pk]
    assert statuses(category) == sorted([S.CONFIRMED] * 3 + [S.WAITLISTED])
    with pytest.raises(services.RegistrationError, match="already taken"):
        services.category_set_capacity(category=category, capacity=2, by=organizer)


def test_every_status_email_renders_in_each_language(edition, make_category, make_delegate):
    subjects = {}
    for language in ("ar", "ckb", "en"):
        category = make_category(edition, f"c-{language}", capacity=1)
        services.register(user=make_delegate(language=language), category=category)
        waiting = services.register(user=make_delegate(language=language), category=category)
        message = outbox()[-1]
        assert message.language == language
        html = message.body_html
        assert f'dir="{"ltr" if language == "en" else "rtl"}"' in html
        assert f"/{language}/{edition.slug}/my-registration/" in message.body_text
        subjects[language] = message.subject
        assert "1" in message.body_text  # the waiting-list position
        services.cancel(registration=waiting, by=waiting.user)
    assert len(set(subjects.values())) == 3
    assert subjects["en"].endswith("you are on the waiting list")
    assert "waiting list" not in subjects["ar"] + subjects["ckb"]


def test_passport_data_is_encrypted_hashed_and_only_shown_to_visa_officers(
    edition, make_delegate, make_staff
):
    person = make_delegate(
        passport_number="a12 345-678",
        nationality="IQ",
        date_of_birth=dt.date(1990, 5, 17),
        passport_expiry=dt.date(2027, 6, 1),
    )
    profile = DelegateProfile.objects.get(user=person)
    assert profile.passport_number == "A12345678"
    assert profile.birth_year == 1990
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT passport_number, date_of_birth, nationality, passport_number_hash "
            "FROM registrations_delegateprofile WHERE id = %s",
            [profile.pk],
        )
        number, birth, nationality, digest = cursor.fetchone()
    for stored in (number, birth, nationality):
        assert stored.startswith("fernet:")
    assert "A12345678" not in number and "1990" not in birth
    assert len(digest) == 64 and "A12345678" not in digest
    organizer = make_staff(edition, TeamMember.Role.ORGANIZER)
    visa = make_staff(edition, TeamMember.Role.VISA_OFFICER)
    with pytest.raises(services.RegistrationError):
        services.passport_data_read(viewer=organizer, profile=profile, conference=edition, context="profile")
    data = services.passport_data_read(viewer=visa, profile=profile, conference=edition, context="profile")
    assert data["passport_number"] == "A12345678"
    entry = PassportAccessLog.objects.get()
    assert (entry.viewer, entry.subject, entry.context) == (visa, person, "profile")
    assert services.passport_expiry_warning(profile, edition)  # expires < 6 months after the end


def test_a_passport_number_in_two_profiles_is_saved_and_flagged_not_refused(edition, make_delegate):
    # Refusing would tell whoever types a number that someone registered with it; the
    # profile is saved and the pair is flagged for the visa officers instead.
    first = make_delegate(passport_number="a12 345-678")
    second = make_delegate(passport_number="A12345678")
    third = make_delegate(passport_number="B7654321")
    flagged = set(DelegateProfile.objects.filter(shared_passport()).values_list("user_id", flat=True))
    assert flagged == {first.pk, second.pk}
    assert DelegateProfile.objects.get(user=third).passport_number == "B7654321"
    # Changing one number clears the flag on both.
    services.profile_save(user=second, data={"passport_number": "C1112223"})
    assert not DelegateProfile.objects.filter(shared_passport()).exists()


@pytest.mark.parametrize(
    ("expiry", "words"),
    [
        (dt.date(2024, 3, 1), "has expired"),
        (dt.date(2027, 8, 1), "less than six months after the conference"),
        (dt.date(2031, 1, 1), None),
    ],
)
def test_the_expiry_warning_tells_expired_from_expiring_soon(edition, make_delegate, expiry, words):
    profile = DelegateProfile.objects.get(user=make_delegate(passport_expiry=expiry))
    for warning in (
        services.passport_expiry_warning(profile, edition),
        services.passport_expiry_staff_note(profile, edition),
    ):
        if words is None:
            assert warning is None
        else:
            assert words in warning
            other = "has expired" if "six months" in words else "six months"
            assert other not in warning
    # Staff read the warning without the date, so organizers learn no passport detail.
    note = services.passport_expiry_staff_note(profile, edition)
    assert note is None or str(expiry.year) not in note


def test_key_rotation_reencrypts_every_row_and_the_old_key_can_go(settings, make_delegate):
    from cryptography.fernet import Fernet

    old = settings.FIELD_ENCRYPTION_KEYS[0]
    people = [
        make_delegate(passport_number=f"P{n:07d}", date_of_birth=dt.date(1985, 1, n + 1)) for n in range(3)
    ]
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    report = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("rotate_field_keys", "--check", stdout=report)
    assert "registrations.DelegateProfile: 3 rows under an older key" in report.getvalue()
    report = io.StringIO()
    call_command("rotate_field_keys", stdout=report)
    assert "registrations.DelegateProfile: 3 rows re-encrypted" in report.getvalue()
    report = io.StringIO()
    call_command("rotate_field_keys", "--check", stdout=report)
    assert "registrations.DelegateProfile: 0 rows under an older key" in report.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [new]
    for n, person in enumerate(people):
        profile = DelegateProfile.objects.get(user=person)
        assert profile.passport_number == f"P{n:07d}"
        assert profile.date_of_birth == dt.date(1985, 1, n + 1)


def test_account_deletion_erases_the_person_and_keeps_anonymous_counts(edition, make_category, make_delegate):
    category = make_category(edition, capacity=1)
    leaving = make_delegate(passport_number="X1234567")
    waiting = make_delegate()
    services.register(user=leaving, category=category)
    services.register(user=waiting, category=category)
    data = services.personal_data_export(user=leaving)
    assert data["profile"]["passport_number"] == "X1234567"
    assert data["registrations"][0]["status"] == S.CONFIRMED
    services.account_delete(user=leaving)
    assert not DelegateProfile.objects.filter(
        passport_number_hash__isnull=False, user__email=leaving.email
    ).exists()
    anonymous = Registration.objects.get(user=None)
    assert anonymous.status == S.CANCELLED and str(anonymous.country) == "IQ"
    assert Registration.objects.get(user=waiting).status == S.CONFIRMED
    from conference.models import User

    assert not User.objects.filter(email=leaving.email).exists()
    # Not even the e-mails queued before the erasure (their transaction was still open).
    assert not stored_emails(to=leaving.email)


def test_a_second_approval_from_a_stale_page_takes_no_seat(edition, make_category, make_delegate, make_staff):
    category = make_category(edition, capacity=1, requires_approval=True)
    organizer = make_staff(edition, TeamMember.Role.ORGANIZER)
    first, second = (services.register(user=make_delegate(), category=category) for _ in range(2))
    stale = Registration.objects.get(pk=second.pk)  # another organizer's page, loaded before
    services.approve(registration=first, by=organizer)
    services.approve(registration=second, by=organizer)
    with pytest.raises(services.RegistrationError, match="changed meanwhile"):
        services.approve(registration=stale, by=organizer)
    assert statuses(category) == [S.CONFIRMED, S.WAITLISTED]


def test_required_answers_are_the_services_rule_too(edition, make_category, make_delegate):
    from registrations.models import Question

    category = make_category(edition)
    other = make_category(edition, "press")
    required = Question.objects.create(
        conference=edition, kind="short_text", required=True, label={"en": "Why?"}
    )
    elsewhere = Question.objects.create(conference=edition, kind="short_text", label={"en": "Outlet"})
    elsewhere.categories.add(other)
    with pytest.raises(services.RegistrationError, match="needs an answer") as missing:
        services.register(user=make_delegate(), category=category, answers={required: ""})
    assert missing.value.field == f"q_{required.pk}"
    registration = services.register(
        user=make_delegate(), category=category, answers={required: "To learn", elsewhere: "ignored"}
    )
    assert [a.question for a in registration.answers.all()] == [required]
    # Invited people may answer later.
    assert services.register(user=make_delegate(), category=category, invited=True).status == S.CONFIRMED
