"""The schedule editor in Chromium: an organizer drags a workshop onto a clash (its
facilitator already speaks elsewhere at that time, and the room has no interpretation
booth), sees the warning while hovering and after the drop, then fixes it with the
keyboard form. Screenshots: Arabic on a phone, English on a desktop."""

import pytest

from sessions.models import Slot
from tests.browser.viewports import DESKTOP, PHONE
from tests.sessions import conftest as programme_fixtures
from tests.sessions.conftest import at

# The programme fixtures live with the sessions tests; browser tests sit in another folder.
programme = programme_fixtures.programme
make_confirmed_delegate = programme_fixtures.make_confirmed_delegate
make_session = programme_fixtures.make_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor_site(live_server, programme, make_staff, make_session, make_confirmed_delegate):
    conference = programme["conference"]
    huda = make_confirmed_delegate(language="en")
    huda.full_name = "Huda Karim"
    huda.save()
    make_session(
        room="hall",
        start=at(1, 10),
        speakers=[huda],
        title={"en": "Budget hearing", "ar": "جلسة استماع الموازنة"},
    )
    workshop = make_session(
        speakers=[huda],
        duration=90,
        interpretation_wanted=True,
        format="workshop",
        title={"en": "Water rights workshop", "ar": "ورشة الحق في الماء"},
    )
    for index, (room, hour) in enumerate([("tigris", 9), ("garden", 11), ("library", 14), ("hall", 15)]):
        make_session(
            room=room,
            start=at(1, hour),
            duration=60 + 30 * (index % 2),
            title={"en": f"Panel {index + 1}", "ar": f"ندوة {index + 1}"},
        )
    organizer = make_staff(conference, "organizer", language="en")
    return {"url": live_server.url, "organizer": organizer, "workshop": workshop, **programme}


