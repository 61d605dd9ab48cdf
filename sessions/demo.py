"""Demo programme of the current edition (baghdad-2027): 12 rooms in three zones, the
three days, an open call for sessions, three review criteria, about 120 proposals from
the demo delegates' organisations, reviews, 80 accepted sessions placed without a hard
conflict, release 1 published, stars and workshop sign-ups, and a working draft with
changes (moves, a cancellation, late additions) not yet published as version 2.

Idempotent: rooms, days, the call and the criteria are updated in place; proposals and
everything after them are made only when the edition has none.
"""

# Translated sentences are data: they stay whole on their lines.
# ruff: noqa: E501

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.utils import timezone

from conference.models import Conference, TeamMember, Track, User
from registrations.models import Registration
from sessions.exceptions import ProgrammeError
from sessions.models import (
    Availability,
    CallForSessions,
    ConferenceDay,
    Proposal,
    Review,
    ReviewCriterion,
    ReviewScore,
    Room,
    Speaker,
    Star,
)

SEED = 2027
F = Proposal.Format

# The venue's three zones, named in each language like the rooms.
MAIN = {"ar": "المبنى الرئيسي", "ckb": "باڵەخانەی سەرەکی", "en": "Main building"}
ANNEX = {"ar": "الملحق", "ckb": "پاشکۆ", "en": "Annex"}
GARDEN = {"ar": "الحديقة", "ckb": "باخچە", "en": "Garden"}

# slug, ar, ckb, en, seats, interpretation booth, zone
ROOMS = [
    ("main-hall", "القاعة الكبرى", "هۆڵی سەرەکی", "Main hall", 450, True, MAIN),
    ("tigris", "قاعة دجلة", "هۆڵی دیجلە", "Tigris room", 120, True, MAIN),
    ("euphrates", "قاعة الفرات", "هۆڵی فورات", "Euphrates room", 120, True, MAIN),
    ("nineveh", "قاعة نينوى", "هۆڵی نەینەوا", "Nineveh hall", 200, True, MAIN),
    ("basra", "قاعة البصرة", "هۆڵی بەسرە", "Basra room", 80, True, MAIN),
    ("erbil", "قاعة أربيل", "هۆڵی هەولێر", "Erbil room", 80, True, MAIN),
    ("zagros", "قاعة زاگروس", "هۆڵی زاگرۆس", "Zagros room", 60, False, ANNEX),
    ("marshes", "قاعة الأهوار", "هۆڵی هۆرەکان", "Marshes room", 40, False, ANNEX),
    ("library", "المكتبة", "کتێبخانە", "Library", 25, False, ANNEX),
    ("sinjar", "قاعة سنجار", "هۆڵی شنگال", "Sinjar room", 50, False, ANNEX),
    ("babylon", "قاعة بابل", "هۆڵی بابل", "Babylon room", 40, False, ANNEX),
    ("garden-tent", "خيمة الحديقة", "چادری باخچە", "Garden tent", 60, False, GARDEN),
]

