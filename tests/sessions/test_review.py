"""Review through its services: who may review what (never one's own organisation's
proposals), how a score is worked out, criteria changes, and decisions with their
e-mails in each person's language and the accepted session's place in the draft."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conference.models import Organization
from sessions import review
from sessions.exceptions import ProgrammeError
from sessions.models import Proposal, Review, ReviewCriterion, Schedule, Slot, Speaker
from tests.sessions.conftest import at

State = Proposal.State


def give_profile(user, organization=None):
    """A delegate profile on a staff account, so it has an organisation."""
    from registrations import services as registration_services

    registration_services.profile_save(
        user=user, data={"passport_name": f"Staff {user.pk}", "country": "IQ", "organization": organization}
    )
    user.refresh_from_db()
    return user


@pytest.fixture
def world(programme, make_staff, make_delegate):
    """Two organisations, two weighted criteria, a reviewer from the first organisation,
    an organizer, and a way to make proposals as rows."""
    conference = programme["conference"]
    basra = Organization.objects.create(slug="basra", name="Basra Water Forum", kind="ngo", country="IQ")
    mosul = Organization.objects.create(slug="mosul", name="Mosul Youth Network", kind="ngo", country="IQ")
    relevance = ReviewCriterion.objects.create(
        conference=conference, name={"ar": "الصلة", "en": "Relevance"}, max_score=5, weight=2, order=1
    )
    feasibility = ReviewCriterion.objects.create(
        conference=conference, name={"ar": "الجدوى", "en": "Feasibility"}, max_score=10, weight=1, order=2
    )
    reviewer = give_profile(make_staff(conference, "reviewer", "reviewer@example.org"), basra)
    organizer = make_staff(conference, "organizer", "organizer@example.org", language="en")
    counter = {"n": 0}

    def proposal(*, speakers=(), organization=None, proposer=None, state=State.SUBMITTED, **fields):
        counter["n"] += 1
        n = counter["n"]
        made = Proposal.objects.create(
            conference=conference,
            title=fields.pop("title", {"ar": f"مقترح {n}", "ckb": f"پێشنیار {n}", "en": f"Proposal {n}"}),
            abstract={"ar": "عن المياه.", "en": "About water."},
            format=Proposal.Format.WORKSHOP,
            track=fields.pop("track", None) or programme["tracks"][0],
            languages=["ar", "en"],
            duration=60,
            organization=organization,
            proposer=proposer,
            state=state,
            **fields,
        )
        for order, person in enumerate(speakers):
            if isinstance(person, str):
                Speaker.objects.create(proposal=made, email=person, order=order)
            else:
                Speaker.objects.create(
                    proposal=made, user=person, email=person.email, order=order, confirmed_at=made.created_at
                )
        return made

    return {
        "conference": conference,
        "basra": basra,
        "mosul": mosul,
        "relevance": relevance,
        "feasibility": feasibility,
        "reviewer": reviewer,
        "organizer": organizer,
        "proposal": proposal,
        "make_delegate": make_delegate,
    }


def scores(world, relevance, feasibility):
    return {world["relevance"].pk: relevance, world["feasibility"].pk: feasibility}


# --- Who reviews what -------------------------------------------------------------------
def test_queue_never_holds_own_organisation_proposer_or_speaker(world):
    reviewer, make = world["reviewer"], world["proposal"]
    other = make(organization=world["mosul"])
    no_org = make()
    make(organization=world["basra"])
    make(proposer=reviewer, organization=world["mosul"])
    make(speakers=[reviewer])
    make(speakers=["REVIEWER@example.org"])  # invited by e-mail, not linked yet
    make(state=State.WITHDRAWN)
    make(state=State.ACCEPTED)
    queue = review.reviewable_proposals(reviewer, world["conference"])
    assert set(queue) == {other, no_org}


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("own_organisation", "conflict"),
        ("proposer", "conflict"),
        ("speaker", "conflict"),
        ("invited_speaker", "conflict"),
        ("withdrawn", "closed"),
        ("accepted", "closed"),
    ],
)
def test_save_review_refuses(world, case, code):
    reviewer, make = world["reviewer"], world["proposal"]
    proposal = {
        "own_organisation": lambda: make(organization=world["basra"]),
        "proposer": lambda: make(proposer=reviewer),
        "speaker": lambda: make(speakers=[reviewer]),
        "invited_speaker": lambda: make(speakers=["reviewer@example.org"]),
        "withdrawn": lambda: make(state=State.WITHDRAWN),
        "accepted": lambda: make(state=State.ACCEPTED),
    }[case]()
    with pytest.raises(ProgrammeError) as refused:
        review.save_review(proposal=proposal, reviewer=reviewer, scores=scores(world, 3, 3), comment="")
    assert refused.value.code == code
    assert refused.value.message
    assert not Review.objects.exists()


def test_own_organisation_refusal_names_the_reason(world):
    proposal = world["proposal"](organization=world["basra"])
    with translation.override("en"), pytest.raises(ProgrammeError) as refused:
        review.save_review(proposal=proposal, reviewer=world["reviewer"], scores=scores(world, 3, 3))
    assert refused.value.code == "conflict"
    assert "organisation" in refused.value.message


@pytest.mark.parametrize("role", ["organizer", "venue_staff", None])
def test_only_reviewers_review(world, make_staff, role):
    person = make_staff(world["conference"], role) if role else world["make_delegate"]()
    proposal = world["proposal"](organization=world["mosul"])
    with pytest.raises(ProgrammeError) as refused:
        review.save_review(proposal=proposal, reviewer=person, scores=scores(world, 3, 3))
    assert refused.value.code == "not_reviewer"
    assert list(review.reviewable_proposals(person, world["conference"])) == []


def test_reviewer_without_organisation_has_no_organisation_conflict(world, make_staff):
    loose = make_staff(world["conference"], "reviewer")
    proposal = world["proposal"](organization=world["basra"])
    assert list(review.reviewable_proposals(loose, world["conference"])) == [proposal]
    assert review.save_review(proposal=proposal, reviewer=loose, scores=scores(world, 5, 10)).score == 100


# --- Scores --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("relevance", "feasibility", "expected"),
    [
        (5, 10, 100.0),
        (0, 0, 0.0),
        (5, 5, 83.3),  # (2*5/5 + 1*5/10) / 3
        (3, 7, 63.3),  # (2*0.6 + 0.7) / 3
        (0, 10, 33.3),  # the weight-2 criterion counts twice
        (5, 0, 66.7),
    ],
)
def test_score_is_the_weighted_mean_in_percent(world, relevance, feasibility, expected):
    proposal = world["proposal"](organization=world["mosul"])
    saved = review.save_review(
        proposal=proposal, reviewer=world["reviewer"], scores=scores(world, relevance, feasibility)
    )
    assert saved.score == expected
    assert dict(saved.scores.values_list("criterion_id", "value")) == scores(world, relevance, feasibility)


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"relevance": 6, "feasibility": 3}, "relevance"),
        ({"relevance": -1, "feasibility": 3}, "relevance"),
        ({"relevance": 2, "feasibility": 11}, "feasibility"),
        ({"relevance": 2}, "feasibility"),
        ({"relevance": 2, "feasibility": "7"}, "feasibility"),
        ({"relevance": True, "feasibility": 3}, "relevance"),
    ],
)
def test_bad_scores_are_refused_by_field_and_lose_nothing(world, given, field):
    proposal = world["proposal"](organization=world["mosul"])
    first = review.save_review(
        proposal=proposal, reviewer=world["reviewer"], scores=scores(world, 4, 8), comment="Strong."
    )
    values = {world[name].pk: value for name, value in given.items()}
    with pytest.raises(ValidationError) as refused:
        review.save_review(proposal=proposal, reviewer=world["reviewer"], scores=values, comment="Changed")
    assert review.criterion_field(world[field]) in refused.value.message_dict
    kept = Review.objects.get(pk=first.pk)
    assert (kept.comment, kept.score) == ("Strong.", first.score)
    assert dict(kept.scores.values_list("criterion_id", "value")) == scores(world, 4, 8)


def test_a_review_is_one_per_reviewer_and_editable(world):
    proposal = world["proposal"](organization=world["mosul"])
    first = review.save_review(proposal=proposal, reviewer=world["reviewer"], scores=scores(world, 1, 1))
    second = review.save_review(
        proposal=proposal, reviewer=world["reviewer"], scores=scores(world, 5, 10), comment="  Better now. "
    )
    assert first.pk == second.pk
    assert Review.objects.count() == 1
    assert (second.score, second.comment) == (100.0, "Better now.")
    assert second.scores.count() == 2


def test_no_criteria_means_no_scoring(world):
    ReviewCriterion.objects.all().delete()
    proposal = world["proposal"](organization=world["mosul"])
    with pytest.raises(ProgrammeError) as refused:
        review.save_review(proposal=proposal, reviewer=world["reviewer"], scores={})
    assert refused.value.code == "no_criteria"


# --- Criteria ------------------------------------------------------------------------------
def test_changing_a_weight_rescores_every_review(world):
    proposal = world["proposal"](organization=world["mosul"])
    saved = review.save_review(proposal=proposal, reviewer=world["reviewer"], scores=scores(world, 5, 0))
    assert saved.score == 66.7
    review.save_criterion(
        conference=world["conference"], by=world["organizer"], criterion=world["relevance"],
        name=world["relevance"].name, max_score=5, weight=1,
    )
    saved.refresh_from_db()
    assert saved.score == 50.0


def test_highest_score_cannot_drop_below_a_given_score(world):
    proposal = world["proposal"](organization=world["mosul"])
    review.save_review(proposal=proposal, reviewer=world["reviewer"], scores=scores(world, 5, 9))
    with pytest.raises(ValidationError) as refused:
        review.save_criterion(
            conference=world["conference"], by=world["organizer"], criterion=world["feasibility"],
            name={"en": "Feasibility"}, max_score=5, weight=1,
        )
    assert "max_score" in refused.value.message_dict
    world["feasibility"].refresh_from_db()
    assert world["feasibility"].max_score == 10


def test_removing_a_criterion_rescores_from_the_rest(world):
    proposal = world["proposal"](organization=world["mosul"])
    saved = review.save_review(proposal=proposal, reviewer=world["reviewer"], scores=scores(world, 5, 0))
    review.delete_criterion(criterion=world["feasibility"], by=world["organizer"])
    saved.refresh_from_db()
    assert saved.score == 100.0
    assert saved.scores.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": {}}, "name"),
        ({"max_score": 0}, "max_score"),
        ({"max_score": 101}, "max_score"),
        ({"weight": 0}, "weight"),
    ],
)
def test_criterion_input_is_checked(world, fields, field):
    values = {"name": {"ckb": "گرنگی"}, "max_score": 5, "weight": 1, **fields}
    with pytest.raises(ValidationError) as refused:
        review.save_criterion(conference=world["conference"], by=world["organizer"], **values)
    assert field in refused.value.message_dict
    assert ReviewCriterion.objects.count() == 2


def test_a_criterion_in_three_languages_by_organizers_only(world):
    made = review.save_criterion(
        conference=world["conference"], by=world["organizer"],
        name={"ar": "الأثر", "ckb": "کاریگەری", "en": "Impact"}, help_text={"en": "Who benefits?"},
        max_score=4, weight=3, order=3,
    )
    assert (made.name["ckb"], made.max_score, made.weight) == ("کاریگەری", 4, 3)
    with pytest.raises(ProgrammeError):
        review.save_criterion(conference=world["conference"], by=world["reviewer"], name={"en": "X"})


# --- Decisions -----------------------------------------------------------------------------
@pytest.fixture
def decide(django_capture_on_commit_callbacks):
    """``review.decide`` with the e-mails it queues on commit really sent."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return review.decide(**kwargs)

    return run


