"""What a right-to-left reader met on the staff and profile pages: English field names
as labels, a phone example laid out backwards, arrows pointing the wrong way, and two
Arabic sentences that named a room or a track twice over."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from registrations.forms import CategoryForm, OptionForm, QuestionForm
from sessions.conflicts import Conflict, Kind
from sessions.forms_cfp import RoomForm

ROOT = Path(__file__).resolve().parents[2]
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")




@pytest.mark.parametrize("language", ["ar", "ckb"])
@pytest.mark.parametrize("form_class", [CategoryForm, QuestionForm, OptionForm, RoomForm])
def test_every_label_of_the_venue_and_category_forms_is_translated(form_class, language):
    with translation.override(language):
        untranslated = [
            (name, str(field.label))
            for name, field in form_class.base_fields.items()
            # No label at all: Django prints the field's name ("Slug", "Order").
            if field.label is None or not ARABIC_SCRIPT.search(str(field.label))
        ]
    assert untranslated == []


@pytest.mark.django_db
def test_the_phone_example_keeps_its_order_in_arabic(client, make_user, reference_data):
    client.force_login(make_user(language="ar"))
    data = {"passport_name": "Layla Hassan", "phone": "call me"}
    body = client.post("/ar/me/profile/", data).content.decode()
    (message,) = [m for m in re.findall(r'<p class="field__error"[^>]*>(.*?)</p>', body) if "964" in m]
    # In a left-to-right isolate, so the groups of digits do not run right to left.
    assert "\u2066+964 770 123 4567\u2069" in message
    assert message.startswith("اكتب الرقم مع رمز البلد")


def test_arrows_in_templates_turn_with_the_page():
    """A bare ← or → would point backwards in Arabic and Sorani: every arrow sits in
    .arrow, which tadamun.css mirrors in right-to-left text."""
    bare = []
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts or "node_modules" in template.parts:
            continue
        text = re.sub(r'<span class="arrow" aria-hidden="true">[←→]</span>', "", template.read_text())
        bare += [template.name for arrow in "←→" if arrow in text]
    assert bare == []
    css = (ROOT / "static/css/tadamun.css").read_text()
    assert re.search(r"\.arrow:dir\(rtl\)\s*\{\s*transform:\s*scaleX\(-1\)", css)


def test_conflicts_name_a_room_or_track_once_in_arabic():
    names = {
        "room": {1: "القاعة الكبرى"},
        "track": {2: "الحقوق والحريات"},
        "session": {3: "جلسة 1", 4: "جلسة 2"},
    }
    with translation.override("ar"):
        room = Conflict(Kind.ROOM_DOUBLE_BOOKED, (3, 4), room_id=1).message(names)
        track = Conflict(Kind.SAME_TRACK_AT_ONCE, (3, 4), track_id=2).message(names)
        booth = Conflict(Kind.NO_INTERPRETATION_BOOTH, (3,), room_id=1).message(names)
    assert room == "القاعة الكبرى محجوزة مرتين في الوقت نفسه: جلسة 1 / جلسة 2."
    assert track == "جلستان من محور «الحقوق والحريات» في الوقت نفسه: جلسة 1 / جلسة 2."
    assert "القاعة القاعة" not in booth