# Five topics per track: (en, ar, ckb).
TOPICS = {
    "defenders-nonviolence": [
        ("Protecting human rights defenders at risk", "حماية المدافعين عن حقوق الإنسان المعرّضين للخطر", "پاراستنی بەرگریکارانی مافی مرۆڤ کە لە مەترسیدان"),
        ("Nonviolent resistance in Iraq's protest movements", "المقاومة اللاعنفية في حركات الاحتجاج العراقية", "بەرگریی نەتوندوتیژ لە بزووتنەوە ناڕەزاییەکانی عێراقدا"),
        ("Digital security for activists", "الأمن الرقمي للناشطين", "ئاسایشی دیجیتاڵی بۆ چالاکوانان"),
        ("Documenting violations", "توثيق الانتهاكات", "بەڵگەنامەکردنی پێشێلکارییەکان"),
        ("Enforced disappearance: the families speak", "الاختفاء القسري: العائلات تتكلم", "بێسەروشوێنکردنی بەزۆر: خێزانەکان قسە دەکەن"),
    ],
    "democracy": [
        ("Local elections and independent candidates", "الانتخابات المحلية والمرشحون المستقلون", "هەڵبژاردنە خۆجێییەکان و کاندیدە سەربەخۆکان"),
        ("Freedom of expression and the press", "حرية التعبير والصحافة", "ئازادیی ڕادەربڕین و ڕۆژنامەگەری"),
        ("Fighting corruption with open data", "مكافحة الفساد بالبيانات المفتوحة", "بەرەنگاربوونەوەی گەندەڵی بە داتای کراوە"),
        ("Citizens and the constitution", "المواطنون والدستور", "هاووڵاتیان و دەستوور"),
        ("The law on civil society organisations", "قانون منظمات المجتمع المدني", "یاسای ڕێکخراوەکانی کۆمەڵگەی مەدەنی"),
    ],
    "peacebuilding-reconciliation": [
        ("Return to Sinjar", "العودة إلى سنجار", "گەڕانەوە بۆ شنگال"),
        ("Community dialogue after ISIS", "الحوار المجتمعي بعد داعش", "دیالۆگی کۆمەڵایەتی دوای داعش"),
        ("Transitional justice", "العدالة الانتقالية", "دادپەروەریی گواستنەوە"),
        ("Interfaith solidarity in Nineveh", "التضامن بين الأديان في نينوى", "هاوپشتیی نێوان ئایینەکان لە نەینەوا"),
        ("Healing trauma in displaced communities", "التعافي من الصدمات في مجتمعات النازحين", "چاکبوونەوە لە برینی دەروونی لە کۆمەڵگە ئاوارەکاندا"),
    ],
    "countering-militarisation": [
        ("Uncontrolled weapons in civilian life", "السلاح المنفلت في الحياة المدنية", "چەکی بێسنوور لە ژیانی مەدەنیدا"),
        ("Landmines and explosive remnants of war", "الألغام ومخلفات الحرب", "مین و پاشماوە تەقەمەنییەکانی جەنگ"),
        ("The arms trade and its victims", "تجارة السلاح وضحاياها", "بازرگانیی چەک و قوربانییەکانی"),
        ("Peace education in schools", "التربية على السلام في المدارس", "پەروەردەی ئاشتی لە قوتابخانەکاندا"),
        ("Cross-border bombardment and civilians", "القصف عبر الحدود والمدنيون", "بۆردومانی سەرسنوور و خەڵکی مەدەنی"),
    ],
    "minority-rights": [
        ("Yazidi women's rights after the genocide", "حقوق النساء الإيزيديات بعد الإبادة", "مافەکانی ژنانی ئێزیدی دوای جینۆساید"),
        ("Language rights in education", "الحقوق اللغوية في التعليم", "مافە زمانییەکان لە پەروەردەدا"),
        ("Christian and Sabean-Mandaean communities", "المجتمعات المسيحية والصابئة المندائية", "کۆمەڵگە مەسیحی و سابیئە مەندائییەکان"),
        ("Statelessness and civil documents", "انعدام الجنسية والوثائق المدنية", "بێڕەگەزنامەیی و بەڵگەنامە مەدەنییەکان"),
        ("Black Iraqis and discrimination", "العراقيون السود والتمييز", "عێراقییە ڕەشپێستەکان و جیاکاری"),
    ],
    "economic-social-rights": [
        ("Workers' rights in the oil sector", "حقوق العمال في قطاع النفط", "مافەکانی کرێکاران لە کەرتی نەوتدا"),
        ("Unemployment and young graduates", "البطالة والخريجون الشباب", "بێکاری و دەرچووە گەنجەکان"),
        ("The right to housing", "الحق في السكن", "مافی نیشتەجێبوون"),
        ("Public health services", "الخدمات الصحية العامة", "خزمەتگوزارییە تەندروستییە گشتییەکان"),
        ("Independent trade unions", "النقابات المستقلة", "سەندیکا سەربەخۆکان"),
    ],
    "women": [
        ("Ending gender-based violence", "إنهاء العنف القائم على النوع الاجتماعي", "کۆتاییهێنان بە توندوتیژیی لەسەر بنەمای ڕەگەز"),
        ("Women in local councils", "النساء في المجالس المحلية", "ژنان لە ئەنجومەنە خۆجێییەکاندا"),
        ("Shelters for women", "دور إيواء النساء", "پەناگەکانی ژنان"),
        ("Women journalists under pressure", "الصحفيات تحت الضغط", "ڕۆژنامەنووسە ژنەکان لە ژێر فشاردا"),
        ("The personal status law", "قانون الأحوال الشخصية", "یاسای باری کەسی"),
    ],
    "youth": [
        ("Youth volunteering after the protests", "العمل التطوعي الشبابي بعد الاحتجاجات", "خۆبەخشیی گەنجان دوای ناڕەزاییەکان"),
        ("Students and academic freedom", "الطلبة والحرية الأكاديمية", "خوێندکاران و ئازادیی ئەکادیمی"),
        ("Art, music and public space", "الفن والموسيقى والفضاء العام", "هونەر و مۆسیقا و شوێنی گشتی"),
        ("Young people and migration", "الشباب والهجرة", "گەنجان و کۆچ"),
        ("Sport for peace", "الرياضة من أجل السلام", "وەرزش بۆ ئاشتی"),
    ],
    "heritage-environment": [
        ("Water rights on the Tigris and Euphrates", "حقوق المياه في دجلة والفرات", "مافی ئاو لە دیجلە و فورات"),
        ("Saving the Mesopotamian marshes", "إنقاذ أهوار بلاد الرافدين", "ڕزگارکردنی هۆرەکانی میزۆپۆتامیا"),
        ("Gas flaring and health in Basra", "حرق الغاز المصاحب والصحة في البصرة", "سووتاندنی گاز و تەندروستی لە بەسرە"),
        ("Protecting the old city of Mosul", "حماية مدينة الموصل القديمة", "پاراستنی شاری کۆنی مووسڵ"),
        ("Climate change and drought", "تغيّر المناخ والجفاف", "گۆڕانی کەشوهەوا و وشکەساڵی"),
    ],
}

