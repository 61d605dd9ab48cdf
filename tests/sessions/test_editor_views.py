"""The editor's pages and JSON endpoints, the publish page and the public change log:
permissions, the no-script (keyboard) path, refusals that lose nothing, and query counts
that stay flat as the programme grows."""

import pytest
from django.urls import reverse
from django.utils import translation

from sessions import scheduling
from sessions.models import Schedule, Slot
from tests.sessions.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(programme, make_staff, client):
    user = make_staff(programme["conference"], "organizer", language="en")
    client.force_login(user)
    return user


def url(name, programme, language="en", **kwargs):
    from django.utils import translation

    with translation.override(language):
        return reverse(name, kwargs={"edition": programme["conference"].slug, **kwargs})


def draft_slot(proposal) -> Slot:
    return Slot.objects.get(schedule__version=None, proposal=proposal)


JSON = {"HTTP_ACCEPT": "application/json"}


# --- Access ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("schedule_editor", "get"),
        ("schedule_editor_data", "get"),
        ("schedule_check", "get"),
        ("schedule_place", "post"),
        ("schedule_unplace", "post"),
        ("schedule_publish", "get"),
        ("schedule_publish", "post"),
    ],
)
def test_a_reviewer_gets_403_on_every_editor_page(programme, make_staff, client, name, method):
    client.force_login(make_staff(programme["conference"], "reviewer"))
    response = getattr(client, method)(url(name, programme))
    assert response.status_code == 403


