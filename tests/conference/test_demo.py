import pytest
from django.apps import apps
from django.core.management import call_command

from conference.models import Conference, Organization, TeamMember, User

pytestmark = pytest.mark.django_db


def table_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_demo_is_idempotent_and_complete(capsys):
    call_command("demo")
    first = table_counts()
    first_ids = set(User.objects.values_list("pk", flat=True))
    call_command("demo")
    assert table_counts() == first
    assert set(User.objects.values_list("pk", flat=True)) == first_ids

    output = capsys.readouterr().out
    current = Conference.objects.current()
    assert current.slug == "baghdad-2027" and current.days == 3
    assert current.governorate.code == "baghdad"
    for role in TeamMember.Role.values:
        member = TeamMember.objects.get(conference=current, role=role)
        assert member.user.email in output  # credentials are printed
    assert 55 <= Organization.objects.count() <= 70
    assert Organization.objects.exclude(country="IQ").values("country").distinct().count() >= 5
    assert Organization.objects.filter(country="IQ").values("governorate").distinct().count() == 19
    assert current.rooms.count() >= 5
    names = list(User.objects.values_list("full_name", flat=True))
    assert any("ێ" in name or "ڕ" in name or "ڵ" in name for name in names)  # Sorani
    assert any("ع" in name for name in names)  # Arabic
    assert any(name.isascii() for name in names)  # Latin
    assert User.objects.get(email="organizer@example.org").check_password("tadamun-demo-2026")