ANGLES = [
    ("lessons from the field", "دروس من الميدان", "وانەکان لە مەیدانەوە"),
    ("what networks can do", "ما الذي تستطيعه الشبكات", "تۆڕەکان چی دەتوانن بکەن"),
    ("tools and practice", "أدوات وممارسات", "ئامراز و کارپێکردن"),
]

ABSTRACT = {
    "en": "Organisations from Iraq and abroad share what they have learned about “{topic}”, and plan joint work for the coming year.",
    "ar": "تتبادل منظمات من العراق وخارجه ما تعلّمته حول «{topic}»، وتخطّط لعمل مشترك للعام المقبل.",
    "ckb": "ڕێکخراوەکان لە عێراق و دەرەوە ئەوەی دەربارەی «{topic}» فێری بوون دەیگۆڕنەوە، و پلانی کاری هاوبەش بۆ ساڵی داهاتوو دادەنێن.",
}

CRITERIA = [
    ({"ar": "الصلة بميثاق المبادرة", "ckb": "پەیوەندی بە پەیمانی دەستپێشخەرییەکەوە", "en": "Fit with the charter"}, 5, 2),
    ({"ar": "قابلية التنفيذ", "ckb": "توانای جێبەجێکردن", "en": "Feasibility"}, 5, 1),
    ({"ar": "تنوّع الأصوات", "ckb": "فرەیی دەنگەکان", "en": "Diversity of voices"}, 5, 1),
]

# Session starts of a day (90-minute blocks with breaks between them).
BLOCKS = [dt.time(9, 30), dt.time(11, 30), dt.time(14, 30), dt.time(16, 30)]


def load(command) -> None:
    conference = Conference.objects.current()
    if conference is None:
        return
    rooms = _rooms(conference)
    days = _days(conference)
    _call(conference)
    criteria = _criteria(conference)
    if Proposal.objects.filter(conference=conference).exists():
        command.stdout.write(f"{len(rooms)} rooms; the programme is already there.")
        return
    summary = _programme(conference, rooms, days, criteria)
    command.stdout.write(
        f"{len(rooms)} rooms, {len(days)} days, {summary['proposals']} proposals, "
        f"{summary['placed']} placed sessions, release {summary['release']} published, "
        f"draft with {summary['draft_changes']} changes."
    )


