"""Demo rooms of the current edition (the programme issue adds sessions)."""

from conference.models import Conference
from sessions.models import Room

ROOMS = [
    ("main-hall", "القاعة الكبرى", "هۆڵی سەرەکی", "Main hall", 450, True),
    ("tigris", "قاعة دجلة", "هۆڵی دیجلە", "Tigris room", 120, True),
    ("euphrates", "قاعة الفرات", "هۆڵی فورات", "Euphrates room", 120, True),
    ("zagros", "قاعة زاگروس", "هۆڵی زاگرۆس", "Zagros room", 60, False),
    ("marshes", "قاعة الأهوار", "هۆڵی هۆرەکان", "Marshes room", 40, False),
    ("library", "المكتبة", "کتێبخانە", "Library", 25, False),
]


def load(command) -> None:
    conference = Conference.objects.current()
    if conference is None:
        return
    for order, (slug, ar, ckb, en, seats, booth) in enumerate(ROOMS, start=1):
        Room.objects.update_or_create(
            conference=conference,
            slug=slug,
            defaults={
                "name": {"ar": ar, "ckb": ckb, "en": en},
                "capacity": seats,
                "interpretation_booth": booth,
                "step_free": slug != "library",
                "order": order,
            },
        )
    command.stdout.write(f"{len(ROOMS)} rooms.")