@pytest.fixture
def decided_pair(world):
    """Two proposals whose speakers read Arabic, Sorani and English; one speaker is
    also the proposer, and one invitee has no account yet."""
    make_delegate = world["make_delegate"]
    layla = make_delegate("layla@example.org", language="ar")
    karwan = make_delegate("karwan@example.org", language="ckb")
    anna = make_delegate("anna@example.org", language="en")
    first = world["proposal"](
        speakers=[layla, karwan, "guest@example.org"], proposer=layla, organization=world["mosul"],
        title={"ar": "حقوق المياه", "ckb": "مافی ئاو", "en": "Water rights"},
    )
    second = world["proposal"](
        speakers=[anna], proposer=karwan, title={"ar": "الأهوار", "ckb": "هۆرەکان", "en": "The marshes"}
    )
    return first, second, {"ar": layla, "ckb": karwan, "en": anna}


def test_accepting_many_mails_each_person_once_in_their_language(decide, world, decided_pair, mailoutbox):
    first, second, people = decided_pair
    result = decide(proposals=[first, second], accept=True, by=world["organizer"], note="See you!")
    assert result["done"] == [first, second] and not result["refused"]
    for proposal in (first, second):
        proposal.refresh_from_db()
        assert proposal.state == State.ACCEPTED
        assert proposal.decided_by == world["organizer"] and proposal.decided_at is not None
    # Layla (speaker and proposer of the first) once; Karwan for each; Anna once.
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["layla@example.org", "karwan@example.org", "karwan@example.org", "anna@example.org"]
    )
    titles = {"ar": "مؤتمر التضامن ٢٠٢٧", "ckb": "کۆنفرانسی هاوپشتی ٢٠٢٧", "en": "Solidarity Conference 2027"}
    for language, person in people.items():
        for message in (m for m in mailoutbox if m.to == [person.email]):
            html = message.alternatives[0][0]
            assert f'lang="{language}"' in html
            assert ('dir="rtl"' in html) == (language != "en")
            assert titles[language] in message.subject
            assert "See you!" in message.body
    ckb_titles = sorted(m.subject for m in mailoutbox if m.to == ["karwan@example.org"])
    assert any("مافی ئاو" in subject for subject in ckb_titles)
    assert any("هۆرەکان" in subject for subject in ckb_titles)
    assert "Water rights" not in " ".join(ckb_titles)


