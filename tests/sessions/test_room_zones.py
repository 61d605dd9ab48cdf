"""A room's zone is written in every language like its name: an Arabic page showed the
demo's "main", "annex" and "garden". Zones typed before keep their text."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from conference.models import TeamMember
from sessions import scheduling
from sessions.models import Room

BEFORE = [("programme", "0003_callforsessions_anonymous_review")]
AFTER = [("programme", "0004_alter_room_zone")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_typed_zones_keep_their_text_both_ways(make_conference):
    conference_id = make_conference().pk
    try:
        apps = migrate(BEFORE)
        Room = apps.get_model("programme", "Room")
        long_zone = "مبنى " + "ب" * 35  # the longest a zone was: 40 characters
        for slug, zone in [("hall", "main"), ("tent", "الحديقة"), ("lobby", ""), ("far", long_zone)]:
            Room.objects.create(
                conference_id=conference_id, slug=slug, name={"en": slug}, capacity=5, zone=zone
            )
        Room = migrate(AFTER).get_model("programme", "Room")
        assert {room.slug: room.zone for room in Room.objects.all()} == {
            "hall": {"en": "main"}, "tent": {"ar": "الحديقة"}, "lobby": {}, "far": {"ar": long_zone},
        }
        Room = migrate(BEFORE).get_model("programme", "Room")
        assert {room.slug: room.zone for room in Room.objects.all()} == {
            "hall": "main", "tent": "الحديقة", "lobby": "", "far": long_zone,
        }
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


ANNEX = {"ar": "الملحق", "ckb": "پاشکۆ", "en": "Annex"}


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "shown"), [("ar", "الملحق"), ("ckb", "پاشکۆ"), ("en", "Annex")])
def test_zones_show_in_the_readers_language(client, programme, make_staff, language, shown):
    Room.objects.filter(slug__in=["library", "tigris"]).update(zone=ANNEX)
    client.force_login(make_staff(programme["conference"], TeamMember.Role.ORGANIZER, language=language))
    with translation.override(language):
        address = reverse("programme_settings", kwargs={"edition": programme["conference"].slug})
    page = client.get(address).content.decode()
    assert page.count(f">{shown}<") == 2
    if language != "en":
        assert "Annex" not in page


def test_rooms_are_in_one_zone_when_its_text_is_the_same():
    # The key the conflict check compares: the text in the site's language (Arabic).
    assert scheduling.zone_key(ANNEX) == scheduling.zone_key({"ar": "الملحق"}) == "الملحق"
    assert scheduling.zone_key(ANNEX) != scheduling.zone_key({"ar": "المبنى الرئيسي", "en": "Annex"})
    # Zones saved as plain text (before they had languages), and no zone at all.
    assert scheduling.zone_key("annex ") == scheduling.zone_key({"en": "Annex"}) == "annex"
    assert scheduling.zone_key({}) == scheduling.zone_key("") == ""
