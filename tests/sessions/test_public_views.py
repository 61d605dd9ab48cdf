"""Public programme pages: the release by day, track and room with filters, a page per
session, stars (also as JSON for the script), workshop sign-up and the agenda."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.models import AgendaFeed, Star, WorkshopSignup
from tests.sessions.conftest import at, release_rows

EDITION = "baghdad-2027"


def url(name, language="en", **kwargs):
    from django.utils import translation

    with translation.override(language):
        return reverse(name, kwargs={"edition": EDITION, **kwargs})


def page(client, address, **params):
    response = client.get(address, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def at_risk_speaker(make_confirmed_delegate):
    return make_confirmed_delegate(passport_name="Hidden Person", arabic_name="شخص مخفي", at_risk=True)


# --- The programme ---------------------------------------------------------------------
def test_programme_before_any_release_says_it_is_not_published(client, programme, make_session):
    make_session(room="hall", start=at(1, 10))
    for language in ("ar", "en"):
        html = page(client, url("programme", language))
        assert "programme-pending" in html
        assert "Session 1" not in html and "جلسة 1" not in html


@pytest.mark.parametrize("language", ["ar", "en"])
def test_programme_shows_the_release_by_day(
    client, programme, make_session, make_confirmed_delegate, language
):
    speaker = make_confirmed_delegate(passport_name="Noor Salim", badge_name="Noor Salim")
    first = make_session(room="hall", start=at(1, 9), speakers=[speaker], languages=["ar", "en"])
    second = make_session(room="tigris", start=at(2, 14))
    release_rows(programme["conference"])
    draft_only = make_session(room="garden", start=at(1, 15))

    html = page(client, url("programme", language))
    assert f'lang="{language}"' in html
    assert str(first.title.get(language)) in html
    assert "Noor Salim" in html
    # Day one by default; day two is a tab away.
    assert str(second.title.get(language)) not in html
    assert str(draft_only.title.get(language)) not in html
    assert "?day=2027-04-14" in html
    # Times in Baghdad time, whatever the server's zone.
    assert ">09:00</time>" in html and ">10:00</time>" in html
    # The feeds and the release version.
    for suffix in ("ics", "xml", "json"):
        assert f'href="/{EDITION}/schedule.{suffix}"' in html
    assert "1" in html
    html = page(client, url("programme", language), day="2027-04-14")
    assert str(second.title.get(language)) in html
    assert str(first.title.get(language)) not in html
    html = page(client, url("programme", language), day="all")
    assert str(first.title.get(language)) in html and str(second.title.get(language)) in html


def test_a_title_in_another_language_carries_its_own_lang_and_dir(client, programme, make_session):
    make_session(room="hall", start=at(1, 9), title={"ar": "عنوان عربي فقط"})
    release_rows(programme["conference"])
    html = page(client, url("programme", "en"))
    assert 'lang="ar" dir="rtl">عنوان عربي فقط</a>' in html


def test_views_by_track_and_by_room_head_groups_with_their_names(client, programme, make_session):
    tracks = programme["tracks"]
    make_session(room="hall", start=at(1, 9), track=tracks[0])
    make_session(room="library", start=at(1, 9), track=tracks[1])
    release_rows(programme["conference"])
    html = page(client, url("programme"), view="track")
    assert html.count('class="programme-group"') == 2
    assert str(tracks[0].name.get("en")) in html
    html = page(client, url("programme"), view="room")
    assert html.count('class="programme-group"') == 2
    assert ">Main hall</span></h3>" in html and ">Library</span></h3>" in html


def test_filters_combine_and_reset(client, programme, make_session):
    tracks = programme["tracks"]
    target = make_session(
        room="hall", start=at(1, 9), track=tracks[0], languages=["ar", "en"], format="workshop",
        interpretation_wanted=True, title={"en": "Target"},
    )
    make_session(room="tigris", start=at(1, 9), track=tracks[0], languages=["ar"], format="workshop",
                 interpretation_wanted=True, title={"en": "Arabic only"})
    make_session(room="library", start=at(1, 9), track=tracks[0], languages=["en"], format="panel",
                 title={"en": "A panel"})
    make_session(room="garden", start=at(1, 11), track=tracks[1], languages=["en"], format="workshop",
                 title={"en": "Other track"})
    # Wanted interpretation but the room has no booth: no interpretation to offer.
    make_session(room="library", start=at(1, 14), track=tracks[0], languages=["en"], format="workshop",
                 interpretation_wanted=True, title={"en": "No booth"})
    release_rows(programme["conference"])
    titles = ("Target", "Arabic only", "A panel", "Other track", "No booth")

    def shown(**params):
        html = page(client, url("programme"), **params)
        return {title for title in titles if f">{title}</a>" in html}

    assert shown() == set(titles)
    assert shown(track=tracks[0].slug) == {"Target", "Arabic only", "A panel", "No booth"}
    assert shown(track=tracks[0].slug, lang="en") == {"Target", "A panel", "No booth"}
    assert shown(track=tracks[0].slug, lang="en", format="workshop") == {"Target", "No booth"}
    everything = {"track": tracks[0].slug, "lang": "en", "format": "workshop", "interpretation": "on"}
    assert shown(**everything) == {target.title["en"]}
    html = page(client, url("programme"), track=tracks[0].slug, lang="en")
    assert "Reset the filters" in html
    # A value that is not offered is named as an error and the rest of the page stands.
    html = page(client, url("programme"), track="no-such-track", format="workshop")
    assert 'class="field__error"' in html
    assert ">Target</a>" in html and ">A panel</a>" not in html


def test_workshop_places_left_and_full(client, programme, make_session, make_confirmed_delegate):
    workshop = make_session(room="library", start=at(1, 9), format="workshop", signup_capacity=1,
                            title={"en": "Water rights"})
    release_rows(programme["conference"])
    html = page(client, url("programme"))
    assert "1 place left" in html
    WorkshopSignup.objects.create(proposal=workshop, user=make_confirmed_delegate(), status="confirmed")
    html = page(client, url("programme"))
    assert "Full: waiting list" in html


# --- People at risk --------------------------------------------------------------------
def test_a_speaker_at_risk_is_never_named_on_any_page(
    client, programme, make_session, make_confirmed_delegate, at_risk_speaker
):
    named = make_confirmed_delegate(passport_name="Open Speaker", badge_name="Open Speaker")
    session = make_session(room="hall", start=at(1, 9), speakers=[named, at_risk_speaker],
                           signup_capacity=10, format="workshop")
    other = make_session(room="tigris", start=at(1, 9), speakers=[at_risk_speaker])
    release_rows(programme["conference"])
    delegate = make_confirmed_delegate()
    client.force_login(delegate)
    Star.objects.create(user=delegate, proposal=session)
    Star.objects.create(user=delegate, proposal=other)
    forbidden = ("Hidden Person", "شخص مخفي", at_risk_speaker.email, at_risk_speaker.full_name)
    pages = []
    for language in ("ar", "en"):
        pages += [
            page(client, url("programme", language)),
            page(client, url("programme", language), view="track", day="all"),
            page(client, url("programme_session", language, code=session.code)),
            page(client, url("programme_session", language, code=other.code)),
            page(client, url("programme_agenda", language)),
        ]
    answer = client.post(url("programme_star", code=session.code), {"action": "star"},
                         HTTP_ACCEPT="application/json")
    pages.append(answer.content.decode())
    for html in pages:
        for text in forbidden:
            assert text not in html
    english = page(client, url("programme_session", code=session.code))
    assert "Open Speaker" in english
    assert "and 1 more speaker, not named publicly" in english
    assert "1 speaker, not named publicly" in page(client, url("programme_session", code=other.code))


# --- One session -----------------------------------------------------------------------
@pytest.mark.parametrize("language", ["ar", "en"])
def test_session_page_shows_room_languages_and_abstracts(client, programme, make_session, language):
    session = make_session(
        room="hall", start=at(2, 11), languages=["ar", "ckb"], interpretation_wanted=True,
        abstract={"ar": "نبذة بالعربية", "en": "An English abstract"},
    )
    release_rows(programme["conference"])
    html = page(client, url("programme_session", language, code=session.code))
    assert str(session.title.get(language)) in html
    assert "نبذة بالعربية" in html and "An English abstract" in html
    assert '<div class="abstract" lang="ar" dir="rtl">' in html
    assert '<div class="abstract" lang="en" dir="ltr">' in html
    assert "11:00</time>\u2013<time" in html and ">12:00</time>" in html
    if language == "en":
        assert "Main hall" in html
        assert "Step-free access" in html and "Interpretation booth" in html
        assert "Interpretation available" in html
        assert "Central Kurdish (Sorani)" in html
        assert "Sign in to add it to your agenda" in html


def test_a_session_not_in_the_release_is_not_found(client, programme, make_session):
    released = make_session(room="hall", start=at(1, 9))
    release_rows(programme["conference"])
    later = make_session(room="tigris", start=at(1, 9))
    assert client.get(url("programme_session", code=released.code)).status_code == 200
    assert client.get(url("programme_session", code=later.code)).status_code == 404
    assert client.get(url("programme_session", code="NOPE99")).status_code == 404


def test_a_session_is_not_found_before_any_release(client, programme, make_session):
    session = make_session(room="hall", start=at(1, 9))
    assert client.get(url("programme_session", code=session.code)).status_code == 404


# --- Stars -----------------------------------------------------------------------------
def test_star_toggles_and_goes_back_to_a_safe_next(client, programme, make_session, make_confirmed_delegate):
    session = make_session(room="hall", start=at(1, 9))
    release_rows(programme["conference"])
    person = make_confirmed_delegate()
    client.force_login(person)
    star_url = url("programme_star", code=session.code)
    response = client.post(star_url, {"next": url("programme") + "?day=all"})
    assert response.status_code == 302 and response["Location"] == url("programme") + "?day=all"
    assert Star.objects.filter(user=person, proposal=session).exists()
    html = page(client, url("programme"))
    assert 'aria-pressed="true"' in html
    response = client.post(star_url, {"next": "https://evil.example.org/"})
    assert response["Location"] == url("programme_session", code=session.code)
    assert not Star.objects.filter(user=person, proposal=session).exists()
    # An explicit action is kept even when repeated (two tabs, a double click).
    client.post(star_url, {"action": "star"})
    client.post(star_url, {"action": "star"})
    assert Star.objects.filter(user=person, proposal=session).count() == 1


def test_star_answers_json_with_the_clashes(client, programme, make_session, make_confirmed_delegate):
    first = make_session(room="hall", start=at(1, 10), duration=90, title={"en": "Budgets"})
    second = make_session(room="tigris", start=at(1, 11), title={"en": "Water"})
    release_rows(programme["conference"])
    client.force_login(make_confirmed_delegate())
    answer = client.post(url("programme_star", code=first.code), {"action": "star"},
                         HTTP_ACCEPT="application/json")
    assert answer.status_code == 200
    assert answer.json() == {"starred": True, "clashes": []}
    answer = client.post(url("programme_star", code=second.code), {"action": "star"},
                         HTTP_ACCEPT="application/json").json()
    assert answer["starred"] is True
    [clash] = answer["clashes"]
    assert clash["sessions"] == [first.code, second.code]
    assert "Budgets" in clash["message"] and "Water" in clash["message"]
    assert "10:00" in clash["message"] and "11:00" in clash["message"]
    answer = client.post(url("programme_star", code=second.code), {"action": "unstar"},
                         HTTP_ACCEPT="application/json").json()
    assert answer == {"starred": False, "clashes": []}


def test_star_needs_a_signed_in_person(client, programme, make_session):
    session = make_session(room="hall", start=at(1, 9))
    release_rows(programme["conference"])
    response = client.post(url("programme_star", code=session.code))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(url("programme_star", code=session.code), HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert not Star.objects.exists()
    assert client.get(url("programme_star", code=session.code)).status_code == 405


def test_programme_page_warns_of_clashes_after_starring(
    client, programme, make_session, make_confirmed_delegate
):
    first = make_session(room="hall", start=at(1, 10), duration=90, title={"en": "Budgets"})
    second = make_session(room="tigris", start=at(1, 11), title={"en": "Water"})
    release_rows(programme["conference"])
    client.force_login(make_confirmed_delegate())
    client.post(url("programme_star", code=first.code))
    html = page(client, url("programme"))
    assert 'data-clash-notice aria-labelledby="clash-title" hidden' in html
    client.post(url("programme_star", code=second.code))
    html = page(client, url("programme"))
    assert 'data-clash-notice aria-labelledby="clash-title">' in html
    assert "overlaps" in html and "Budgets" in html


# --- Workshop sign-up ------------------------------------------------------------------
def test_a_confirmed_delegate_signs_up_and_cancels(client, programme, make_session, make_confirmed_delegate):
    workshop = make_session(room="library", start=at(1, 9), format="workshop", signup_capacity=1,
                            title={"en": "Water rights"})
    release_rows(programme["conference"])
    person = make_confirmed_delegate()
    client.force_login(person)
    html = page(client, url("programme_session", code=workshop.code))
    assert url("programme_signup", code=workshop.code) in html
    response = client.post(url("programme_signup", code=workshop.code), follow=True)
    assert WorkshopSignup.objects.get(user=person, proposal=workshop).status == "confirmed"
    html = response.content.decode()
    assert "You have a place in “Water rights”." in html
    assert "Give up my place" in html and "Full" in html
    # The next person joins the waiting list and is told their number.
    client.force_login(make_confirmed_delegate())
    html = client.post(url("programme_signup", code=workshop.code), follow=True).content.decode()
    assert "you are number 1 on the waiting list" in html
    assert "Leave the waiting list" in html
    client.force_login(person)
    html = client.post(url("programme_signup_cancel", code=workshop.code), follow=True).content.decode()
    assert "You gave up your place in “Water rights”." in html
    assert WorkshopSignup.objects.get(user=person, proposal=workshop).status == "cancelled"


def test_sign_up_is_refused_to_someone_not_confirmed(client, programme, make_session, make_delegate):
    workshop = make_session(room="library", start=at(1, 9), format="workshop", signup_capacity=5)
    release_rows(programme["conference"])
    client.force_login(make_delegate())
    html = page(client, url("programme_session", code=workshop.code))
    assert "Only delegates with a confirmed registration can sign up for workshops." in html
    assert url("programme_signup", code=workshop.code) not in html
    html = client.post(url("programme_signup", code=workshop.code), follow=True).content.decode()
    assert "message--error" in html
    assert "Only delegates with a confirmed registration" in html
    assert not WorkshopSignup.objects.exists()


def test_sign_up_asks_a_stranger_to_sign_in(client, programme, make_session):
    workshop = make_session(room="library", start=at(1, 9), format="workshop", signup_capacity=5)
    release_rows(programme["conference"])
    html = page(client, url("programme_session", code=workshop.code))
    assert "Sign in to sign up" in html
    response = client.post(url("programme_signup", code=workshop.code))
    assert "/accounts/login/" in response["Location"]


def test_a_clashing_sign_up_is_refused_naming_the_other_workshop(
    client, programme, make_session, make_confirmed_delegate
):
    first = make_session(room="library", start=at(1, 9), format="workshop", signup_capacity=5,
                         title={"en": "Water rights"})
    second = make_session(room="garden", start=at(1, 9, 30), format="workshop", signup_capacity=5,
                          title={"en": "Media safety"})
    release_rows(programme["conference"])
    person = make_confirmed_delegate(language="en")
    client.force_login(person)
    client.post(url("programme_signup", code=first.code))
    html = client.post(url("programme_signup", code=second.code), follow=True).content.decode()
    assert "message--error" in html
    assert "Water rights" in html.split('class="messages"')[1].split("</div>")[0]
    assert not WorkshopSignup.objects.filter(user=person, proposal=second).exists()


# --- The agenda ------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["ar", "en"])
def test_agenda_shows_stars_sign_ups_and_clashes(
    client, programme, make_session, make_confirmed_delegate, language, settings
):
    settings.SITE_URL = "https://tadamun.example.org"
    first = make_session(
        room="hall", start=at(1, 10), duration=90, title={"en": "Budgets", "ar": "الميزانيات"}
    )
    second = make_session(room="tigris", start=at(1, 11), title={"en": "Water", "ar": "المياه"})
    workshop = make_session(room="library", start=at(2, 9), format="workshop", signup_capacity=5)
    release_rows(programme["conference"])
    person = make_confirmed_delegate()
    client.force_login(person)
    Star.objects.create(user=person, proposal=first)
    Star.objects.create(user=person, proposal=second)
    client.post(url("programme_signup", code=workshop.code))
    html = page(client, url("programme_agenda", language))
    title = "الميزانيات" if language == "ar" else "Budgets"
    assert title in html
    assert 'data-clash-notice aria-labelledby="clash-title">' in html
    assert html.count('data-clash-marker>') == 2  # both clashing sessions are marked
    if language == "en":
        assert "“\u2068Budgets\u2069” (Tuesday 13 April 10:00\u201311:30) overlaps" in html
        assert "Signed up" in html and "Remove from my agenda" in html
    token = AgendaFeed.objects.get(user=person).token
    assert f'value="https://tadamun.example.org/{EDITION}/agenda/{token}.ics"' in html
    assert f'href="webcal://tadamun.example.org/{EDITION}/agenda/{token}.ics"' in html


def test_agenda_needs_a_signed_in_person(client, programme):
    response = client.get(url("programme_agenda"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_regenerate_gives_a_new_address(client, programme, make_confirmed_delegate):
    person = make_confirmed_delegate()
    client.force_login(person)
    page(client, url("programme_agenda"))
    old = AgendaFeed.objects.get(user=person).token
    response = client.post(url("programme_agenda_regenerate"), follow=True)
    new = AgendaFeed.objects.get(user=person).token
    assert new != old
    html = response.content.decode()
    assert new in html and old not in html
    assert "The old one no longer works" in html


def test_unstar_from_the_agenda(client, programme, make_session, make_confirmed_delegate):
    session = make_session(room="hall", start=at(1, 10))
    release_rows(programme["conference"])
    person = make_confirmed_delegate()
    client.force_login(person)
    Star.objects.create(user=person, proposal=session)
    agenda_url = url("programme_agenda")
    response = client.post(url("programme_star", code=session.code), {"action": "unstar", "next": agenda_url})
    assert response["Location"] == agenda_url
    assert "Your agenda is empty." in page(client, agenda_url)


# --- Query counts ----------------------------------------------------------------------
def _fill(make_session, make_confirmed_delegate, count):
    """``count`` sessions spread over three days and four rooms, every fifth a workshop,
    three speakers shared between them."""
    speakers = [make_confirmed_delegate() for _ in range(3)]
    rooms = ["hall", "tigris", "library", "garden"]
    made = []
    for n in range(count):
        day, rest = 1 + n % 3, n // 3
        room, half_hour = rooms[rest % 4], rest // 4
        extra = {"format": "workshop", "signup_capacity": 20} if n % 5 == 0 else {}
        made.append(make_session(
            room=room, start=at(day, 9 + half_hour // 2, 30 * (half_hour % 2)), duration=30,
            speakers=[speakers[n % 3]], languages=["ar", "en"], **extra,
        ))
    return made


def _count(client, address, **params):
    with CaptureQueriesContext(connection) as queries:
        page(client, address, **params)
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_programme_query_count_is_flat(
    client, programme, make_session, make_confirmed_delegate, django_assert_num_queries, signed_in
):
    sessions = _fill(make_session, make_confirmed_delegate, 10)
    release_rows(programme["conference"])
    if signed_in:
        person = make_confirmed_delegate()
        client.force_login(person)
        Star.objects.create(user=person, proposal=sessions[0])
    small = _count(client, url("programme"), day="all")
    more = _fill(make_session, make_confirmed_delegate, 190)
    from sessions.models import Schedule

    Schedule.objects.filter(version=1).delete()
    release_rows(programme["conference"])
    if signed_in:
        Star.objects.bulk_create(Star(user=person, proposal=s) for s in more[:50])
    with django_assert_num_queries(small):
        html = page(client, url("programme"), day="all")
    assert html.count('class="session') >= 200


def test_session_page_query_count_is_flat(
    client, programme, make_session, make_confirmed_delegate, django_assert_num_queries
):
    sessions = _fill(make_session, make_confirmed_delegate, 10)
    release_rows(programme["conference"])
    person = make_confirmed_delegate()
    client.force_login(person)
    workshop = sessions[0]
    Star.objects.create(user=person, proposal=workshop)
    small = _count(client, url("programme_session", code=workshop.code))
    more = _fill(make_session, make_confirmed_delegate, 190)
    from sessions.models import Schedule

    Schedule.objects.filter(version=1).delete()
    release_rows(programme["conference"])
    Star.objects.bulk_create(Star(user=person, proposal=s) for s in more[:50])
    with django_assert_num_queries(small):
        page(client, url("programme_session", code=workshop.code))


def test_json_answer_is_plain_json(client, programme, make_session, make_confirmed_delegate):
    session = make_session(room="hall", start=at(1, 9))
    release_rows(programme["conference"])
    client.force_login(make_confirmed_delegate())
    answer = client.post(url("programme_star", code=session.code), HTTP_ACCEPT="application/json")
    assert answer["Content-Type"] == "application/json"
    assert json.loads(answer.content)["starred"] is True


def test_every_page_reads_in_sorani_right_to_left(
    client, programme, make_session, make_confirmed_delegate
):
    session = make_session(
        room="hall", start=at(1, 9), title={"ckb": "ئاو و ماف", "en": "Water and rights"},
        format="workshop", signup_capacity=3,
    )
    release_rows(programme["conference"])
    person = make_confirmed_delegate()
    client.force_login(person)
    Star.objects.create(user=person, proposal=session)
    for address in (url("programme", "ckb"), url("programme_session", "ckb", code=session.code),
                    url("programme_agenda", "ckb")):
        html = page(client, address)
        assert '<html lang="ckb" dir="rtl">' in html
        assert "ئاو و ماف" in html


def test_a_refused_sign_up_is_an_alert_not_a_saved_notice(
    client, programme, make_session, make_delegate
):
    """The refusal is an error-level message, announced as an alert and drawn with the
    error's own class and icon, never like the green "saved" (issue 10)."""
    from django.contrib.messages import ERROR

    workshop = make_session(room="library", start=at(1, 9), format="workshop", signup_capacity=5)
    release_rows(programme["conference"])
    client.force_login(make_delegate())
    response = client.post(url("programme_signup", code=workshop.code), follow=True)
    [message] = list(response.context["messages"])
    assert message.level == ERROR
    html = response.content.decode()
    shown = html.split('class="messages"')[1].split("</div>\n</div>")[0]
    assert 'class="message message--iconic message--error" role="alert"' in shown
    assert 'class="message__icon" aria-hidden="true">!<' in shown
    assert "message--success" not in shown


def test_star_button_says_and_shows_whether_the_session_is_in_the_agenda(
    client, programme, make_session, make_confirmed_delegate
):
    """Starred and unstarred differ in words, not only in an icon (issue 10)."""
    import re

    session = make_session(room="hall", start=at(1, 9))
    release_rows(programme["conference"])
    client.force_login(make_confirmed_delegate(language="en"))
    address = url("programme_session", code=session.code).replace("/ar/", "/en/", 1)

    def button(html):
        return re.search(r'<button type="submit" class="star-button".*?</button>', html, re.S).group(0)

    before = button(client.get(address).content.decode())
    assert 'aria-pressed="false"' in before and "Add to my agenda" in before
    assert "In my agenda — remove" not in before.split("data-star-icon")[1]
    client.post(url("programme_star", code=session.code), {"action": "star"})
    after = button(client.get(address).content.decode())
    assert 'aria-pressed="true"' in after and "★" in after
    assert "In my agenda — remove" in after.split("data-star-icon")[1]
    assert "Add to my agenda" not in after.split("data-star-icon")[1]