def test_the_move_form_needs_the_permission_too(programme, make_staff, make_session, client):
    session = make_session()
    client.force_login(make_staff(programme["conference"], "reviewer"))
    assert client.get(url("schedule_move", programme, slot=draft_slot(session).pk)).status_code == 403
    client.logout()
    response = client.get(url("schedule_move", programme, slot=draft_slot(session).pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- The page ----------------------------------------------------------------------------------------
def test_the_editor_shows_the_grid_unplaced_sessions_and_conflicts(
    programme, organizer, client, make_session, make_confirmed_delegate
):
    person = make_confirmed_delegate()
    person.full_name = "Huda Karim"
    person.save()
    make_session(room="hall", start=at(1, 10), speakers=[person], title={"en": "Water rights"})
    clash = make_session(
        room="library",
        start=at(1, 10),
        speakers=[person],
        interpretation_wanted=True,
        title={"en": "Marshes"},
    )
    make_session(title={"en": "Not yet placed"}, duration=45)
    response = client.get(url("schedule_editor", programme) + "?day=2027-04-13")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Main hall", "Tigris room", "Library", "Garden tent", "Water rights", "Not yet placed"):
        assert text in page
    assert "Huda Karim would be in two places at once: Marshes / Water rights." in page or (
        "Huda Karim would be in two places at once: Water rights / Marshes." in page
    )
    assert "Marshes wants interpretation, but Library has no interpretation booth." in page
    assert 'class="se-card se-card--hard"' in page
    assert f'id="slot-{draft_slot(clash).pk}"' in page
    assert "1 unplaced session" in page
    assert "45 min" in page
    assert reverse("schedule_move", kwargs={"edition": "baghdad-2027", "slot": draft_slot(clash).pk}) in page
    # The grid has the day's hours: 09:00 to 17:45 in 15-minute rows, 36 of them.
    assert page.count('<th scope="row" class="se-grid__time"') == 36
    assert 'rowspan="4"' in page  # a 60-minute session covers four rows


def test_a_five_minute_start_switches_the_grid_to_five_minute_rows(
    programme, organizer, client, make_session
):
    make_session(room="hall", start=at(2, 10, 5))
    page = client.get(url("schedule_editor", programme) + "?day=2027-04-14").content.decode()
    assert page.count('<th scope="row" class="se-grid__time"') == 9 * 12
    assert 'data-start="2027-04-14T10:05"' in page


def test_sessions_double_booked_in_one_room_are_all_shown(programme, organizer, client, make_session):
    first = make_session(room="hall", start=at(1, 10))
    second = make_session(room="hall", start=at(1, 10, 30))
    page = client.get(url("schedule_editor", programme)).content.decode()
    assert f'id="slot-{draft_slot(first).pk}"' in page and f'id="slot-{draft_slot(second).pk}"' in page


def test_an_unknown_day_falls_back_to_the_first(programme, organizer, client):
    response = client.get(url("schedule_editor", programme) + "?day=yesterday")
    assert response.status_code == 200
    assert 'data-day="2027-04-13"' in response.content.decode()


def test_the_arabic_editor_is_right_to_left(programme, make_staff, client, make_session):
    client.force_login(make_staff(programme["conference"], "organizer"))
    make_session(room="hall", start=at(1, 10))
    response = client.get(url("schedule_editor", programme, language="ar"))
    page = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "القاعة الكبرى" in page


# --- JSON endpoints ----------------------------------------------------------------------------------
def test_data_json_lists_rooms_days_slots_unplaced_and_conflicts(
    programme, organizer, client, make_session, make_confirmed_delegate
):
    person = make_confirmed_delegate()
    placed = make_session(room="hall", start=at(1, 10), speakers=[person])
    make_session(room="tigris", start=at(1, 10, 30), speakers=[person])
    loose = make_session()
    data = client.get(url("schedule_editor_data", programme)).json()
    assert [room["slug"] for room in data["rooms"]] == ["hall", "tigris", "library", "garden"]
    assert [day["date"] for day in data["days"]] == ["2027-04-13", "2027-04-14", "2027-04-15"]
    assert data["days"][0]["starts"] == "09:00" and data["days"][0]["ends"] == "18:00"
    first = next(slot for slot in data["slots"] if slot["proposal"] == placed.pk)
    assert first["start"] == "2027-04-13T10:00:00+03:00" and first["room"] == programme["rooms"]["hall"].pk
    assert [slot["proposal"] for slot in data["unplaced"]] == [loose.pk]
    assert [(c["kind"], c["hard"]) for c in data["conflicts"]] == [("speaker_double_booked", True)]
    # One day's placed sessions; the unplaced list and the conflicts stay whole.
    other_day = client.get(url("schedule_editor_data", programme) + "?day=2027-04-14").json()
    assert other_day["slots"] == [] and len(other_day["unplaced"]) == 1 and len(other_day["conflicts"]) == 1


def test_check_previews_conflicts_without_saving(
    programme, organizer, client, make_session, make_confirmed_delegate
):
    person = make_confirmed_delegate()
    make_session(room="hall", start=at(1, 10), speakers=[person])
    moving = make_session(room="garden", start=at(2, 9), speakers=[person], interpretation_wanted=True)
    slot = draft_slot(moving)
    response = client.get(
        url("schedule_check", programme),
        {"slot": slot.pk, "room": programme["rooms"]["library"].pk, "start": "2027-04-13T10:30"},
    )
    data = response.json()
    assert response.status_code == 200 and data["ok"]
    assert data["slot"]["start"] == "2027-04-13T10:30:00+03:00"
    assert {c["kind"] for c in data["conflicts"]} == {"speaker_double_booked", "no_interpretation_booth"}
    assert any("no interpretation booth" in c["message"] for c in data["conflicts"])
    slot.refresh_from_db()
    assert (slot.room_id, slot.starts_at) == (programme["rooms"]["garden"].pk, at(2, 9))
    # Outside the day's hours: the refusal the drop would get, before dropping.
    refused = client.get(
        url("schedule_check", programme),
        {"slot": slot.pk, "room": programme["rooms"]["hall"].pk, "start": "2027-04-13T17:30"},
    )
    assert refused.status_code == 400
    assert "outside the day's hours" in refused.json()["error"]
    assert refused.json()["code"] == "outside_day"


def test_place_saves_and_answers_with_position_and_conflicts(
    programme, organizer, client, make_session, make_confirmed_delegate
):
    person = make_confirmed_delegate()
    make_session(room="hall", start=at(1, 10), speakers=[person])
    moving = make_session(speakers=[person])
    slot = draft_slot(moving)
    response = client.post(
        url("schedule_place", programme),
        {"slot": slot.pk, "room": programme["rooms"]["tigris"].pk, "start": "2027-04-13T10:00"},
        **JSON,
    )
    data = response.json()
    assert response.status_code == 200 and data["ok"]
    assert data["slot"] == {
        "id": slot.pk,
        "proposal": moving.pk,
        "room": programme["rooms"]["tigris"].pk,
        "start": "2027-04-13T10:00:00+03:00",
        "end": "2027-04-13T11:00:00+03:00",
        "day": "2027-04-13",
    }
    assert [c["kind"] for c in data["conflicts"]] == ["speaker_double_booked"]
    slot.refresh_from_db()
    assert slot.room_id == programme["rooms"]["tigris"].pk


@pytest.mark.parametrize(
    ("fields", "error", "code"),
    [
        ({"start": "2027-04-13T17:30"}, "outside the day's hours", "outside_day"),
        ({"start": "2027-04-13T08:00"}, "outside the day's hours", "outside_day"),
        ({"start": "not a time"}, "Choose a start time", "start"),
        ({"room": "0"}, "Choose a room of this edition", "room"),
        ({"start": "2027-04-13T10:03"}, "multiple of 5 minutes", "unaligned"),
    ],
)
def test_a_refused_drop_answers_with_the_old_position(
    programme, organizer, client, make_session, fields, error, code
):
    session = make_session(room="hall", start=at(1, 10))
    slot = draft_slot(session)
    data = {"slot": slot.pk, "room": programme["rooms"]["tigris"].pk, "start": "2027-04-13T11:00", **fields}
    response = client.post(url("schedule_place", programme), data, **JSON)
    assert response.status_code == 400
    answer = response.json()
    assert not answer["ok"] and error in answer["error"]
    assert answer["code"] == code  # the DomainError's code, for the script and for tests
    assert answer["slot"]["room"] == programme["rooms"]["hall"].pk
    assert answer["slot"]["start"] == "2027-04-13T10:00:00+03:00"
    slot.refresh_from_db()
    assert (slot.room_id, slot.starts_at) == (programme["rooms"]["hall"].pk, at(1, 10))


def test_slots_of_releases_and_other_editions_are_not_found(programme, organizer, client, make_session):
    session = make_session(room="hall", start=at(1, 10))
    release = scheduling.publish(conference=programme["conference"], comment={}, by=None)
    released = Slot.objects.get(schedule=release, proposal=session)
    for slot in (released.pk, 999_999, "x"):
        response = client.post(
            url("schedule_place", programme),
            {"slot": slot, "room": programme["rooms"]["tigris"].pk, "start": "2027-04-13T11:00"},
            **JSON,
        )
        assert response.status_code == 404


def test_unplace_by_json_and_by_form(programme, organizer, client, make_session):
    first = make_session(room="hall", start=at(1, 10))
    second = make_session(room="tigris", start=at(2, 10))
    response = client.post(url("schedule_unplace", programme), {"slot": draft_slot(first).pk}, **JSON)
    assert response.json()["slot"]["room"] is None
    response = client.post(url("schedule_unplace", programme), {"slot": draft_slot(second).pk})
    assert response.status_code == 302 and response["Location"].endswith("?day=2027-04-14")
    assert draft_slot(second).room_id is None


# --- The keyboard form -------------------------------------------------------------------------------
def test_the_move_form_places_and_reports_conflicts(
    programme, organizer, client, make_session, make_confirmed_delegate
):
    person = make_confirmed_delegate()
    make_session(room="hall", start=at(1, 10), speakers=[person])
    moving = make_session(speakers=[person], interpretation_wanted=True, title={"en": "Water rights"})
    slot = draft_slot(moving)
    move_url = url("schedule_move", programme, slot=slot.pk)
    page = client.get(move_url).content.decode()
    assert "Water rights" in page and "Not placed yet." in page
    assert '<option value="09:00" selected>09:00</option>' in page
    choice = {"day": "2027-04-13", "room": programme["rooms"]["library"].pk, "time": "10:00"}
    # Hard conflicts: the first submit only previews them; "Move anyway" saves.
    preview = client.post(move_url, choice)
    assert preview.status_code == 200
    slot.refresh_from_db()
    assert slot.room_id is None
    confirm = f"{programme['rooms']['library'].pk}@2027-04-13T10:00"
    assert f'name="confirm" value="{confirm}"' in preview.content.decode()
    response = client.post(move_url, {**choice, "confirm": confirm}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"?day=2027-04-13#slot-{slot.pk}")
    page = response.content.decode()
    assert "is now in Library on 2027-04-13 at 10:00" in page
    assert "would be in two places at once" in page
    assert "Water rights wants interpretation, but Library has no interpretation booth." in page
    # Fixed with the same form: a room with a booth, at a time the speaker is free.
    client.post(move_url, {"day": "2027-04-13", "room": programme["rooms"]["tigris"].pk, "time": "11:00"})
    slot.refresh_from_db()
    assert (slot.room_id, slot.starts_at, slot.ends_at) == (
        programme["rooms"]["tigris"].pk,
        at(1, 11),
        at(1, 12),
    )
    assert scheduling.conflicts_of(slot.schedule) == []


def test_a_move_onto_a_room_double_booking_is_previewed_and_not_saved(
    programme, organizer, client, make_session
):
    make_session(room="hall", start=at(1, 10), title={"en": "Water rights"})
    moving = make_session(room="tigris", start=at(1, 14), title={"en": "Marsh futures"})
    slot = draft_slot(moving)
    move_url = url("schedule_move", programme, slot=slot.pk)
    response = client.post(
        move_url, {"day": "2027-04-13", "room": programme["rooms"]["hall"].pk, "time": "10:30"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    # The preview names the clash the move would create, before anything is saved.
    assert "If moved here" in page
    assert "Main hall is booked twice at once: Water rights / Marsh futures." in page
    assert "Move anyway" in page
    assert '<option value="10:30" selected>10:30</option>' in page
    slot.refresh_from_db()
    assert (slot.room_id, slot.starts_at) == (programme["rooms"]["tigris"].pk, at(1, 14))
    assert scheduling.conflicts_of(slot.schedule) == []


def test_move_anyway_saves_the_clash_it_was_shown(programme, organizer, client, make_session):
    make_session(room="hall", start=at(1, 10), title={"en": "Water rights"})
    slot = draft_slot(make_session(room="tigris", start=at(1, 14), title={"en": "Marsh futures"}))
    move_url = url("schedule_move", programme, slot=slot.pk)
    hall = programme["rooms"]["hall"].pk
    response = client.post(
        move_url, {"day": "2027-04-13", "room": hall, "time": "10:30", "confirm": f"{hall}@2027-04-13T10:30"}
    )
    assert response.status_code == 302
    slot.refresh_from_db()
    assert (slot.room_id, slot.starts_at) == (hall, at(1, 10, 30))
    page = client.get(response["Location"]).content.decode()
    assert "Main hall is booked twice at once" in page


def test_a_confirmation_for_another_place_does_not_count(programme, organizer, client, make_session):
    """ "Move anyway" confirms the place it was shown for: changing the time after the
    preview shows the new place's preview instead of saving."""
    make_session(room="hall", start=at(1, 10), duration=90)
    slot = draft_slot(make_session(room="tigris", start=at(1, 14)))
    hall = programme["rooms"]["hall"].pk
    response = client.post(
        url("schedule_move", programme, slot=slot.pk),
        {"day": "2027-04-13", "room": hall, "time": "11:00", "confirm": f"{hall}@2027-04-13T10:30"},
    )
    assert response.status_code == 200 and "Move anyway" in response.content.decode()
    slot.refresh_from_db()
    assert slot.room_id == programme["rooms"]["tigris"].pk


def test_a_move_with_only_warnings_saves_at_once(programme, organizer, client, make_session):
    make_session(room="hall", start=at(1, 10), expected_audience=10)
    slot = draft_slot(make_session(expected_audience=500))
    response = client.post(
        url("schedule_move", programme, slot=slot.pk),
        {"day": "2027-04-13", "room": programme["rooms"]["library"].pk, "time": "10:00"},
    )
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.room_id == programme["rooms"]["library"].pk
    conflicts = scheduling.conflicts_of(slot.schedule)
    assert conflicts and not any(conflict.hard for conflict in conflicts)


def test_the_move_form_previews_by_script_with_the_drags_endpoint(programme, organizer, client, make_session):
    slot = draft_slot(make_session(room="tigris", start=at(1, 14)))
    page = client.get(url("schedule_move", programme, slot=slot.pk)).content.decode()
    assert f'data-check-url="{url("schedule_check", programme)}"' in page
    assert f'data-slot="{slot.pk}"' in page
    assert 'id="move-preview"' in page and 'aria-live="polite"' in page


def test_the_move_form_refuses_past_the_day_end_and_keeps_the_choice(
    programme, organizer, client, make_session
):
    session = make_session(room="hall", start=at(1, 10), duration=90)
    slot = draft_slot(session)
    response = client.post(
        url("schedule_move", programme, slot=slot.pk),
        {"day": "2027-04-14", "room": programme["rooms"]["garden"].pk, "time": "17:00"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "A session dropped outside the day&#x27;s hours" in page
    assert '<option value="17:00" selected>17:00</option>' in page
    assert '<option value="2027-04-14" selected>' in page
    slot.refresh_from_db()
    assert (slot.room_id, slot.starts_at) == (programme["rooms"]["hall"].pk, at(1, 10))
    bad = client.post(
        url("schedule_move", programme, slot=slot.pk), {"day": "2030-01-01", "room": "x", "time": "1"}
    )
    assert bad.status_code == 200 and bad.content.decode().count("field__error") == 3


# --- Publishing --------------------------------------------------------------------------------------
def test_the_publish_page_shows_the_diff_and_publishes(programme, organizer, client, make_session):
    make_session(room="hall", start=at(1, 10), title={"en": "Water rights"})
    page = client.get(url("schedule_publish", programme)).content.decode()
    assert "Publish version 1" in page and "Water rights" in page and "Added" in page
    response = client.post(
        url("schedule_publish", programme),
        {"comment_ar": "أول نسخة", "comment_ckb": "", "comment_en": "The first version"},
    )
    assert response.status_code == 302 and response["Location"].endswith("/programme/changes/")
    release = Schedule.objects.get(conference=programme["conference"], version=1)
    assert release.comment == {"ar": "أول نسخة", "en": "The first version"}
    assert release.published_by == organizer
    page = client.get(url("schedule_publish", programme)).content.decode()
    assert "Publish version 2" in page and "Nothing has changed since the last published version." in page


def test_a_refused_publish_names_the_conflict_and_keeps_the_note(
    programme, organizer, client, make_session, make_confirmed_delegate
):
    make_session(room="hall", start=at(1, 10), title={"en": "Water rights"})
    make_session(room="hall", start=at(1, 10, 30), title={"en": "Marsh futures"})
    response = client.post(
        url("schedule_publish", programme),
        {"comment_ar": "", "comment_ckb": "", "comment_en": "Typed with care"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not published: hard conflicts remain." in page
    assert "Main hall is booked twice at once: Water rights / Marsh futures." in page
    assert "Typed with care" in page
    assert not Schedule.objects.filter(version__isnull=False).exists()


# --- The public change log ---------------------------------------------------------------------------
def test_the_change_log_is_public(programme, client, make_session):
    session = make_session(room="hall", start=at(1, 10), title={"en": "Water rights", "ar": "الحق في الماء"})
    scheduling.publish(conference=programme["conference"], comment={"en": "First"}, by=None)
    scheduling.place(slot=draft_slot(session), room=programme["rooms"]["tigris"], start=at(2, 14), by=None)
    scheduling.publish(conference=programme["conference"], comment={"en": "Moved to Tigris"}, by=None)
    page = client.get(url("programme_changes", programme)).content.decode()
    assert page.index("Version 2") < page.index("Version 1")
    assert "Moved to Tigris" in page and "Water rights" in page
    assert "Tigris room" in page and "14:00" in page and "10:00" in page
    arabic = client.get(url("programme_changes", programme, language="ar")).content.decode()
    assert "الحق في الماء" in arabic and 'dir="rtl"' in arabic


# --- Query counts ------------------------------------------------------------------------------------
def _fill(programme, make_session, count):
    rooms = list(programme["rooms"].values())
    speakers = None
    for index in range(count):
        day, rest = divmod(index, 36)
        room = rooms[rest % 4]
        hour = 9 + (rest // 4)
        make_session(room=room, start=at(1 + day % 3, hour), speakers=speakers)
    return count


@pytest.mark.parametrize("name", ["schedule_editor", "schedule_editor_data"])
def test_editor_queries_stay_flat(
    programme, organizer, client, make_session, django_assert_num_queries, name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _fill(programme, make_session, 10)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(url(name, programme)).status_code == 200
    _fill(programme, make_session, 190)
    assert Slot.objects.filter(schedule__version=None).count() == 200
    with django_assert_num_queries(len(ten.captured_queries)):
        response = client.get(url(name, programme))
    assert response.status_code == 200
    assert len(ten.captured_queries) <= 20


def test_an_edition_without_days_or_rooms_still_opens(make_conference, make_staff, client):
    conference = make_conference("erbil-2028")
    client.force_login(make_staff(conference, "organizer"))
    for name in ("schedule_editor", "schedule_editor_data", "schedule_publish"):
        response = client.get(reverse(name, kwargs={"edition": conference.slug}))
        assert response.status_code == 200, name
    with translation.override("en"):
        english = reverse("schedule_editor", kwargs={"edition": conference.slug})
    assert "No conference days yet" in client.get(english).content.decode()
    # Opening the pages writes nothing: the draft is made by the first change.
    assert Schedule.objects.filter(conference=conference, version=None).count() == 0


def test_the_sorani_editor_is_right_to_left(programme, make_staff, client, make_session):
    client.force_login(make_staff(programme["conference"], "organizer"))
    make_session(room="hall", start=at(1, 10))
    page = client.get(url("schedule_editor", programme, language="ckb")).content.decode()
    assert '<html lang="ckb" dir="rtl">' in page


def test_organizer_raises_a_workshops_places_and_errors_keep_the_page(
    programme, make_staff, client, make_session, make_confirmed_delegate, mailoutbox
):
    from sessions import workshops
    from sessions.models import WorkshopSignup
    from tests.sessions.conftest import release_rows

    workshop = make_session(room="library", start=at(1, 10), format="workshop", signup_capacity=1)
    release_rows(programme["conference"])
    first, second = make_confirmed_delegate(), make_confirmed_delegate()
    workshops.sign_up(proposal=workshop, user=first)
    workshops.sign_up(proposal=workshop, user=second)
    with translation.override("en"):
        page = reverse(
            "programme_places", kwargs={"edition": programme["conference"].slug, "code": workshop.code}
        )
    reviewer = make_staff(programme["conference"], "reviewer")
    client.force_login(reviewer)
    assert client.get(page).status_code == 403
    client.force_login(make_staff(programme["conference"], "organizer"))
    assert "waiting: 1" in client.get(page).content.decode()
    refused = client.post(page, {"places": "0"})
    assert refused.status_code == 200 and 'value="0"' in refused.content.decode()
    done = client.post(page, {"places": "3"}, follow=True)
    assert "1 person from the waiting list got a place" in done.content.decode()
    assert WorkshopSignup.objects.get(user=second, proposal=workshop).status == "confirmed"


# --- Pages never write on GET -------------------------------------------------------------------
def test_opening_the_editor_pages_writes_nothing(programme, organizer, client, make_session):
    from sessions.models import Proposal

    conference = programme["conference"]
    # Accepted behind the review service's back (as an import might): no draft, no slot.
    orphan = Proposal.objects.create(
        conference=conference, title={"en": "Orphan session"}, abstract={"en": "About it."},
        format=Proposal.Format.PANEL, languages=["ar"], duration=60, expected_audience=20,
        track=programme["tracks"][0], state=Proposal.State.ACCEPTED,
    )
    counts = (Schedule.objects.count(), Slot.objects.count())
    pages = {
        name: client.get(url(name, programme))
        for name in ("schedule_editor", "schedule_editor_data", "schedule_publish")
    }
    assert all(response.status_code == 200 for response in pages.values())
    assert (Schedule.objects.count(), Slot.objects.count()) == counts == (0, 0)
    # The session is still shown, unplaced, computed in memory for the page.
    assert "Orphan session" in pages["schedule_editor"].content.decode()
    assert [item["title"]["en"] for item in pages["schedule_editor_data"].json()["unplaced"]] == [
        "Orphan session"
    ]
    # With a draft already there, opening the pages changes none of its rows either.
    placed = make_session(room="hall", start=at(1, 10))
    Proposal.objects.filter(pk=placed.pk).update(state=Proposal.State.WITHDRAWN)
    counts = (Schedule.objects.count(), Slot.objects.count())
    for name in ("schedule_editor", "schedule_editor_data", "schedule_publish"):
        assert client.get(url(name, programme)).status_code == 200
    assert (Schedule.objects.count(), Slot.objects.count()) == counts
    # The first write (publishing) makes the draft's slots as before.
    assert client.post(url("schedule_publish", programme), {"comment_en": "First"}).status_code in (200, 302)
    assert Slot.objects.filter(schedule__version=None, proposal=orphan).exists()
    assert orphan.title
