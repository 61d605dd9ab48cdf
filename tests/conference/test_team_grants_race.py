"""Two organizers answering the same passport-role request at the same moment, each
on its own database connection (PostgreSQL only): exactly one answer is recorded."""

from __future__ import annotations

import pytest

from conference import services
from conference.exceptions import DomainError
from conference.models import RoleGrantEvent, TeamMember
from tests.registrations.test_concurrency import errors_in, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Role = TeamMember.Role


def test_two_answers_at_once_make_one(make_conference, make_staff, make_user, mailoutbox):
    edition = make_conference()
    asking = make_staff(edition, Role.ORGANIZER, language="en")
    deciders = [make_staff(edition, Role.ORGANIZER, language="en") for _ in range(6)]
    candidate = make_user(language="en")
    request = services.team_role_request(conference=edition, user=candidate,
                                         role=Role.VISA_OFFICER, requested_by=asking)
    calls = [
        (lambda by=by: services.team_role_approve(request=request, by=by))
        if n % 2 == 0 else (lambda by=by: services.team_role_refuse(request=request, by=by))
        for n, by in enumerate(deciders)
    ]
    results = run_together(calls, workers=len(calls))
    errors = errors_in(results)
    assert len(errors) == len(calls) - 1
    assert all(isinstance(error, DomainError) and error.code == "handled" for error in errors)
    answers = RoleGrantEvent.objects.filter(request=request)
    assert answers.count() == 1
    approved = answers.get().action == RoleGrantEvent.Action.APPROVED
    assert TeamMember.objects.filter(user=candidate, role=Role.VISA_OFFICER).exists() == approved
