"""Demo data of the core: the current edition and a past one, staff accounts (one per
role), about sixty organisations and delegates' accounts, read from the CSV files
beside this module (fictional people and groups)."""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password

from conference import services
from conference.models import Conference, Governorate, Organization, TeamMember, Track, User

HERE = Path(__file__).resolve().parent
BAGHDAD = ZoneInfo("Asia/Baghdad")
DEMO_PASSWORD = "tadamun-demo-2026"  # noqa: S105 - printed on purpose; demo data only
# Staff must use two-factor authentication; the demo staff share this TOTP secret,
# printed with their credentials so it can be added to any authenticator app.
DEMO_TOTP_SECRET = "TADAMUNDEMOTOTPSECRETXYZ2727AAAA"  # noqa: S105 - demo data only

CURRENT = {
    "slug": "baghdad-2027",
    "title": {
        "ar": "مؤتمر التضامن مع المجتمع المدني العراقي ٢٠٢٧",
        "ckb": "کۆنفرانسی هاوپشتی لەگەڵ کۆمەڵگەی مەدەنیی عێراق ٢٠٢٧",
        "en": "Iraqi Civil Society Solidarity Conference 2027",
    },
    "tagline": {
        "ar": "معاً من أجل حقوق الإنسان واللاعنف والسلام العادل",
        "ckb": "پێکەوە بۆ مافی مرۆڤ و نەتوندوتیژی و ئاشتییەکی دادپەروەرانە",
        "en": "Together for human rights, nonviolence and a just peace",
    },
    "city": {"ar": "بغداد", "ckb": "بەغدا", "en": "Baghdad"},
    "governorate": "baghdad",
    "venue_address": {
        "ar": "قاعة المؤتمرات، شارع أبي نواس، بغداد",
        "ckb": "هۆڵی کۆنفرانس، شەقامی ئەبو نەواس، بەغدا",
        "en": "Conference hall, Abu Nuwas Street, Baghdad",
    },
    "start_date": dt.date(2027, 4, 13),
    "end_date": dt.date(2027, 4, 15),
    "registration_opens": dt.datetime(2026, 11, 1, 9, 0, tzinfo=BAGHDAD),
    "registration_closes": dt.datetime(2027, 3, 15, 23, 59, tzinfo=BAGHDAD),
    "status": Conference.Status.OPEN,
}

PAST = {
    "slug": "sulaymaniyah-2026",
    "title": {
        "ar": "مؤتمر التضامن مع المجتمع المدني العراقي ٢٠٢٦",
        "ckb": "کۆنفرانسی هاوپشتی لەگەڵ کۆمەڵگەی مەدەنیی عێراق ٢٠٢٦",
        "en": "Iraqi Civil Society Solidarity Conference 2026",
    },
    "tagline": {},
    "city": {"ar": "السليمانية", "ckb": "سلێمانی", "en": "Sulaymaniyah"},
    "governorate": "sulaymaniyah",
    "venue_address": {},
    "start_date": dt.date(2026, 3, 24),
    "end_date": dt.date(2026, 3, 26),
    "registration_opens": None,
    "registration_closes": None,
    "status": Conference.Status.ARCHIVED,
}

STAFF = [
    ("organizer@example.org", "Layla Hassan · ليلى حسن", "ar", TeamMember.Role.ORGANIZER),
    ("reviewer@example.org", "Karwan Aziz · کاروان عەزیز", "ckb", TeamMember.Role.REVIEWER),
    ("venue@example.org", "Mustafa Jabbar · مصطفى جبار", "ar", TeamMember.Role.VENUE_STAFF),
    ("visa@example.org", "Sara Lindqvist", "en", TeamMember.Role.VISA_OFFICER),
    ("finance@example.org", "Nadia Kareem · نادية كريم", "ar", TeamMember.Role.FINANCE_ETHICS),
]


def _rows(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _edition(data: dict) -> Conference:
    values = dict(data)
    slug = values.pop("slug")
    values["governorate"] = Governorate.objects.get(code=values["governorate"])
    conference, _created = Conference.objects.update_or_create(slug=slug, defaults=values)
    conference.full_clean()
    return conference


@cache
def _demo_password_hash() -> str:
    # Hashed once for every demo account: a deliberately slow hash 66 times over would
    # make `make run` wait ~20 s for nothing. Demo data only.
    return make_password(DEMO_PASSWORD)


def _user(email: str, full_name: str, language: str, *, superuser: bool = False) -> User:
    user, _created = User.objects.update_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "preferred_language": language,
            "is_staff": superuser,
            "is_superuser": superuser,
            "is_active": True,
        },
    )
    if not user.password or user.password.startswith("!"):
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    _verify_email(user)
    return user


def _verify_email(user: User) -> None:
    # allauth refuses to log in an unverified address when verification is mandatory.
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _demo_totp(user: User) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


def load(command) -> None:
    services.reference_data_load()
    tracks = {track.slug: track for track in Track.objects.all()}
    governorates = {gov.code: gov for gov in Governorate.objects.all()}

    _edition(PAST)
    current = _edition(CURRENT)
    services.conference_make_current(conference=current)
    command.stdout.write(f"Edition {current.slug} is current ({current.start_date} to {current.end_date}).")

    admin = _user("admin@example.org", "Tadamun admin", "en", superuser=True)
    command.credentials.append(("superuser (Django admin)", admin.email, DEMO_PASSWORD))
    for email, name, language, role in STAFF:
        user = _user(email, name, language)
        # Direct create, not team_member_add: the demo must not e-mail anyone.
        TeamMember.objects.get_or_create(conference=current, user=user, role=role)
        _demo_totp(user)
        command.credentials.append((str(TeamMember.Role(role).label), email, DEMO_PASSWORD))
    _demo_totp(admin)
    command.stdout.write(
        f"Staff sign in with a TOTP code: add the secret {DEMO_TOTP_SECRET} to an authenticator app "
        "(or run: manage.py demo_totp_code)."
    )

    org_rows = _rows("organizations.csv")
    for row in org_rows:
        org, _created = Organization.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "name_ar": row["name_ar"],
                "kind": row["kind"],
                "country": row["country"],
                "governorate": governorates.get(row["governorate"]) if row["governorate"] else None,
                "website": row["website"],
                "description": {
                    code: row[f"description_{code}"]
                    for code in ("ar", "ckb", "en")
                    if row.get(f"description_{code}")
                },
                "verified": row["verified"] == "1",
            },
        )
        org.tracks.set([tracks[slug] for slug in row["tracks"].split("|") if slug])
    command.stdout.write(f"{len(org_rows)} organisations.")

    people = _rows("people.csv")
    for row in people:
        _user(row["email"], row["full_name"], row["preferred_language"])
    command.stdout.write(f"{len(people)} delegates' accounts (password {DEMO_PASSWORD}).")