def _rooms(conference) -> list[Room]:
    rooms = []
    for order, (slug, ar, ckb, en, seats, booth, zone) in enumerate(ROOMS, start=1):
        room, _created = Room.objects.update_or_create(
            conference=conference,
            slug=slug,
            defaults={
                "name": {"ar": ar, "ckb": ckb, "en": en},
                "capacity": seats,
                "interpretation_booth": booth,
                "step_free": slug not in {"library", "sinjar"},
                "zone": zone,
                "order": order,
            },
        )
        rooms.append(room)
    return rooms


def _days(conference) -> list[ConferenceDay]:
    days = []
    date = conference.start_date
    while date <= conference.end_date:
        day, _created = ConferenceDay.objects.update_or_create(
            conference=conference, date=date, defaults={"starts_at": dt.time(9, 0), "ends_at": dt.time(18, 0)}
        )
        days.append(day)
        date += dt.timedelta(days=1)
    return days


def _call(conference) -> None:
    CallForSessions.objects.update_or_create(
        conference=conference,
        defaults={
            "opens_at": dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
            "closes_at": dt.datetime(2027, 2, 1, tzinfo=dt.UTC),
            "intro": {
                "ar": "اقترحوا جلسات وورش عمل في مسارات المبادرة التسعة. تُراجَع كل المقترحات وفق الميثاق.",
                "ckb": "دانیشتن و وۆرکشۆپ لە نۆ ڕێڕەوەکەی دەستپێشخەرییەکەدا پێشنیار بکەن. هەموو پێشنیارەکان بەپێی پەیمانەکە هەڵدەسەنگێنرێن.",
                "en": "Propose sessions and workshops in the initiative's nine tracks. Every proposal is reviewed against the charter.",
            },
        },
    )


def _criteria(conference) -> list[ReviewCriterion]:
    criteria = []
    for order, (name, highest, weight) in enumerate(CRITERIA, start=1):
        criterion, _created = ReviewCriterion.objects.update_or_create(
            conference=conference, order=order, defaults={"name": name, "max_score": highest, "weight": weight}
        )
        criteria.append(criterion)
    return criteria


