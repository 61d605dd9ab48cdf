import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from conference.models import Conference
from registrations import services
from registrations.models import (
    Answer,
    Category,
    DelegateProfile,
    Question,
    QuestionOption,
    Registration,
    StatusChange,
)
from tests.emails import stored_emails

pytestmark = pytest.mark.django_db
S = Registration.Status


def demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Category, Question, QuestionOption, DelegateProfile, Registration, StatusChange, Answer)
    }


def test_demo_registrations_cover_every_status_within_the_rules_and_run_twice():
    output = demo()
    edition = Conference.objects.get(slug="baghdad-2027")
    registrations = Registration.objects.filter(conference=edition)

    assert 300 <= registrations.count() <= 340
    by_status = dict(registrations.order_by().values_list("status").annotate(n=Count("pk")))
    for status in (S.PENDING, S.CONFIRMED, S.WAITLISTED, S.OFFERED, S.REJECTED, S.CANCELLED):
        assert by_status.get(status), f"no {status} registration"
    assert S.SUBMITTED not in by_status  # every one went on from the first step
    assert f"{registrations.count()} registrations" in output
    assert not stored_emails()  # the demo e-mails nobody, once committed either

    categories = Category.objects.filter(conference=edition).annotate(
        held=Count("registrations", filter=Q(registrations__status__in=Registration.SEAT_HOLDING))
    )
    slugs = {category.slug for category in categories}
    assert slugs == {"delegate", "partner", "speaker", "press", "volunteer", "staff"}
    for category in categories:
        assert category.held <= category.capacity, category.slug
        assert set(category.name) == {"ar", "ckb", "en"}
        waiting = registrations.filter(category=category, status=S.WAITLISTED).order_by("waitlist_seq")
        assert [services.waitlist_position(registration) for registration in waiting] == list(
            range(1, waiting.count() + 1)
        ), category.slug
        if category.per_organization_limit:
            per_organization = (
                registrations.filter(category=category, status__in=Registration.SEAT_HOLDING)
                .exclude(organization=None)
                .order_by()
                .values("organization")
                .annotate(n=Count("pk"))
            )
            assert max(row["n"] for row in per_organization) <= category.per_organization_limit

    volunteer = categories.get(slug="volunteer")
    press = categories.get(slug="press")
    assert volunteer.held == volunteer.capacity
    assert registrations.filter(category=volunteer, status=S.WAITLISTED).exists()
    assert press.held == press.capacity
    offered = registrations.get(status=S.OFFERED)
    assert offered.category == press and offered.offer_expires_at is not None

    kinds = Question.objects.filter(conference=edition).values_list("kind", flat=True)
    assert set(kinds) == set(Question.Kind.values)
    assert Answer.objects.filter(registration__conference=edition).count() > registrations.count() * 3
    profiles = DelegateProfile.objects.filter(user__registrations__conference=edition)
    assert profiles.filter(at_risk=True).exclude(badge_name="").exists()
    assert profiles.filter(country="IQ", arabic_name="").count() == 0
    late = [profile for profile in profiles if services.passport_expiry_warning(profile, edition)]
    assert 1 <= len(late) <= 20

    # A second run adds nothing and moves nobody.
    first = counts()
    ids = set(Registration.objects.values_list("pk", flat=True))
    statuses = dict(Registration.objects.values_list("pk", "status"))
    demo()
    assert counts() == first
    assert set(Registration.objects.values_list("pk", flat=True)) == ids
    assert dict(Registration.objects.values_list("pk", "status")) == statuses
