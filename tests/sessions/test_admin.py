"""The admin shows the programme's rooms, days and call but never changes them: the
settings page saves them through sessions.venue, which keeps placed sessions inside
their rooms and hours."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from conference.models import User
from sessions.models import CallForSessions, ConferenceDay, Room


@pytest.fixture
def superuser_client(db, client):
    root = User.objects.create_superuser("root@example.org", "a-long-password-42")
    TOTP.activate(root, generate_totp_secret())
    client.force_login(root)
    return client


def test_rooms_days_and_the_call_are_read_only_in_the_admin_with_a_link_to_the_settings(
    superuser_client, programme
):
    conference = programme["conference"]
    room = programme["rooms"]["library"]
    day = ConferenceDay.objects.filter(conference=conference).first()
    call = CallForSessions.objects.get(conference=conference)
    rows = [
        ("room", room, {"capacity": "500", "slug": room.slug, "name_en": "Library", "order": "3"}),
        ("conferenceday", day, {"date": day.date.isoformat(), "starts_at": "12:00", "ends_at": "13:00"}),
        ("call", call, {"opens_at_0": "2026-01-01", "opens_at_1": "00:00"}),
    ]
    for name, obj, changes in rows:
        model = "callforsessions" if name == "call" else name
        base = f"/admin/programme/{model}/"
        page = superuser_client.get(f"{base}{obj.pk}/change/")
        assert page.status_code == 200
        html = page.content.decode()
        assert f"/{conference.slug}/staff/programme/settings/" in html
        assert 'name="_save"' not in html
        assert superuser_client.post(f"{base}{obj.pk}/change/", changes).status_code == 403
        assert superuser_client.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
        assert superuser_client.get(f"{base}add/").status_code == 403
    room.refresh_from_db()
    day.refresh_from_db()
    assert room.capacity == 25
    assert (day.starts_at, day.ends_at) == (dt.time(9), dt.time(18))
    assert Room.objects.filter(pk=room.pk).exists() and ConferenceDay.objects.filter(pk=day.pk).exists()
    assert CallForSessions.objects.filter(pk=call.pk).exists()
