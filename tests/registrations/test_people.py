"""The rules about people (registrations.people), each pinned once: the public, staff,
badge and greeting names, "at risk is never public" on every public surface, and who is
a (confirmed) delegate."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from registrations import people, services
from registrations.models import DelegateProfile, Registration

# With the programme's fixtures, for the public pages and feeds below.
from tests.sessions.conftest import (  # noqa: F401
    at,
    make_confirmed_delegate,
    make_session,
    programme,
    release_rows,
)

ARABIC = "سارا أحمد"


# --- Names ------------------------------------------------------------------------------
def test_badge_name_is_the_chosen_one_then_arabic_then_passport(make_delegate):
    chosen = make_delegate(passport_name="Sara Ahmed", arabic_name=ARABIC, badge_name="Sara")
    arabic = make_delegate(passport_name="Sara Ahmed", arabic_name=ARABIC)
    latin = make_delegate(passport_name="Sara Ahmed")
    assert people.badge_name(chosen.delegate_profile) == "Sara"
    assert people.badge_name(arabic.delegate_profile) == ARABIC
    assert people.badge_name(latin.delegate_profile) == "Sara Ahmed"
    # The profile's property is the same rule, not a copy of it.
    assert arabic.delegate_profile.display_badge_name == ARABIC


def test_staff_name_shows_both_scripts_once_and_falls_back_to_the_account(make_delegate, make_user):
    both = make_delegate(passport_name="Sara Ahmed", arabic_name=ARABIC)
    assert people.staff_name(both) == f"{ARABIC} · Sara Ahmed"
    same = make_delegate(passport_name="Sara Ahmed", arabic_name="Sara Ahmed")
    assert people.staff_name(same) == "Sara Ahmed"
    no_profile = make_user(name="Account Name")
    assert people.staff_name(no_profile) == "Account Name"
    assert people.staff_name(None, fallback="—") == "—"


def test_public_name_is_the_badge_name_and_never_anyone_at_risk(make_delegate, make_user):
    open_person = make_delegate(passport_name="Sara Ahmed", arabic_name=ARABIC, badge_name="Sara")
    risk = make_delegate(
        passport_name="Hidden Person", arabic_name="شخص مخفي", badge_name="Safe", at_risk=True
    )
    assert people.public_name(open_person) == "Sara"
    assert people.public_name(risk) is None  # not even the chosen badge name
    assert people.public_name(make_user(name="No Profile")) == "No Profile"
    assert people.public_name(None) is None
    assert people.is_at_risk(risk) and not people.is_at_risk(open_person) and not people.is_at_risk(None)


def test_listed_names_and_the_listing_filter_refuse_a_person_at_risk(make_delegate):
    listed = make_delegate(passport_name="Listed", arabic_name=ARABIC, public_listing=True)
    risk = make_delegate(passport_name="Risky", at_risk=True)
    DelegateProfile.objects.filter(user=risk).update(public_listing=True)  # behind the form's back
    risk.refresh_from_db()
    assert people.listed_names(listed.delegate_profile) == (ARABIC, "Listed")
    assert people.listed_names(risk.delegate_profile) is None
    assert not risk.delegate_profile.is_public
    listable = DelegateProfile.objects.filter(people.publicly_listed_q())
    assert list(listable.values_list("user", flat=True)) == [listed.pk]


def test_the_template_filters_apply_the_same_rules(make_delegate):
    risk = make_delegate(passport_name="Hidden Person", badge_name="Safe", at_risk=True)
    shown = make_delegate(passport_name="Sara Ahmed", arabic_name=ARABIC)
    template = Template("{% load people %}[{{ a|public_name }}][{{ b|public_name }}][{{ b|staff_name }}]")
    assert template.render(Context({"a": risk, "b": shown})) == f"[][{ARABIC}][{ARABIC} · Sara Ahmed]"


def test_greeting_name_is_in_the_script_of_the_reader(make_delegate, make_user):
    arabic_reader = make_delegate(passport_name="Sara Ahmed", arabic_name=ARABIC, language="ar")
    english_reader = make_delegate(passport_name="Sara Ahmed", arabic_name=ARABIC, language="en")
    assert people.greeting_name(arabic_reader) == ARABIC
    assert people.greeting_name(english_reader.__class__.objects.get(pk=english_reader.pk)) != ARABIC
    nameless = make_user(name=" ")
    nameless.full_name = ""
    assert people.greeting_name(nameless) == nameless.email


def test_the_core_mail_greeting_hook_is_the_people_rule(make_delegate):
    from conference import mail

    person = make_delegate(passport_name="Sara Ahmed", arabic_name=ARABIC, language="ckb")
    assert mail.greeting_name(person) == ARABIC


# --- Delegates ----------------------------------------------------------------------------
def test_delegate_and_confirmed_delegate(edition, make_category, make_delegate, make_user):
    open_category = make_category(edition, slug="open", capacity=5)
    approval = make_category(edition, slug="approval", capacity=5, requires_approval=True)
    confirmed, waiting, cancelled = make_delegate(), make_delegate(), make_delegate()
    services.register(user=confirmed, category=open_category)
    services.register(user=waiting, category=approval)
    Registration.objects.create(
        conference=edition, category=open_category, user=cancelled, status=Registration.Status.CANCELLED
    )
    stranger = make_user()
    assert people.is_delegate(confirmed, edition) and people.is_delegate(waiting, edition)
    assert not people.is_delegate(cancelled, edition) and not people.is_delegate(stranger, edition)
    assert people.is_confirmed_delegate(user=confirmed, conference=edition)
    assert not people.is_confirmed_delegate(user=waiting, conference=edition)
    assert not people.is_confirmed_delegate(user=cancelled, conference=edition)


# --- At risk is never public, on every public surface ------------------------------------
@pytest.fixture
def released_with_risk(programme, make_confirmed_delegate, make_session):  # noqa: F811
    risk = make_confirmed_delegate(
        passport_name="Hidden Person", arabic_name="شخص مخفي", badge_name="Safe Name", at_risk=True,
        public_listing=False,
    )
    shown = make_confirmed_delegate(passport_name="Shown Person", badge_name="Shown Badge")
    make_session(room="hall", start=at(1, 10), speakers=[risk, shown])
    release_rows(programme["conference"])
    DelegateProfile.objects.filter(user=risk).update(public_listing=True)  # behind the form's back
    return programme["conference"]


HIDDEN = ("Hidden Person", "شخص مخفي", "Safe Name")


@pytest.mark.parametrize(
    "address",
    [
        "/en/{slug}/programme/",
        "/ar/{slug}/programme/",
        "/{slug}/schedule.json",
        "/{slug}/schedule.xml",
        "/{slug}/schedule.ics",
        "/en/{slug}/participants/",
    ],
)
def test_a_person_at_risk_is_named_on_no_public_page_or_feed(client, released_with_risk, address):
    response = client.get(address.format(slug=released_with_risk.slug))
    assert response.status_code == 200
    body = response.content.decode()
    for name in HIDDEN:
        assert name not in body
    if "participants" not in address:
        assert "Shown Badge" in body  # the page does name the others