def sign_in_as(page, site, user):
    """A session made on the server side, handed to the browser as its cookie: the login
    and two-factor pages have their own browser tests."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])


def drag(page, source, target):
    """Drag as a hand does: Chromium drops only after a dragover the page accepted, so
    move over the target twice before letting go."""
    source.hover()
    page.mouse.down()
    target.hover()
    target.hover(position={"x": 12, "y": 6})
    page.mouse.up()


def editor(site, language):
    return f"{site}/{language}/baghdad-2027/staff/programme/schedule/?day=2027-04-13"


def test_organizer_drops_a_workshop_on_a_clash_and_fixes_it_with_the_keyboard(
    page, editor_site, artifacts_dir
):
    site, rooms = editor_site["url"], editor_site["rooms"]
    page.set_viewport_size(DESKTOP)
    sign_in_as(page, site, editor_site["organizer"])
    page.goto(editor(site, "en"))
    slot = Slot.objects.get(schedule__version=None, proposal=editor_site["workshop"])
    card = page.locator(f"#slot-{slot.pk}")
    assert card.locator("xpath=ancestor::*[@data-unplace-target]").count() == 1
    assert "Interpretation" in card.inner_text()

    # Library at 10:00: Huda speaks in the main hall then, and the library has no booth.
    target = page.locator(f'td.se-cell[data-room="{rooms["library"].pk}"][data-start="2027-04-13T10:00"]')
    card.hover()
    page.mouse.down()
    target.hover()
    target.hover(position={"x": 10, "y": 5})
    status = page.locator("#editor-status")
    status.locator(".se-conflict--hard").first.wait_for()
    preview = status.inner_text()
    assert "If dropped here: Library, \u206610:00\u201311:30\u2069" in preview
    assert "Huda Karim would be in two places at once" in preview
    assert "Water rights workshop wants interpretation, but Library has no interpretation booth." in preview
    assert "is-hard" in target.get_attribute("class")
    page.screenshot(path=str(artifacts_dir / "editor-hover-clash-en.png"))
    target.hover(position={"x": 12, "y": 6})
    page.mouse.up()

    # Saved at once, with the same warning; the card now sits in the grid, marked.
    page.locator(f'td[data-room="{rooms["library"].pk}"] #slot-{slot.pk}.se-card--hard').wait_for()
    page.locator("#editor-status.se-status--hard").wait_for()
    assert "Saved." in status.inner_text()
    slot.refresh_from_db()
    assert (slot.room_id, slot.starts_at) == (rooms["library"].pk, at(1, 10))
    panel = page.locator("#conflicts").inner_text()
    assert "Huda Karim would be in two places at once" in panel
    assert "Library has no interpretation booth" in panel
    page.screenshot(path=str(artifacts_dir / "editor-clash-en.png"), full_page=True)

    # A drop outside the day's hours is refused and the card goes back where it was.
    # (A tall window, so the card and the evening rows are both on screen while dragging.)
    page.set_viewport_size({"width": DESKTOP["width"], "height": 1600})
    late = page.locator(f'td.se-cell[data-room="{rooms["tigris"].pk}"][data-start="2027-04-13T17:00"]')
    drag(page, page.locator(f"#slot-{slot.pk} .se-card__title"), late)
    page.locator("#editor-status.se-status--error").wait_for()
    assert "outside the day's hours" in status.inner_text()
    assert page.locator(f'td[data-room="{rooms["library"].pk}"] #slot-{slot.pk}').count() == 1
    slot.refresh_from_db()
    assert (slot.room_id, slot.starts_at) == (rooms["library"].pk, at(1, 10))

    page.set_viewport_size(DESKTOP)

    # The keyboard way: focus the card's "Move…" link, choose from the selects, submit.
    move_link = page.locator(f"#slot-{slot.pk} .se-card__move")
    move_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/schedule/move/**")
    # Choosing the main hall at 10:00 shows, before saving, that it is taken then.
    page.select_option("select[name=room]", str(rooms["hall"].pk))
    page.locator("#move-preview.se-preview--hard").wait_for()
    preview = page.locator("#move-preview").inner_text()
    assert "If moved here: Main hall, 2027-04-13" in preview
    assert "Main hall is booked twice at once" in preview
    assert page.locator("button[name=confirm]").inner_text() == "Move anyway"
    page.screenshot(path=str(artifacts_dir / "editor-move-preview-en.png"), full_page=True)
    page.locator("select[name=room]").focus()
    page.select_option("select[name=room]", str(rooms["tigris"].pk))
    page.select_option("select[name=time]", "11:00")
    page.locator("#move-preview.se-preview--ok").wait_for()
    assert page.locator("button[name=confirm]").count() == 0
    page.locator("select[name=time]").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/schedule/?day=2027-04-13*")
    slot.refresh_from_db()
    assert (slot.room_id, slot.starts_at, slot.ends_at) == (rooms["tigris"].pk, at(1, 11), at(1, 12, 30))
    assert page.locator("#conflicts .se-conflict--hard").count() == 0
    assert "is now in Tigris room" in page.locator(".messages").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    page.screenshot(path=str(artifacts_dir / "editor-fixed-en.png"), full_page=True)


def overlap(one, other) -> bool:
    return not (
        one["x"] + one["width"] <= other["x"]
        or other["x"] + other["width"] <= one["x"]
        or one["y"] + one["height"] <= other["y"]
        or other["y"] + other["height"] <= one["y"]
    )


def test_twelve_rooms_fill_the_window_with_sticky_heads_and_the_preview_beside_the_grid(
    page, editor_site, artifacts_dir
):
    from sessions.models import Room

    site, rooms = editor_site["url"], editor_site["rooms"]
    for number in range(5, 13):
        Room.objects.create(
            conference=editor_site["conference"],
            slug=f"room-{number}",
            name={"en": f"Room {number}", "ar": f"القاعة {number}"},
            capacity=30,
            order=number,
        )
    page.set_viewport_size(DESKTOP)
    sign_in_as(page, site, editor_site["organizer"])
    page.goto(editor(site, "en"))
    assert page.locator(".se-grid thead th[data-room]").count() == 12
    # The editor breaks out of the reading column: the grid gets the window's width.
    assert page.locator("#schedule-editor").bounding_box()["width"] >= DESKTOP["width"] - 40
    scroller = page.locator(".se-scroll")
    box = scroller.bounding_box()
    shown = page.evaluate(
        """(box) => [...document.querySelectorAll('.se-grid thead th[data-room]')].filter((th) => {
             const r = th.getBoundingClientRect(); return r.right <= box.x + box.width + 1; }).length""",
        box,
    )
    assert shown >= 6, shown
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]

    # Scrolled down and sideways inside its box, the grid keeps its room names on top
    # and its times at the start.
    scroller.evaluate("(node) => { node.scrollTop = 600; node.scrollLeft = 500; }")
    box = scroller.bounding_box()
    head = page.locator(".se-grid thead th[data-room]").nth(6).bounding_box()
    assert abs(head["y"] - box["y"]) <= 2
    time = page.locator('.se-grid__time[data-start="2027-04-13T15:00"]').bounding_box()
    assert abs(time["x"] - box["x"]) <= 2
    page.screenshot(path=str(artifacts_dir / "editor-12-rooms-scrolled-en.png"))
    scroller.evaluate("(node) => { node.scrollTop = 0; node.scrollLeft = 0; }")

    # While a card hovers a cell, the preview stands beside the grid, never over the cell.
    slot = Slot.objects.get(schedule__version=None, proposal=editor_site["workshop"])
    card = page.locator(f"#slot-{slot.pk}")
    target = page.locator(f'td.se-cell[data-room="{rooms["tigris"].pk}"][data-start="2027-04-13T10:00"]')
    status = page.locator("#editor-status")
    card.hover()
    page.mouse.down()
    target.hover()
    target.hover(position={"x": 10, "y": 5})
    status.locator(".se-conflict--hard").first.wait_for()
    assert "If dropped here: Tigris room" in status.inner_text()
    assert not overlap(status.bounding_box(), target.bounding_box())
    assert status.locator(".se-status__close").is_visible()
    page.screenshot(path=str(artifacts_dir / "editor-12-rooms-preview-en.png"))
    # Out of the grid, the preview says nothing any more; let go there and nothing moves.
    page.locator("h1").hover()
    page.locator("h1").hover(position={"x": 5, "y": 5})
    page.locator("#editor-status.is-empty").wait_for(state="attached")
    assert status.locator(".se-status__body").inner_text() == ""
    page.mouse.up()
    slot.refresh_from_db()
    assert slot.room_id is None

    # A real drop: the result replaces the preview, and the close button empties it.
    drag(page, card, target)
    status.locator(".se-status__heading").filter(has_text="Saved.").wait_for()
    assert "If dropped here" not in status.inner_text()
    slot.refresh_from_db()
    assert (slot.room_id, slot.starts_at) == (rooms["tigris"].pk, at(1, 10))
    status.locator(".se-status__close").click()
    page.locator("#editor-status.is-empty").wait_for(state="attached")
    assert not status.locator(".se-status__close").is_visible()


def test_the_arabic_editor_on_a_phone_runs_right_to_left(page, editor_site, artifacts_dir):
    site, rooms = editor_site["url"], editor_site["rooms"]
    page.set_viewport_size(PHONE)
    sign_in_as(page, site, editor_site["organizer"])
    page.goto(editor(site, "ar"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    # The page never scrolls sideways: the grid scrolls inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    heads = page.locator(".se-grid thead th")
    corner, first, second = (heads.nth(i).bounding_box() for i in range(3))
    # Time at the start (the right), then the rooms in order from right to left.
    assert corner["x"] > first["x"] > second["x"]
    assert page.locator(".se-grid thead th").nth(1).inner_text().startswith("القاعة الكبرى")
    ten = page.locator(f'td.se-cell[data-room="{rooms["hall"].pk}"][data-start="2027-04-13T10:00"]')
    assert ten.locator(".se-card").inner_text().startswith("جلسة استماع الموازنة")
    page.screenshot(path=str(artifacts_dir / "editor-ar-phone.png"))
    page.screenshot(path=str(artifacts_dir / "editor-ar-phone-full.png"), full_page=True)
    # On the phone the preview is a bar on the window's edge, away from the target cell.
    panel = Slot.objects.get(schedule__version=None, room=rooms["tigris"], starts_at=at(1, 9))
    page.locator(f"#slot-{panel.pk}").focus()
    page.keyboard.press("m")
    for _step in range(4):
        page.keyboard.press("ArrowDown")
    status = page.locator("#editor-status")
    status.locator(".se-status__heading").wait_for()
    target = page.locator("td.se-cell.is-target")
    target.scroll_into_view_if_needed()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.locator(
        "td.se-cell.is-target.is-ok, td.se-cell.is-target.is-soft, td.se-cell.is-target.is-hard"
    ).wait_for()
    assert status.locator(".se-status__close").is_visible()
    assert not overlap(status.bounding_box(), target.bounding_box())
    page.screenshot(path=str(artifacts_dir / "editor-ar-phone-preview.png"))
    page.keyboard.press("Escape")
    assert status.locator(".se-status__body").inner_text() == ""
    # The keyboard form in Arabic, on the phone.
    slot = Slot.objects.get(schedule__version=None, proposal=editor_site["workshop"])
    page.goto(f"{site}/ar/baghdad-2027/staff/programme/schedule/move/{slot.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts_dir / "editor-move-ar-phone.png"), full_page=True)


def test_without_script_the_move_form_asks_before_saving_a_clash(browser, editor_site, artifacts_dir):
    """The no-script path on an Arabic phone: the first submit of a clash only shows it,
    with "Move anyway"; that second submit saves it."""
    site, rooms = editor_site["url"], editor_site["rooms"]
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    sign_in_as(page, site, editor_site["organizer"])
    slot = Slot.objects.get(schedule__version=None, proposal=editor_site["workshop"])
    page.goto(f"{site}/ar/baghdad-2027/staff/programme/schedule/move/{slot.pk}/")
    assert page.locator("#move-preview").is_hidden()
    page.select_option("select[name=room]", str(rooms["hall"].pk))
    page.select_option("select[name=time]", "10:00")
    page.locator(".se-move__submit").click()
    page.wait_for_load_state()
    assert page.locator("#move-preview .se-conflict--hard").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts_dir / "editor-move-clash-ar-phone.png"), full_page=True)
    slot.refresh_from_db()
    assert slot.room_id is None
    page.locator("button[name=confirm]").click()
    page.wait_for_url("**/schedule/?day=2027-04-13*")
    slot.refresh_from_db()
    assert (slot.room_id, slot.starts_at) == (rooms["hall"].pk, at(1, 10))
    context.close()


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_publishing_is_refused_then_done_and_the_changes_are_public(
    page, editor_site, artifacts_dir, language, viewport
):
    from sessions import scheduling

    site, rooms = editor_site["url"], editor_site["rooms"]
    slot = Slot.objects.get(schedule__version=None, proposal=editor_site["workshop"])
    scheduling.place(slot=slot, room=rooms["library"], start=at(1, 10), by=None)
    page.set_viewport_size(viewport)
    sign_in_as(page, site, editor_site["organizer"])
    page.goto(f"{site}/{language}/baghdad-2027/staff/programme/publish/")
    page.fill("textarea[name=comment_en]", "Rooms for the first day")
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message--error li").count() == 2
    assert page.input_value("textarea[name=comment_en]") == "Rooms for the first day"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(artifacts_dir / f"editor-publish-refused-{language}.png"), full_page=True)

    scheduling.place(slot=slot, room=rooms["tigris"], start=at(1, 11), by=None)
    page.goto(f"{site}/{language}/baghdad-2027/staff/programme/publish/")
    page.fill("textarea[name=comment_en]", "Rooms for the first day")
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_url("**/programme/changes/")
    assert page.locator(".se-release").count() == 1
    assert page.locator(".se-changes__list--added li").count() == 6
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(artifacts_dir / f"programme-changes-{language}.png"), full_page=True)


def test_a_focused_card_moves_with_the_arrow_keys(page, editor_site, artifacts_dir):
    site, rooms = editor_site["url"], editor_site["rooms"]
    page.set_viewport_size(DESKTOP)
    sign_in_as(page, site, editor_site["organizer"])
    page.goto(editor(site, "en"))
    panel = Slot.objects.get(schedule__version=None, room=rooms["tigris"], starts_at=at(1, 9))
    card = page.locator(f"#slot-{panel.pk}")
    card.focus()
    page.keyboard.press("m")
    assert "arrow keys" in page.locator("#editor-status").inner_text()
    for _step in range(4):  # four 15-minute rows down: 10:00
        page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")  # the next room in reading order: the library
    page.locator("#editor-status .se-status__heading").filter(has_text="If dropped here").wait_for()
    page.keyboard.press("Enter")
    page.locator("#editor-status .se-status__heading").filter(has_text="Saved.").wait_for()
    panel.refresh_from_db()
    assert (panel.room_id, panel.starts_at) == (rooms["library"].pk, at(1, 10))
    assert page.evaluate("document.activeElement.id") == f"slot-{panel.pk}"
    # Escape puts a picked-up card down without saving anything.
    page.keyboard.press("m")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    panel.refresh_from_db()
    assert panel.starts_at == at(1, 10)


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_the_release_email_in_each_language(page, artifacts_dir, language):
    """The e-mail to a delegate whose agenda changed, rendered and looked at on a phone."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from conference.i18n import as_translated
    from conference.mail import render_email

    def where(room, day, hour):
        start = dt.datetime(2027, 4, 12 + day, hour, tzinfo=ZoneInfo("Asia/Baghdad"))
        return {"room": as_translated(room), "start": start, "end": start + dt.timedelta(minutes=90)}

    hall = {"ar": "القاعة الكبرى", "en": "Main hall"}
    tigris = {"ar": "قاعة دجلة", "ckb": "هۆڵی دیجلە", "en": "Tigris room"}
    context = {
        "person_name": "Zainab Kadhim",
        "edition_title": as_translated(
            {"ar": "مؤتمر التضامن ٢٠٢٧", "ckb": "کۆنفرانسی هاوپشتی ٢٠٢٧", "en": "Solidarity Conference 2027"}
        ),
        "version": 3,
        "note": as_translated({"ar": "تغيير القاعات لليوم الأول", "en": "Rooms changed on day one"}),
        "sessions": [
            {
                "kind": "moved",
                "title": as_translated({"ar": "ورشة الحق في الماء", "en": "Water rights"}),
                "old": where(hall, 1, 10),
                "new": where(tigris, 2, 14),
            },
            {
                "kind": "cancelled",
                "title": as_translated({"en": "Marsh futures"}),
                "old": where(hall, 3, 9),
                "new": None,
            },
        ],
        "tz": ZoneInfo("Asia/Baghdad"),
        "link_path": f"/{language}/baghdad-2027/programme/changes/",
    }
    subject, text, html = render_email("programme_release", context, language)
    assert "Zainab Kadhim" in text and "14:00" in text and "10:00" in text and "Marsh futures" in text
    # Arabic says "two sessions" with the dual (جلستان), without the digit.
    assert ("جلستان" in subject) if language == "ar" else ("2" in subject)
    page.set_viewport_size({"width": 390, "height": 700})
    page.set_content(html)
    direction = page.evaluate("getComputedStyle(document.querySelector('body > div')).direction")
    assert direction == ("ltr" if language == "en" else "rtl")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts_dir / f"email-programme-release-{language}.png"), full_page=True)


@pytest.mark.parametrize(("language", "viewport"), [("ar", PHONE), ("en", DESKTOP)])
def test_an_organizer_gives_a_workshop_more_places(page, editor_site, artifacts_dir, language, viewport):
    from sessions.models import Proposal

    workshop = editor_site["workshop"]
    Proposal.objects.filter(pk=workshop.pk).update(signup_capacity=10)
    page.set_viewport_size(viewport)
    sign_in_as(page, editor_site["url"], editor_site["organizer"])
    slot = Slot.objects.get(proposal=workshop, schedule__version=None)
    page.goto(
        f"{editor_site['url']}/{language}/{editor_site['conference'].slug}/staff/programme/schedule/move/{slot.pk}/"
    )
    page.locator(f"a[href$='/sessions/{workshop.code}/places/']").click()
    page.fill("input[name=places]", "0")
    page.locator("main form button[type=submit]").click()
    assert page.locator(".field__error").count() == 1
    assert page.input_value("input[name=places]") == "0"
    page.fill("input[name=places]", "25")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.input_value("input[name=places]") == "25"
    assert page.locator(".message--success").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(artifacts_dir / f"editor-places-{language}.png"), full_page=True)
