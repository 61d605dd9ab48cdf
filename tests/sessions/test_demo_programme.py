"""The demo programme: about 120 proposals, 80 sessions placed over three days in 12
rooms without a hard conflict, release 1 published, a draft with changes waiting to be
release 2, agendas and workshop sign-ups; nobody e-mailed; a second run changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from conference.models import Conference
from sessions import scheduling
from sessions.models import Proposal, Review, Room, Schedule, Slot, Star, WorkshopSignup
from tests.emails import stored_emails

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Proposal, Review, Room, Schedule, Slot, Star, WorkshopSignup)
    }


def test_demo_programme_is_a_believable_one_and_runs_twice():
    call_command("demo", stdout=io.StringIO())
    edition = Conference.objects.get(slug="baghdad-2027")
    proposals = Proposal.objects.filter(conference=edition)
    assert 110 <= proposals.count() <= 130
    states = dict(proposals.order_by().values_list("state").annotate(n=Count("pk")))
    assert set(states) == {"submitted", "accepted", "rejected", "withdrawn", "cancelled"}
    assert Room.objects.filter(conference=edition).count() == 12
    assert Review.objects.filter(proposal__conference=edition).count() >= 80

    release = Schedule.objects.get(conference=edition, version=1)
    placed = Slot.objects.filter(schedule=release, room__isnull=False)
    assert placed.count() == 80
    assert placed.order_by().values("room").distinct().count() == 12
    assert len({slot.starts_at.date() for slot in placed}) == 3
    assert not [c for c in scheduling.conflicts_of(release) if c.hard]
    assert not Schedule.objects.filter(conference=edition, version=2).exists()

    pending = scheduling.pending_changes(edition)
    assert (len(pending["added"]), len(pending["moved"]), len(pending["cancelled"])) == (2, 3, 1)
    draft = scheduling.draft_for(edition)
    assert not [c for c in scheduling.conflicts_of(draft) if c.hard]  # version 2 can be published

    statuses = dict(WorkshopSignup.objects.order_by().values_list("status").annotate(n=Count("pk")))
    assert statuses.get("confirmed") and statuses.get("waitlisted")
    assert Star.objects.filter(proposal__conference=edition).count() > 100
    assert not stored_emails()  # the hooks a commit would run store none either

    before = counts()
    call_command("demo", stdout=io.StringIO())
    assert counts() == before
