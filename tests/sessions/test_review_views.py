"""The review pages through the test client: who reaches which page, the scoring form
keeping what was typed when it is refused, others' scores hidden until one's own is
saved, decisions on many proposals, the criteria forms, and a flat query count for the
organizers' list."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sessions import review
from sessions.models import Proposal, Review, ReviewCriterion, ReviewScore, Slot
from tests.sessions.test_review import give_profile, world  # noqa: F401 (fixture)

State = Proposal.State


def url(name, conference, **kwargs):
    return reverse(name, kwargs={"edition": conference.slug, **kwargs})


def form_data(world, relevance, feasibility, comment=""):  # noqa: F811
    return {
        review.criterion_field(world["relevance"]): relevance,
        review.criterion_field(world["feasibility"]): feasibility,
        "comment": comment,
    }


@pytest.mark.parametrize("who", ["anonymous", "delegate", "venue_staff", "reviewer", "organizer"])
def test_who_reaches_which_page(client, world, make_staff, who):  # noqa: F811
    conference = world["conference"]
    proposal = world["proposal"](organization=world["mosul"])
    person = {
        "anonymous": None,
        "delegate": world["make_delegate"](),
        "venue_staff": make_staff(conference, "venue_staff") if who == "venue_staff" else None,
        "reviewer": world["reviewer"],
        "organizer": world["organizer"],
    }[who]
    if person is not None:
        client.force_login(person)
    pages = {
        "queue": url("review_queue", conference),
        "proposal": url("review_proposal", conference, code=proposal.code),
        "proposals": url("programme_proposals", conference),
        "criteria": url("review_criteria", conference),
        "criterion_new": url("review_criterion_new", conference),
    }
    allowed = {
        "anonymous": set(),
        "delegate": set(),
        "venue_staff": set(),
        "reviewer": {"queue", "proposal"},
        "organizer": {"proposal", "proposals", "criteria", "criterion_new"},
    }[who]
    for page, address in pages.items():
        response = client.get(address)
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], page
        else:
            assert response.status_code == (200 if page in allowed else 403), page


def test_a_reviewer_cannot_decide(client, world, mailoutbox):  # noqa: F811
    proposal = world["proposal"](organization=world["mosul"])
    client.force_login(world["reviewer"])
    response = client.post(
        url("programme_proposals", world["conference"]), {"selected": [proposal.code], "action": "accept"}
    )
    assert response.status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED
    assert mailoutbox == []


def test_own_organisation_proposals_are_out_of_sight(client, world):  # noqa: F811
    own = world["proposal"](organization=world["basra"], title={"en": "Our own workshop"})
    other = world["proposal"](organization=world["mosul"], title={"en": "Their workshop"})
    client.force_login(world["reviewer"])
    queue = client.get(url("review_queue", world["conference"])).content.decode()
    assert "Their workshop" in queue and "Our own workshop" not in queue
    assert client.get(url("review_proposal", world["conference"], code=own.code)).status_code == 404
    assert client.get(url("review_proposal", world["conference"], code=other.code)).status_code == 200
    posted = client.post(url("review_proposal", world["conference"], code=own.code), form_data(world, 5, 10))
    assert posted.status_code == 404
    assert not Review.objects.exists()


def test_refused_scores_keep_what_was_typed(client, world):  # noqa: F811
    proposal = world["proposal"](organization=world["mosul"])
    client.force_login(world["reviewer"])
    address = url("review_proposal", world["conference"], code=proposal.code)
    response = client.post(address, form_data(world, 3, "", "Clear aims, thin budget."))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="field__error"') == 1
    relevance = review.criterion_field(world["relevance"])
    assert re.search(rf'<input type="radio" name="{relevance}" value="3"[^>]*checked', page)
    assert "Clear aims, thin budget." in page
    assert not Review.objects.exists()
    # Out of range on a number the browser let through: the same.
    response = client.post(address, form_data(world, 3, 11, "Kept"))
    assert response.status_code == 200 and not Review.objects.exists()
    assert "Kept" in response.content.decode()


def test_others_scores_show_only_after_ones_own(client, world, make_staff):  # noqa: F811
    proposal = world["proposal"](organization=world["mosul"])
    colleague = make_staff(world["conference"], "reviewer", name="Colleague Reviewer")
    review.save_review(proposal=proposal, reviewer=colleague, scores={
        world["relevance"].pk: 1, world["feasibility"].pk: 2}, comment="Weak, I think.")
    client.force_login(world["reviewer"])
    address = url("review_proposal", world["conference"], code=proposal.code)
    before = client.get(address).content.decode()
    assert "Weak, I think." not in before and "Colleague Reviewer" not in before
    response = client.post(address, form_data(world, 5, 10, "Excellent."))
    assert response.status_code == 302
    saved = Review.objects.get(reviewer=world["reviewer"])
    assert saved.score == 100.0 and saved.comment == "Excellent."
    after = client.get(address).content.decode()
    assert "Weak, I think." in after and "Colleague Reviewer" in after
    # The queue shows the reviewer's own score.
    queue = client.get(url("review_queue", world["conference"])).content.decode()
    assert "100%" in queue


def test_organizer_accepts_two_at_once(client, world, mailoutbox, django_capture_on_commit_callbacks):  # noqa: F811
    speaker = world["make_delegate"]("speaker@example.org", language="ckb")
    first = world["proposal"](speakers=[speaker], organization=world["mosul"])
    second = world["proposal"](speakers=[speaker])
    untouched = world["proposal"]()
    client.force_login(world["organizer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("programme_proposals", world["conference"]),
            {"selected": [first.code, second.code], "action": "accept", "note": "Welcome."},
        )
    assert response.status_code == 302
    states = dict(Proposal.objects.values_list("pk", "state"))
    assert (states[first.pk], states[second.pk], states[untouched.pk]) == (
        State.ACCEPTED, State.ACCEPTED, State.SUBMITTED
    )
    assert Slot.objects.filter(schedule__version=None, room=None).count() == 2
    assert [m.to for m in mailoutbox] == [["speaker@example.org"]] * 2
    page = client.get(url("programme_proposals", world["conference"])).content.decode()
    assert 'data-status="accepted"' in page


def test_deciding_with_nothing_ticked_says_so(client, world):  # noqa: F811
    world["proposal"]()
    client.force_login(world["organizer"])
    response = client.post(url("programme_proposals", world["conference"]), {"action": "reject"})
    assert response.status_code == 200
    assert 'class="field__error"' in response.content.decode()


def test_proposals_filter_by_track_and_state(client, world, programme):  # noqa: F811
    tracks = programme["tracks"]
    world["proposal"](title={"en": "Alpha water"}, track=tracks[0])
    world["proposal"](title={"en": "Beta youth"}, track=tracks[1])
    world["proposal"](title={"en": "Gamma gone"}, track=tracks[1], state=State.REJECTED)
    client.force_login(world["organizer"])
    address = url("programme_proposals", world["conference"])
    page = client.get(address, {"track": tracks[1].pk, "state": "submitted"}).content.decode()
    assert "Beta youth" in page and "Alpha water" not in page and "Gamma gone" not in page


def test_criteria_are_added_edited_and_removed(client, world):  # noqa: F811
    conference = world["conference"]
    client.force_login(world["organizer"])
    response = client.post(
        url("review_criterion_new", conference),
        {"name_ar": "الأثر", "name_ckb": "کاریگەری", "name_en": "Impact", "max_score": "4", "weight": "3"},
    )
    assert response.status_code == 302
    made = ReviewCriterion.objects.get(name__en="Impact")
    assert (made.name["ckb"], made.max_score, made.weight) == ("کاریگەری", 4, 3)
    # A bad edit keeps the typed input and changes nothing.
    response = client.post(
        url("review_criterion_edit", conference, pk=made.pk),
        {"name_ar": "", "name_ckb": "", "name_en": "Impact on people", "max_score": "0", "weight": "3"},
    )
    assert response.status_code == 200
    assert "Impact on people" in response.content.decode()
    made.refresh_from_db()
    assert made.max_score == 4
    response = client.post(url("review_criterion_delete", conference, pk=made.pk))
    assert response.status_code == 302
    assert not ReviewCriterion.objects.filter(pk=made.pk).exists()


def _many_proposals(world, start, count):  # noqa: F811
    """Proposals in every track, each with two reviews scored on both criteria."""
    tracks = list(world["tracks"])
    reviewers = [world["reviewer"], world["organizer"]]
    proposals = Proposal.objects.bulk_create(
        Proposal(
            conference=world["conference"],
            title={"en": f"Proposal {n}"},
            abstract={"en": "About."},
            format="panel",
            track=tracks[n % len(tracks)],
            duration=60,
            organization=world["mosul"] if n % 2 else None,
            code=f"Q{n:05d}",
        )
        for n in range(start, start + count)
    )
    reviews = Review.objects.bulk_create(
        Review(proposal=p, reviewer=r, score=50.0) for p in proposals for r in reviewers
    )
    ReviewScore.objects.bulk_create(
        ReviewScore(review=rv, criterion=c, value=2)
        for rv in reviews
        for c in (world["relevance"], world["feasibility"])
    )


def test_organizer_list_queries_stay_flat(client, world, programme, django_assert_num_queries):  # noqa: F811
    world["tracks"] = programme["tracks"]
    client.force_login(world["organizer"])
    address = url("programme_proposals", world["conference"])
    _many_proposals(world, 0, 10)
    client.get(address)  # the session and permission caches settle once
    with CaptureQueriesContext(connection) as ten:
        assert client.get(address).content.decode().count('name="selected"') == 10
    _many_proposals(world, 10, 190)
    with django_assert_num_queries(len(ten.captured_queries)):
        response = client.get(address)
    assert response.content.decode().count('name="selected"') == 200


def test_decision_from_the_proposal_page(client, world, mailoutbox, django_capture_on_commit_callbacks):  # noqa: F811
    proposal = world["proposal"](organization=world["mosul"])
    client.force_login(world["organizer"])
    page = client.get(url("review_proposal", world["conference"], code=proposal.code)).content.decode()
    assert 'name="action" value="accept"' in page and 'name="scores"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("programme_proposals", world["conference"]), {"selected": [proposal.code], "action": "reject"}
        )
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).state == State.REJECTED
    page = client.get(url("review_proposal", world["conference"], code=proposal.code)).content.decode()
    assert 'value="reject"' not in page and 'value="accept"' in page


def test_review_queue_queries_stay_flat(client, world, programme, django_assert_num_queries):  # noqa: F811
    world["tracks"] = programme["tracks"]
    client.force_login(world["reviewer"])
    address = url("review_queue", world["conference"])
    _many_proposals(world, 0, 10)
    client.get(address)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(address).content.decode().count("review-queue__item") == 10
    _many_proposals(world, 10, 190)
    with django_assert_num_queries(len(ten.captured_queries)):
        response = client.get(address)
    # The reviewer (Basra) sees Mosul's proposals and those of no organisation: all 200.
    assert response.content.decode().count("review-queue__item") == 200


def people_on_the_page(world):  # noqa: F811
    make = world["make_delegate"]
    layla = make("layla@example.org", language="en", passport_name="Layla Hamid", at_risk=True)
    sami = make("sami@example.org", language="en", passport_name="Sami Aziz")
    proposal = world["proposal"](
        organization=world["mosul"], proposer=layla, speakers=[layla, sami, "guest@example.org"]
    )
    with translation.override("en"):
        return url("review_proposal", world["conference"], code=proposal.code)


def test_reviewers_see_a_speaker_at_risk_never_their_name(client, world):  # noqa: F811
    address = people_on_the_page(world)
    client.force_login(world["reviewer"])
    body = client.get(address).content.decode()
    assert "Layla Hamid" not in body and "layla@example.org" not in body
    assert body.count("A speaker at risk") == 1 and "A delegate at risk" in body
    assert "Sami Aziz" in body and "Mosul Youth Network" in body
    # An invitee's address could name someone at risk before they confirm: reviewers
    # read "invited speaker" instead.
    assert "guest@example.org" not in body and "Invited speaker" in body
    # Organizers still see who is who.
    client.force_login(world["organizer"])
    body = client.get(address).content.decode()
    assert "Layla Hamid" in body and "guest@example.org" in body and "A speaker at risk" not in body


def test_an_anonymous_review_hides_every_name_and_the_organisation(client, world):  # noqa: F811
    from sessions.models import CallForSessions

    address = people_on_the_page(world)
    CallForSessions.objects.filter(conference=world["conference"]).update(anonymous_review=True)
    client.force_login(world["reviewer"])
    body = client.get(address).content.decode()
    for hidden in ("Layla Hamid", "Sami Aziz", "guest@example.org", "Mosul Youth Network", "at risk"):
        assert hidden not in body, hidden
    assert "Anonymous review" in body and body.count("A speaker") == 3
    assert "Proposal" in body and "About water." in body
    client.force_login(world["organizer"])
    body = client.get(address).content.decode()
    assert "Sami Aziz" in body and "Mosul Youth Network" in body


def test_bulk_decision_outcome_sits_by_the_buttons(
    client, world, mailoutbox, django_capture_on_commit_callbacks  # noqa: F811
):
    """The outcome of "accept/reject the ticked" is shown beside those buttons, and the
    form returns the reader there (#decide), not 7,000 px above (issue 10)."""
    first = world["proposal"](organization=world["mosul"])
    second = world["proposal"]()
    client.force_login(world["organizer"])
    address = url("programme_proposals", world["conference"])
    page = client.get(address).content.decode()
    assert 'action="?#decide"' in page
    body = client.post(address, {"action": "reject"}).content.decode()
    area = body.split('id="decide"')[1].split("</fieldset>")[0]
    assert 'message--error" role="alert"' in area and "field__error" in area
    with django_capture_on_commit_callbacks(execute=True):
        client.post(address, {"selected": [first.code], "action": "accept"})
    response = client.post(address, {"selected": [first.code, second.code], "action": "accept"}, follow=True)
    body = response.content.decode()
    area = body.split('id="decide"')[1].split("</fieldset>")[0]
    assert "message--success" in area and "message--info" in area
    top = body.split('id="main"')[1].split('class="hero__eyebrow"')[0]
    assert "message--" not in top