def _programme(conference, rooms, days, criteria) -> dict:
    from sessions import cfp, scheduling

    rng = random.Random(SEED)  # noqa: S311 (repeatable demo data, not a secret)
    tz = ZoneInfo(conference.time_zone)
    tracks = {track.slug: track for track in Track.objects.all()}
    delegates = list(
        User.objects.filter(
            registrations__conference=conference, registrations__status=Registration.Status.CONFIRMED
        )
        .select_related("delegate_profile")
        .order_by("pk")
    )
    with_organisation = [user for user in delegates if user.delegate_profile.organization_id]
    organizer = TeamMember.objects.filter(conference=conference, role=TeamMember.Role.ORGANIZER).first()
    reviewer = TeamMember.objects.filter(conference=conference, role=TeamMember.Role.REVIEWER).first()
    now = timezone.now()

    formats = [F.PANEL] * 5 + [F.WORKSHOP] * 3 + [F.TRAINING, F.SIDE_MEETING]
    topics = [(slug, topic) for slug, items in TOPICS.items() for topic in items]
    proposals = []
    for n in range(120):
        slug, (en, ar, ckb) = topics[n % len(topics)]
        angle = ANGLES[n // len(topics)]
        proposer = with_organisation[(n * 7) % len(with_organisation)]
        kind = F.PLENARY if n < 6 else formats[n % len(formats)]
        languages = rng.choice([["ar"], ["ar"], ["ar", "en"], ["ckb"], ["ar", "ckb"], ["en"]])
        proposal = Proposal.objects.create(
            conference=conference,
            title={"en": f"{en}: {angle[0]}", "ar": f"{ar}: {angle[1]}", "ckb": f"{ckb}: {angle[2]}"},
            abstract={code: text.format(topic={"en": en, "ar": ar, "ckb": ckb}[code]) for code, text in ABSTRACT.items()},
            format=kind,
            track=tracks[slug],
            languages=languages,
            interpretation_wanted=kind == F.PLENARY or len(languages) > 1 or rng.random() < 0.2,
            duration=60 if kind == F.SIDE_MEETING else 90,
            expected_audience=300 if kind == F.PLENARY else rng.choice([15, 20, 25, 30, 40, 60, 90]),
            signup_capacity=25 if kind in (F.WORKSHOP, F.TRAINING) else None,
            organization_id=proposer.delegate_profile.organization_id,
            proposer=proposer,
            created_at=now - dt.timedelta(days=60 - n // 3),
        )
        people = [proposer, *rng.sample(delegates, rng.choice([0, 1, 1, 2]))]
        for order, person in enumerate(dict.fromkeys(people)):
            speaker = Speaker.objects.create(
                proposal=proposal,
                email=person.email,
                role=Speaker.Role.FACILITATOR if kind in (F.WORKSHOP, F.TRAINING) and order == 0 else Speaker.Role.SPEAKER,
                order=order,
            )
            # Each speaker confirms as a real invitee would (the service checks they are a delegate).
            speaker = cfp.confirm_speaker(token=speaker.invite_token, user=person, now=proposal.created_at)
            if rng.random() < 0.1:
                # Some speakers can come on the first two days only.
                first, second = days[0].bounds(tz)[0], days[1].bounds(tz)[1]
                Availability.objects.create(speaker=speaker, starts_at=first, ends_at=second)
        proposals.append(proposal)

    # Reviews by the demo reviewer, never of a proposal from their own organisation.
    if reviewer is not None:
        own = getattr(getattr(reviewer.user, "delegate_profile", None), "organization_id", None)
        for proposal in proposals[:100]:
            if own and proposal.organization_id == own:
                continue
            values = {criterion: rng.randint(2, 5) for criterion in criteria}
            weight = sum(criterion.weight for criterion in criteria)
            score = 100 * sum(v / c.max_score * c.weight for c, v in values.items()) / weight
            review = Review.objects.create(
                proposal=proposal, reviewer=reviewer.user, score=round(score, 1),
                comment=rng.choice(["", "Strong partners.", "Needs a clearer plan.", "Good fit with the charter."]),
            )
            ReviewScore.objects.bulk_create(
                ReviewScore(review=review, criterion=criterion, value=value) for criterion, value in values.items()
            )

    # Decisions: 80 accepted (plus 2 late acceptances kept for the draft), 15 rejected,
    # 5 withdrawn, the rest still waiting.
    accepted, late = proposals[:80], proposals[80:82]
    decided_by = organizer.user if organizer else None
    Proposal.objects.filter(pk__in=[p.pk for p in accepted]).update(
        state=Proposal.State.ACCEPTED, decided_at=now, decided_by=decided_by
    )
    Proposal.objects.filter(pk__in=[p.pk for p in proposals[82:97]]).update(
        state=Proposal.State.REJECTED, decided_at=now, decided_by=decided_by
    )
    Proposal.objects.filter(pk__in=[p.pk for p in proposals[97:102]]).update(state=Proposal.State.WITHDRAWN)

    draft = scheduling.draft_for(conference)
    placed = _place(draft, accepted, rooms, days, tz)
    release = scheduling.publish(
        conference=conference,
        comment={
            "ar": "النسخة الأولى من البرنامج.",
            "ckb": "یەکەم وەشانی بەرنامەکە.",
            "en": "The first version of the programme.",
        },
        by=decided_by,
        send_email=False,
    )

    _agendas(conference, delegates, accepted, rng)

    # Version 2, in the making: three sessions move, one is cancelled, two are added.
    changes = _draft_changes(conference, draft, accepted, late, rooms, days, tz, decided_by)
    return {"proposals": len(proposals), "placed": placed, "release": release.version, "draft_changes": changes}


def _place(draft, sessions, rooms, days, tz) -> int:
    """Greedy placement with no hard conflict: a free room with a booth when wanted and
    enough seats where possible, speakers in one place at a time and within their
    availability. Plenaries go first, to the main hall."""
    from sessions.models import Availability as AvailabilityRow

    windows: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for row in AvailabilityRow.objects.filter(speaker__proposal__in=sessions).select_related("speaker"):
        windows.setdefault(row.speaker.user_id, []).append((row.starts_at, row.ends_at))
    speakers = {}
    for speaker in Speaker.objects.filter(proposal__in=sessions):
        speakers.setdefault(speaker.proposal_id, set()).add(speaker.user_id)
    used_rooms: set[tuple[int, int]] = set()
    busy: set[tuple[int, int]] = set()
    starts = [dt.datetime.combine(day.date, block, tzinfo=tz) for day in days for block in BLOCKS]
    placed = 0
    usage = dict.fromkeys((room.pk for room in rooms), 0)
    slots = {slot.proposal_id: slot for slot in draft.slots.all()}
    ordered = sorted(sessions, key=lambda p: (p.format != F.PLENARY, -p.expected_audience))
    for index, proposal in enumerate(ordered):
        people = speakers.get(proposal.pk, set())
        # Rooms with enough seats first, the least used of them first, so every room
        # of the venue gets sessions.
        fitting = sorted(
            (room for room in rooms if room.interpretation_booth or not proposal.interpretation_wanted),
            key=lambda room: (room.capacity < proposal.expected_audience, usage[room.pk], room.capacity),
        )
        done = False
        # Spread sessions over the days rather than filling day one first.
        offset = (index * 5) % len(starts)
        for start in starts[offset:] + starts[:offset]:
            end = start + dt.timedelta(minutes=proposal.duration)
            if any((person, start.timestamp()) in busy for person in people):
                continue
            if any(
                person in windows and not any(a <= start and end <= b for a, b in windows[person])
                for person in people
            ):
                continue
            for room in fitting:
                if (room.pk, start.timestamp()) in used_rooms:
                    continue
                slot = slots[proposal.pk]
                slot.room, slot.starts_at, slot.ends_at = room, start, end
                slot.save(update_fields=["room", "starts_at", "ends_at"])
                used_rooms.add((room.pk, start.timestamp()))
                usage[room.pk] += 1
                busy.update((person, start.timestamp()) for person in people)
                placed += 1
                done = True
                break
            if done:
                break
    return placed


def _agendas(conference, delegates, sessions, rng) -> None:
    from sessions import workshops

    # Read back: the rows in hand predate their acceptance (a bulk update).
    workshops_in = list(
        Proposal.objects.filter(pk__in=[p.pk for p in sessions], signup_capacity__isnull=False).order_by("pk")
    )
    for person in delegates[:60]:
        for proposal in rng.sample(sessions, 4):
            Star.objects.get_or_create(user=person, proposal=proposal)
    # One workshop fills up and keeps a waiting list.
    for person in delegates[:30]:
        try:
            workshops.sign_up(proposal=workshops_in[0], user=person)
        except ProgrammeError:
            continue
    for person in delegates[30:90]:
        for proposal in rng.sample(workshops_in[1:], 2):
            try:
                workshops.sign_up(proposal=proposal, user=person)
            except ProgrammeError:
                continue


def _draft_changes(conference, draft, accepted, late, rooms, days, tz, by) -> int:
    from sessions import scheduling

    slots = {slot.proposal_id: slot for slot in draft.slots.select_related("proposal")}
    taken = {(slot.room_id, slot.starts_at) for slot in slots.values() if slot.room_id}
    free = [
        (room, dt.datetime.combine(day.date, dt.time(13, 0), tzinfo=tz))
        for day in days
        for room in rooms
        if not room.interpretation_booth
    ]
    free = [(room, start) for room, start in free if (room.pk, start) not in taken]
    changes = 0
    movable = [p for p in accepted if not p.interpretation_wanted and slots[p.pk].room_id][:3]
    for proposal, (room, start) in zip(movable, free, strict=False):
        scheduling.place(slot=slots[proposal.pk], room=room, start=start, by=by)
        changes += 1
    cancelled = next(p for p in accepted if slots[p.pk].room_id and p not in movable)
    Proposal.objects.filter(pk=cancelled.pk).update(state=Proposal.State.CANCELLED)
    changes += 1
    Proposal.objects.filter(pk__in=[p.pk for p in late]).update(
        state=Proposal.State.ACCEPTED, decided_by=by, interpretation_wanted=False
    )
    draft = scheduling.draft_for(conference)
    slots = {slot.proposal_id: slot for slot in draft.slots.all()}
    for proposal, (room, start) in zip(late, free[len(movable) :], strict=False):
        scheduling.place(slot=slots[proposal.pk], room=room, start=start, by=by)
        changes += 1
    return changes