def test_deciding_again_changes_nothing_and_mails_nobody(decide, world, decided_pair, mailoutbox):
    first, second, _people = decided_pair
    decide(proposals=[first], accept=True, by=world["organizer"])
    sent = len(mailoutbox)
    decided_at = Proposal.objects.get(pk=first.pk).decided_at
    result = decide(proposals=[first, second], accept=True, by=world["organizer"])
    assert result["unchanged"] == [first] and result["done"] == [second]
    assert Proposal.objects.get(pk=first.pk).decided_at == decided_at
    assert len(mailoutbox) == sent + 2  # only the second proposal's people
    assert Slot.objects.filter(proposal=first).count() == 1


def test_accepting_puts_an_unplaced_slot_in_the_draft(decide, world, decided_pair, mailoutbox):
    first, _second, _people = decided_pair
    assert not Schedule.objects.exists()
    decide(proposals=[first], accept=True, by=world["organizer"])
    draft = Schedule.objects.get(conference=world["conference"], version=None)
    slot = Slot.objects.get(schedule=draft, proposal=first)
    assert (slot.room, slot.starts_at, slot.ends_at) == (None, None, None)


def test_rejecting_an_accepted_one_removes_its_unplaced_slot(decide, world, decided_pair, mailoutbox):
    first, _second, _people = decided_pair
    decide(proposals=[first], accept=True, by=world["organizer"])
    result = decide(proposals=[first], accept=False, by=world["organizer"], note="Room is short.")
    assert result["done"] == [first]
    assert not Slot.objects.filter(proposal=first).exists()
    assert Proposal.objects.get(pk=first.pk).state == State.REJECTED
    rejected = [m for m in mailoutbox if "Room is short." in m.body]
    assert len(rejected) == 2  # Layla and Karwan


