"""E-mails greet people by their name in the script of the language they read: the
Arabic-script name on file for Arabic and Sorani readers, the Latin one otherwise."""

import pytest

from registrations import services as registration_services
from registrations.people import greeting_name, greeting_names
from sessions import workshops
from tests.emails import stored_emails
from tests.sessions.conftest import at, release_rows

LATIN, ARABIC = "Layla Hassan", "ليلى حسن"


@pytest.fixture
def make_person(make_delegate):
    def make(language, *, arabic_name=ARABIC):
        person = make_delegate(language=language, passport_name=LATIN, arabic_name=arabic_name)
        # What sign-up (no name asked) then the first profile leave: the passport name.
        person.full_name = LATIN
        person.save(update_fields=["full_name"])
        return person

    return make


@pytest.mark.parametrize(("language", "expected"), [("ar", ARABIC), ("ckb", ARABIC), ("en", LATIN)])
def test_the_name_follows_the_readers_script(make_person, language, expected):
    person = make_person(language)
    assert person.full_name == LATIN
    assert greeting_name(person) == expected


def test_without_an_arabic_name_the_latin_one_greets(make_person, make_user):
    assert greeting_name(make_person("ar", arabic_name="")) == LATIN
    # Someone who wrote their name in Arabic script (and has no profile) keeps it; an
    # English reader with only that name is greeted by it rather than by an address.
    assert greeting_name(make_user(language="ckb", name="ڕێبین عومەر")) == "ڕێبین عومەر"
    assert greeting_name(make_user(language="en", name="ڕێبین عومەر")) == "ڕێبین عومەر"
    staff = make_user("staff@example.org", language="en", name="")
    staff.full_name = ""
    assert greeting_name(staff) == "staff@example.org"


def test_many_at_once_in_one_query(make_person, django_assert_num_queries):
    people = [make_person(language) for language in ("ar", "ckb", "en")]
    with django_assert_num_queries(1):
        names = greeting_names(people)
    assert [names[person.pk] for person in people] == [ARABIC, ARABIC, LATIN]


@pytest.mark.parametrize(("language", "expected", "absent"), [("ar", ARABIC, LATIN), ("en", LATIN, ARABIC)])
def test_registration_email_greets_in_the_readers_script(
    programme, make_person, django_capture_on_commit_callbacks, language, expected, absent
):
    person = make_person(language)
    registration_services.register(user=person, category=programme["category"])
    (message,) = stored_emails(to=person.email, kind="registration_status")
    first_line = message.body_text.splitlines()[0]
    assert expected in first_line and absent not in first_line
    assert expected in message.body_html and absent not in message.body_html


@pytest.mark.parametrize(("language", "expected", "absent"), [("ckb", ARABIC, LATIN), ("en", LATIN, ARABIC)])
def test_programme_email_greets_in_the_readers_script(
    programme, make_session, make_confirmed_delegate, make_person, language, expected, absent
):
    workshop = make_session(room="library", start=at(1, 10), format="workshop", signup_capacity=1)
    release_rows(programme["conference"])
    holder = make_confirmed_delegate()
    person = make_person(language)
    registration_services.register(user=person, category=programme["category"], send_email=False)
    workshops.sign_up(proposal=workshop, user=holder)
    workshops.sign_up(proposal=workshop, user=person)
    workshops.cancel(proposal=workshop, user=holder)  # the place passes to the person
    (message,) = stored_emails(to=person.email, kind="programme_signup_promoted")
    first_line = message.body_text.splitlines()[0]
    assert expected in first_line and absent not in first_line


@pytest.mark.parametrize(("language", "expected", "absent"), [("ar", ARABIC, LATIN), ("en", LATIN, ARABIC)])
def test_the_cores_team_email_greets_in_the_readers_script(
    programme, make_person, language, expected, absent
):
    # The core cannot import registrations: the app installs its greeting when loaded.
    from conference import services as conference_services
    from conference.models import TeamMember

    person = make_person(language)
    conference_services.team_member_add(
        conference=programme["conference"], user=person, role=TeamMember.Role.VENUE_STAFF
    )
    (message,) = stored_emails(to=person.email, kind="team_member_added")
    first_line = message.body_text.splitlines()[0]
    assert expected in first_line and absent not in first_line