def test_a_placed_session_is_not_rejected_until_unplaced(decide, world, programme, decided_pair, mailoutbox):
    first, _second, _people = decided_pair
    decide(proposals=[first], accept=True, by=world["organizer"])
    Slot.objects.filter(proposal=first).update(
        room=programme["rooms"]["tigris"], starts_at=at(2, 11), ends_at=at(2, 12)
    )
    mailoutbox.clear()
    with translation.override("en"):
        result = decide(proposals=[first], accept=False, by=world["organizer"])
    [(refused, message)] = result["refused"]
    assert refused == first
    assert "Tigris room" in message and "11:00" in message and "unplace it first" in message
    assert Proposal.objects.get(pk=first.pk).state == State.ACCEPTED
    assert Slot.objects.get(proposal=first).room == programme["rooms"]["tigris"]
    assert mailoutbox == []


def test_withdrawn_proposals_are_not_decided_and_others_still_are(decide, world, decided_pair, mailoutbox):
    first, second, _people = decided_pair
    Proposal.objects.filter(pk=second.pk).update(state=State.WITHDRAWN)
    second.refresh_from_db()
    result = decide(proposals=[first, second], accept=True, by=world["organizer"])
    assert result["done"] == [first]
    assert [p for p, _m in result["refused"]] == [second]
    assert Proposal.objects.get(pk=second.pk).state == State.WITHDRAWN


def test_only_organizers_decide(decide, world, decided_pair):
    first, _second, _people = decided_pair
    with pytest.raises(ProgrammeError) as refused:
        decide(proposals=[first], accept=True, by=world["reviewer"])
    assert refused.value.code == "forbidden"
    assert Proposal.objects.get(pk=first.pk).state == State.SUBMITTED
