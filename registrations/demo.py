"""Demo registrations for the current edition (baghdad-2027): six categories, one
question of each kind, and about 320 fictional delegates in every status.

The 60 people of conference/demo/people.csv take part, with 260 generated accounts
(delegate061@example.org …) whose names come from registrations/demo_names.csv.
Every status is reached through ``registrations.services`` (with ``send_email=False``,
so no e-mail is queued): the demo is also a rehearsal of the real rules (capacity, waiting
list order, the per-organisation limit, offers of freed seats).

Idempotent: categories and questions are updated in place; people and registrations
are made only when the edition has no registration yet.
"""

# Translated sentences are data: they stay whole on their lines rather than being cut
# into pieces that translators and reviewers cannot read.
# ruff: noqa: E501

from __future__ import annotations

import csv
import datetime as dt
import logging
import random
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from conference import services as core_services
from conference.demo import _demo_password_hash
from conference.demo import _rows as core_rows
from conference.models import Conference, Governorate, Organization, Track, User
from registrations import services
from registrations.models import Category, Question, QuestionOption, Registration

HERE = Path(__file__).resolve().parent
EDITION = "baghdad-2027"
SEED = 2027
S = Registration.Status

# --- Categories -------------------------------------------------------------------------
CATEGORIES = [
    {
        "slug": "delegate",
        "kind": Category.Kind.DELEGATE,
        "name": {
            "ar": "مندوب عن المجتمع المدني العراقي",
            "ckb": "نوێنەری کۆمەڵگەی مەدەنیی عێراق",
            "en": "Iraqi civil society delegate",
        },
        "description": {
            "ar": "لأعضاء الجمعيات والنقابات والحركات والتعاونيات ووسائل الإعلام المستقلة في العراق. "
                  "يراجع المنظّمون كل طلب، ولكل منظمة ستة مندوبين مؤكَّدين كحدٍّ أقصى.",
            "ckb": "بۆ ئەندامانی کۆمەڵە و سەندیکا و بزووتنەوە و کۆئۆپەراتیڤ و میدیا سەربەخۆکانی عێراق. "
                   "ڕێکخەران سەیری هەموو داواکارییەک دەکەن، و هەر ڕێکخراوێک زۆرترین شەش نوێنەری پشتڕاستکراوەی دەبێت.",
            "en": "For members of Iraqi associations, unions, movements, cooperatives and independent media. "
                  "The organizers review every registration; each organisation has at most six confirmed delegates.",
        },
        "capacity": 220,
        "requires_approval": True,
        "invite_only": False,
        "per_organization_limit": 6,
        "offer_hours": 0,
    },
    {
        "slug": "partner",
        "kind": Category.Kind.PARTNER,
        "name": {"ar": "شريك دولي", "ckb": "هاوبەشی نێودەوڵەتی", "en": "International partner"},
        "description": {
            "ar": "للمنظمات خارج العراق التي تعمل جنباً إلى جنب مع المجتمع المدني العراقي. يراجع المنظّمون طلبات التسجيل.",
            "ckb": "بۆ ئەو ڕێکخراوانەی دەرەوەی عێراق کە شانبەشانی کۆمەڵگەی مەدەنیی عێراق کار دەکەن. "
                   "ڕێکخەران داواکارییەکانی تۆمارکردن هەڵدەسەنگێنن.",
            "en": "For organisations abroad that work alongside Iraqi civil society. The organizers review registrations.",
        },
        "capacity": 60,
        "requires_approval": True,
        "invite_only": False,
        "per_organization_limit": None,
        "offer_hours": 0,
    },
    {
        "slug": "speaker",
        "kind": Category.Kind.SPEAKER,
        "name": {"ar": "متحدث أو ميسّر", "ckb": "وتاربێژ یان ئاسانکار", "en": "Speaker or facilitator"},
        "description": {
            "ar": "بدعوة فقط: استخدم الرابط الوارد في رسالة فريق البرنامج.",
            "ckb": "تەنها بە بانگهێشت: ئەو بەستەرە بەکاربهێنە کە لە نامەی تیمی بەرنامەکەدا هاتووە.",
            "en": "By invitation only: use the link in the message from the programme team.",
        },
        "capacity": 40,
        "requires_approval": False,
        "invite_only": True,
        "per_organization_limit": None,
        "offer_hours": 0,
    },
    {
        "slug": "press",
        "kind": Category.Kind.PRESS,
        "name": {"ar": "الصحافة", "ckb": "ڕۆژنامەوانی", "en": "Press"},
        "description": {
            "ar": "للصحفيين الذين يغطّون المؤتمر. إذا تحرّر مقعد، يُمنح الشخص التالي على قائمة الانتظار ٤٨ ساعة لقبوله.",
            "ckb": "بۆ ئەو ڕۆژنامەنووسانەی کۆنفرانسەکە ڕووماڵ دەکەن. ئەگەر شوێنێک چۆڵ بوو، "
                   "کەسی دواتری لیستی چاوەڕوانی ٤٨ کاتژمێری هەیە بۆ وەرگرتنی.",
            "en": "For journalists covering the conference. When a seat frees up, the next person on the "
                  "waiting list has 48 hours to accept it.",
        },
        "capacity": 25,
        "requires_approval": True,
        "invite_only": False,
        "per_organization_limit": None,
        "offer_hours": 48,
    },
    {
        "slug": "volunteer",
        "kind": Category.Kind.VOLUNTEER,
        "name": {"ar": "متطوّع", "ckb": "خۆبەخش", "en": "Volunteer"},
        "description": {
            "ar": "ساعِد في الاستقبال والإرشاد ودعم الترجمة خلال أيام المؤتمر الثلاثة. تُمنح الأماكن حسب أسبقية التسجيل.",
            "ckb": "یارمەتی بدە لە پێشوازی و ڕێنمایی و پاڵپشتیی وەرگێڕان لە ماوەی سێ ڕۆژی کۆنفرانسەکەدا. "
                   "شوێنەکان بەپێی ڕیزبەندیی تۆمارکردن دەدرێن.",
            "en": "Help with welcome, orientation and interpretation support during the three days. "
                  "Places go in order of registration.",
        },
        "capacity": 30,
        "requires_approval": False,
        "invite_only": False,
        "per_organization_limit": None,
        "offer_hours": 0,
    },
    {
        "slug": "staff",
        "kind": Category.Kind.STAFF,
        "name": {"ar": "فريق العمل", "ckb": "کارمەندان", "en": "Staff"},
        "description": {
            "ar": "موظفو الشبكة وفريق التنظيم.",
            "ckb": "کارمەندانی تۆڕەکە و تیمی ڕێکخستن.",
            "en": "Network staff and the organising team.",
        },
        "capacity": 20,
        "requires_approval": False,
        "invite_only": True,
        "per_organization_limit": None,
        "offer_hours": 0,
    },
]

# --- Questions (one of each kind; ``categories`` empty = every category) ------------------
QUESTIONS = [
    {
        "kind": Question.Kind.SHORT_TEXT,
        "label": {
            "ar": "كيف سمعت عن المؤتمر؟",
            "ckb": "چۆن ئاگاداری کۆنفرانسەکە بوویت؟",
            "en": "How did you hear about the conference?",
        },
        "help_text": {
            "ar": "مثلاً: عن طريق منظمتك، أو صديق، أو وسائل التواصل الاجتماعي.",
            "ckb": "بۆ نموونە: لە ڕێگەی ڕێکخراوەکەت، هاوڕێیەک یان تۆڕە کۆمەڵایەتییەکانەوە.",
            "en": "For example: your organisation, a friend, social media.",
        },
        "required": False,
        "categories": [],
        "options": [],
    },
    {
        "kind": Question.Kind.LONG_TEXT,
        "label": {
            "ar": "ماذا تأمل أن تقدّم للمؤتمر، وماذا تأمل أن تتعلّم منه؟",
            "ckb": "دەتەوێت چی بۆ کۆنفرانسەکە بهێنیت، و هیوادارێت چی لێی فێر بیت؟",
            "en": "What do you hope to bring to the conference, and to learn from it?",
        },
        "help_text": {
            "ar": "تكفي بضع جمل: عملك، والخبرة التي يمكنك مشاركتها، وما تريد أن تتعلّمه.",
            "ckb": "چەند ڕستەیەک بەسە: کارەکەت، ئەو ئەزموونەی دەتوانیت بیگوازیتەوە، و ئەوەی دەتەوێت فێری ببیت.",
            "en": "A few sentences are enough: your work, the experience you can share, what you want to learn.",
        },
        "required": True,
        "categories": ["delegate"],
        "options": [],
    },
    {
        "kind": Question.Kind.SINGLE_CHOICE,
        "label": {"ar": "كيف ستصل إلى بغداد؟", "ckb": "چۆن دەگەیتە بەغدا؟", "en": "How will you travel to Baghdad?"},
        "help_text": {},
        "required": False,
        "categories": [],
        "options": [
            ("air-baghdad", {"ar": "جوّاً إلى مطار بغداد الدولي", "ckb": "بە فڕۆکە بۆ فڕۆکەخانەی نێودەوڵەتیی بەغدا",
                             "en": "By air to Baghdad International Airport"}),
            ("air-erbil", {"ar": "جوّاً عبر أربيل", "ckb": "بە فڕۆکە لە ڕێگەی هەولێرەوە", "en": "By air via Erbil"}),
            ("air-basra", {"ar": "جوّاً عبر البصرة", "ckb": "بە فڕۆکە لە ڕێگەی بەسرەوە", "en": "By air via Basra"}),
            ("road", {"ar": "برّاً", "ckb": "بە ڕێگای وشکانی", "en": "By road"}),
        ],
    },
    {
        "kind": Question.Kind.MULTIPLE_CHOICE,
        "label": {
            "ar": "ما ورش العمل التي تهمّك؟",
            "ckb": "کام وۆرکشۆپانە بایەخت پێیانە؟",
            "en": "Which workshops interest you?",
        },
        "help_text": {
            "ar": "اختر ما تشاء: يساعدنا ذلك على توزيع القاعات.",
            "ckb": "هەرچەندێکت بوێت هەڵبژێرە: یارمەتیمان دەدات بۆ دابەشکردنی هۆڵەکان.",
            "en": "Choose as many as you like: it helps us plan the rooms.",
        },
        "required": False,
        "categories": [],
        "options": [
            ("digital-safety", {"ar": "الأمان الرقمي للناشطين", "ckb": "سەلامەتیی دیجیتاڵی بۆ چالاکوانان",
                                "en": "Digital safety for activists"}),
            ("documentation", {"ar": "توثيق انتهاكات حقوق الإنسان", "ckb": "بەڵگەدارکردنی پێشێلکارییەکانی مافی مرۆڤ",
                               "en": "Documenting human rights violations"}),
            ("nonviolent-campaigns", {"ar": "تخطيط الحملات اللاعنفية", "ckb": "پلاندانان بۆ هەڵمەتی نەتوندوتیژ",
                                      "en": "Planning nonviolent campaigns"}),
            ("dialogue", {"ar": "تيسير الحوار بين المكوّنات", "ckb": "ئاسانکاریی گفتوگۆ لە نێوان پێکهاتەکاندا",
                          "en": "Facilitating dialogue between communities"}),
            ("collective-care", {"ar": "الرعاية الجماعية وتجنّب الإنهاك", "ckb": "چاودێریی بەکۆمەڵ و خۆپاراستن لە شەکەتبوون",
                                 "en": "Collective care and avoiding burnout"}),
        ],
    },
    {
        "kind": Question.Kind.YES_NO,
        "label": {
            "ar": "هل تحتاج إلى مكان إقامة في بغداد؟",
            "ckb": "پێویستیت بە شوێنی مانەوە هەیە لە بەغدا؟",
            "en": "Do you need accommodation in Baghdad?",
        },
        "help_text": {
            "ar": "تحجز الشبكة غرفاً مشتركة قرب مكان المؤتمر للقادمين من خارج بغداد.",
            "ckb": "تۆڕەکە ژووری هاوبەش لە نزیک شوێنی کۆنفرانسەکە بۆ ئەوانە دەگرێت کە لە دەرەوەی بەغداوە دێن.",
            "en": "The network books shared rooms near the venue for people coming from outside Baghdad.",
        },
        "required": False,
        "categories": [],
        "options": [],
    },
    {
        "kind": Question.Kind.DATE,
        "label": {"ar": "تاريخ الوصول", "ckb": "ڕێکەوتی گەیشتن", "en": "Arrival date"},
        "help_text": {},
        "required": False,
        "categories": [],
        "options": [],
    },
    {
        "kind": Question.Kind.FILE,
        "label": {"ar": "رسالة من منظمتك", "ckb": "نامەیەک لە ڕێکخراوەکەتەوە", "en": "Letter from your organisation"},
        "help_text": {
            "ar": "اختياري: رسالة قصيرة تسمّيك مندوباً عنها. تساعد في الموافقة وفي طلب التأشيرة.",
            "ckb": "ئارەزوومەندانە: نامەیەکی کورت کە تۆ وەک نوێنەری خۆی ناو دەبات. بۆ پەسەندکردن و داواکردنی ڤیزا یارمەتیدەرە.",
            "en": "Optional: a short letter naming you as its delegate. It helps with approval and with visas.",
        },
        "required": False,
        "categories": ["delegate", "partner"],
        "options": [],
    },
]

# --- Texts that delegates and reviewers write (keyed by language) ------------------------
HEARD = {
    "ar": ["من منظمتي", "من صديق", "من صفحة الشبكة على فيسبوك", "حضرت مؤتمر السليمانية العام الماضي", "من زميل في النقابة"],
    "ckb": ["لە ڕێکخراوەکەمەوە", "لە هاوڕێیەکەوە", "لە پەڕەی فەیسبووکی تۆڕەکەوە", "ساڵی ڕابردوو بەشداری کۆنفرانسی سلێمانیم کرد"],
    "en": ["Through our partner organisation in Iraq", "A colleague told me", "The network's newsletter",
           "I attended the Sulaymaniyah edition"],
}
HOPES = {
    "ar": [
        "أعمل في {org} على {topic}. أودّ أن أشارك ما تعلّمناه وأن ألتقي بمجموعات تعمل على القضايا نفسها في محافظات أخرى.",
        "أحمل تجربة {org} في {topic}، وأتمنى أن أتعلّم كيف نبني تحالفات أوسع دون أن نعرّض أعضاءنا للخطر.",
        "نحتاج في {org} إلى أدوات عملية في {topic}. سأنقل ما أتعلّمه إلى زملائي في ورشة بعد عودتي.",
    ],
    "ckb": [
        "لە {org} لەسەر {topic} کار دەکەم. دەمەوێت ئەوەی فێری بووین هاوبەش بکەم و ئەو گرووپانە ببینم کە لە پارێزگاکانی تر لەسەر هەمان پرسەکان کار دەکەن.",
        "ئەزموونی {org} لە بواری {topic} دەهێنم، و هیوادارم فێر بم چۆن هاوپەیمانیی فراوانتر دروست بکەین بەبێ ئەوەی ئەندامەکانمان بخەینە مەترسییەوە.",
        "لە {org} پێویستمان بە ئامرازی کرداری هەیە لە بواری {topic}. دوای گەڕانەوەم ئەوەی فێری دەبم لە وۆرکشۆپێکدا بە هاوکارانم دەڵێم.",
    ],
    "en": [
        "At {org} I work on {topic}. I want to share what we have learned and meet groups working on the same issues in other governorates.",
        "I bring {org}'s experience of {topic}, and I hope to learn how to build wider coalitions without putting our members at risk.",
        "{org} needs practical tools for {topic}. I will pass on what I learn to my colleagues in a workshop when I am back.",
    ],
}
TOPICS = {
    "ar": ["حقوق العمّال", "حماية المدافعين عن حقوق الإنسان", "الحوار بين المكوّنات", "حقوق النساء", "البيئة والمياه", "مشاركة الشباب"],
    "ckb": ["مافی کرێکاران", "پاراستنی بەرگریکارانی مافی مرۆڤ", "گفتوگۆ لە نێوان پێکهاتەکاندا", "مافی ئافرەتان", "ژینگە و ئاو", "بەشداریی گەنجان"],
    "en": ["workers' rights", "protecting human rights defenders", "dialogue between communities", "women's rights",
           "water and the environment", "youth participation"],
}
NO_ORGANISATION = {"ar": "مجموعتنا", "ckb": "گرووپەکەمان", "en": "our group"}
REJECTIONS = [
    {
        "ar": "نعتذر، لم نتمكّن من التحقق من صلتك بالمنظمة التي ذكرتها. راسلنا إن كان بإمكانك توضيح ذلك.",
        "ckb": "ببورە، نەمانتوانی پەیوەندیت بەو ڕێکخراوەوە پشتڕاست بکەینەوە کە ناوت هێناوە. ئەگەر دەتوانیت ڕوونی بکەیتەوە بۆمان بنووسە.",
        "en": "Sorry, we could not confirm your link with the organisation you named. Write to us if you can clarify it.",
    },
    {
        "ar": "هذه الفئة مخصّصة لمنظمات المجتمع المدني المستقلة؛ لموظفي الجهات الحكومية أماكن للمراقبين، راسل المنظّمين بشأنها.",
        "ckb": "ئەم پۆلە تایبەتە بە ڕێکخراوە سەربەخۆکانی کۆمەڵگەی مەدەنی؛ کارمەندانی دامەزراوە حکوومییەکان شوێنی چاودێریان هەیە، لەو بارەیەوە بۆ ڕێکخەران بنووسە.",
        "en": "This category is for independent civil society; government employees have observer places, write to the organizers about them.",
    },
]
WITHDRAWALS = [
    {"ar": "لا أستطيع السفر في هذه التواريخ.", "ckb": "لەو ڕێکەوتانەدا ناتوانم گەشت بکەم.", "en": "I cannot travel on these dates."},
    {"ar": "سيحضر زميل من منظمتنا بدلاً مني.", "ckb": "هاوکارێکی ڕێکخراوەکەمان لە جیاتی من دێت.", "en": "A colleague from our organisation will come instead of me."},
    {"ar": "لم أحصل على التأشيرة في الوقت المناسب.", "ckb": "ڤیزاکەم لە کاتی خۆیدا وەرنەگرت.", "en": "My visa did not come through in time."},
]
# (en, ar for a man, ar for a woman, ckb)
POSITIONS = {
    "org": [
        ("Project coordinator", "منسّق مشاريع", "منسّقة مشاريع", "هەماهەنگکاری پڕۆژە"),
        ("Field researcher", "باحث ميداني", "باحثة ميدانية", "توێژەری مەیدانی"),
        ("Lawyer", "محامٍ", "محامية", "پارێزەر"),
        ("Board member", "عضو الهيئة الإدارية", "عضوة الهيئة الإدارية", "ئەندامی دەستەی بەڕێوەبردن"),
        ("Trainer", "مدرّب", "مدرّبة", "ڕاهێنەر"),
        ("Union representative", "ممثّل نقابي", "ممثّلة نقابية", "نوێنەری سەندیکا"),
        ("Executive director", "مدير تنفيذي", "مديرة تنفيذية", "بەڕێوەبەری جێبەجێکار"),
    ],
    "press": [
        ("Reporter", "مراسل", "مراسلة", "پەیامنێر"),
        ("Photojournalist", "مصوّر صحفي", "مصوّرة صحفية", "وێنەگری ڕۆژنامەوانی"),
        ("Editor", "محرّر", "محرّرة", "سەرنووسەر"),
        ("Radio presenter", "مقدّم برامج إذاعية", "مقدّمة برامج إذاعية", "پێشکەشکاری ڕادیۆ"),
    ],
    "staff": [
        ("Logistics coordinator", "منسّق الخدمات اللوجستية", "منسّقة الخدمات اللوجستية", "هەماهەنگکاری لۆجستی"),
        ("Finance officer", "مسؤول مالي", "مسؤولة مالية", "بەرپرسی دارایی"),
        ("Communications officer", "مسؤول الإعلام", "مسؤولة الإعلام", "بەرپرسی ڕاگەیاندن"),
        ("Interpretation coordinator", "منسّق الترجمة الفورية", "منسّقة الترجمة الفورية", "هەماهەنگکاری وەرگێڕانی ڕاستەوخۆ"),
    ],
    "volunteer": [
        ("University student", "طالب جامعي", "طالبة جامعية", "خوێندکاری زانکۆ"),
        ("Volunteer", "متطوّع", "متطوّعة", "خۆبەخش"),
    ],
}
ACCESSIBILITY = [
    {"ar": "أستخدم كرسياً متحركاً: أحتاج إلى مداخل بلا درج وغرفة مهيّأة.",
     "ckb": "کورسیی جوڵاو بەکاردەهێنم: پێویستم بە ڕێگای بێ پلیکانە و ژوورێکی گونجاو هەیە.",
     "en": "I use a wheelchair: I need step-free access and an accessible room."},
    {"ar": "سمعي ضعيف: أرجو مقعداً في الصفوف الأمامية وترجمة نصية مباشرة إن أمكن.",
     "ckb": "بیستنم لاوازە: تکایە شوێنێکم لە ڕیزی پێشەوە بدەنێ، و ئەگەر بکرێت ژێرنووسی ڕاستەوخۆ.",
     "en": "I am hard of hearing: a seat near the front and live captions if possible, please."},
    {"ar": "نظري ضعيف: أرجو الوثائق بخط كبير أو بملفات يسهل قراءتها.",
     "ckb": "بینینم کزە: تکایە بەڵگەنامەکان بە پیتی گەورە یان وەک فایلی گونجاو.",
     "en": "Low vision: documents in large print or as accessible files, please."},
    {"ar": "لا أستطيع صعود الكثير من الدرج وأحتاج إلى الراحة بين الجلسات.",
     "ckb": "ناتوانم پلیکانەی زۆر سەربکەوم و پێویستم بە پشوو هەیە لە نێوان دانیشتنەکاندا.",
     "en": "I cannot climb many stairs and need to rest between sessions."},
]
DIETARY = [
    {"ar": "نباتي", "ckb": "ڕووەکی", "en": "Vegetarian"},
    {"ar": "نباتي صرف", "ckb": "ڕووەکیی تەواو", "en": "Vegan"},
    {"ar": "خالٍ من الغلوتين (داء السيلياك)", "ckb": "بێ گلوتین (نەخۆشیی سێلیاک)", "en": "Gluten-free (coeliac)"},
    {"ar": "مريض بالسكري: طعام قليل السكر", "ckb": "نەخۆشیی شەکرەم هەیە: خواردنی کەمشەکر", "en": "Diabetic: low sugar"},
    {"ar": "حساسية من المكسرات", "ckb": "هەستیاری بە چەرەزات", "en": "Nut allergy"},
]
# Names that at-risk delegates wear on their badges instead of their own.
SAFE_BADGE_NAMES = {
    "ar": ["سلام", "أمل", "نور", "سما", "ضياء"],
    "ckb": ["ئاشتی", "هیوا", "ڕووناک", "ئازادی"],
    "en": ["Salam", "Amal", "Hiwa", "Ashti"],
}
# Organisations some delegates could not find in the directory.
PROPOSALS = [
    {"name": "Anbar Women Journalists Circle", "name_ar": "حلقة صحفيات الأنبار", "kind": "media", "country": "IQ", "website": ""},
    {"name": "Zakho Youth Theatre", "name_ar": "شانۆی گەنجانی زاخۆ", "kind": "volunteer", "country": "IQ", "website": ""},
    {"name": "Samarra Teachers for Peace", "name_ar": "معلّمون من أجل السلام في سامراء", "kind": "movement",
     "country": "IQ", "website": "https://samarra-teachers.example.org"},
]

# --- The 60 people of the core demo -----------------------------------------------------
CORE_WOMEN = {
    "zainab", "noor", "ruqaya", "maryam", "huda", "sara", "fatima", "shahad", "amna", "duaa", "ala",
    "shayma", "zhyan", "awaz", "gulala", "nasreen", "rozhan", "shilan", "khalida", "rana", "dunya", "tara",
    "zahraa", "giulia", "astrid", "ingrid", "lena", "helene", "nuria", "rima", "tamara",
}
# Latin-script names in people.csv: their name in Arabic script and their group.
CORE_LATIN = {
    "khalida.ilyas@example.org": ("خالدة إلياس", "yazidi"),
    "hussein.kaabi@example.org": ("حسين الكعبي", "arab"),
    "rana.khafaji@example.org": ("رنا الخفاجي", "arab"),
    "saif.hashimi@example.org": ("سيف الهاشمي", "arab"),
    "dunya.sabah@example.org": ("دنيا صباح", "arab"),
    "yaseen.fahdawi@example.org": ("ياسين الفهداوي", "arab"),
    "tara.hawrami@example.org": ("تارا هەورامی", "kurd"),
    "zahraa.tamimi@example.org": ("زهراء التميمي", "arab"),
    "rima.haddad@example.org": ("ريما حداد", "LB"),
    "karim.nassar@example.org": ("كريم نصار", "LB"),
    "tamara.haddadin@example.org": ("تمارا حدادين", "JO"),
}
CORE_SPEAKERS = {
    "mustafa.alrubaie@example.org", "rozhan.jalal@example.org", "yousif.hanna@example.org", "zhyan.ali@example.org",
    "kenji.watanabe@example.org", "oliver.pembroke@example.org", "rima.haddad@example.org",
}

# How many people each category gets; generated people fill what people.csv does not.
PLAN_IRAQI = {"delegate": 170, "speaker": 14, "press": 24, "volunteer": 36, "staff": 12}
PLAN_INTERNATIONAL = {"partner": 46, "speaker": 10, "press": 8}
# Organisations that send more delegates than the per-organisation limit admits.
BUSY_ORGANISATIONS = {
    "nasiriyah-peaceful-square-movement", "sulaymaniyah-unpaid-teachers-movement",
    "basra-clean-water-campaign", "rusafa-textile-workers-union",
}
KURDISTAN = {"erbil", "sulaymaniyah", "duhok", "halabja"}
COUNTRY_LANGUAGES = {"IT": "it", "DE": "de", "FR": "fr", "ES": "es", "LB": "fr"}
PASSPORT_PREFIX = {"IQ": "A", "IT": "YB", "SE": "9", "NO": "F", "DE": "C", "FR": "19F", "GB": "5", "ES": "PA",
                   "JP": "TR", "LB": "RL", "JO": "N"}


@dataclass
class Person:
    index: int
    email: str
    language: str
    group: str  # arab, kurd, yazidi, or a country code for people from abroad
    category: str
    passport_name: str
    arabic_name: str = ""
    display_name: str = ""  # the account's full name when it differs from the passport name
    gender: str = ""
    organization: Organization | None = None
    country: str = "IQ"
    governorate: Governorate | None = None
    proposal: dict | None = None
    user: User | None = None
    fate: str = "keep"  # what the demo does with the registration: see _fates


def _names() -> dict[tuple[str, str, str], list[tuple[str, str]]]:
    table: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    with (HERE / "demo_names.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table[row["group"], row["part"], row["gender"]].append((row["latin"], row["native"]))
    return table


def _categories(conference: Conference) -> dict[str, Category]:
    categories = {}
    for order, spec in enumerate(CATEGORIES, start=1):
        values = {key: value for key, value in spec.items() if key != "slug"}
        category, _created = Category.objects.update_or_create(
            conference=conference, slug=spec["slug"], defaults={**values, "order": order}
        )
        category.conference = conference  # spares the services a query per registration
        categories[category.slug] = category
    return categories


def _questions(conference: Conference, categories: dict[str, Category]) -> dict[str, Question]:
    questions = {}
    for order, spec in enumerate(QUESTIONS, start=1):
        question, _created = Question.objects.update_or_create(
            conference=conference, kind=spec["kind"], order=order,
            defaults={"label": spec["label"], "help_text": spec["help_text"], "required": spec["required"]},
        )
        question.categories.set([categories[slug] for slug in spec["categories"]])
        for option_order, (key, label) in enumerate(spec["options"], start=1):
            QuestionOption.objects.update_or_create(
                question=question, key=key, defaults={"label": label, "order": option_order}
            )
        question.applies_to = set(spec["categories"])
        questions[spec["kind"]] = question
    return questions


def _core_passport_name(email: str) -> str:
    parts = email.split("@")[0].split(".")
    words = []
    for part in parts:
        if part.startswith("al") and len(part) > 4:
            words.append("Al-" + part[2:].capitalize())
        else:
            words.append(part.capitalize())
    return " ".join(words)


def _core_people(orgs: dict[str, Organization]) -> list[Person]:
    people = []
    for index, row in enumerate(core_rows("people.csv")):
        email = row["email"]
        org = orgs.get(row["organization"])
        gender = "woman" if email.split(".")[0] in CORE_WOMEN else "man"
        if row["script"] in ("arabic", "kurdish"):
            group = "arab" if row["script"] == "arabic" else "kurd"
            passport_name, arabic_name = _core_passport_name(email), row["full_name"]
        else:
            arabic_name, group = CORE_LATIN.get(email, ("", ""))
            passport_name = row["full_name"]
            group = group or (str(org.country) if org else "GB")
        iraqi = org is not None and str(org.country) == "IQ"
        if email in CORE_SPEAKERS:
            category = "speaker"
        elif not iraqi:
            category = "partner"
        elif org.kind == Organization.Kind.MEDIA or "journalists" in org.slug:
            category = "press"
        else:
            category = "delegate"
        people.append(Person(
            index=index, email=email, language=row["preferred_language"], group=group, category=category,
            passport_name=passport_name, arabic_name=arabic_name, display_name=row["full_name"],
            gender=gender, organization=org, country=str(org.country) if org else "GB",
            governorate=org.governorate if org else None,
        ))
    return people


def _generated_people(start: int, core: list[Person], orgs: dict[str, Organization],
                      governorates: dict[str, Governorate], rng: random.Random) -> list[Person]:
    names = _names()
    iraqi_orgs = [org for org in orgs.values() if str(org.country) == "IQ"]
    foreign_orgs = [org for org in orgs.values() if str(org.country) != "IQ"]
    weights = [3 if org.slug in BUSY_ORGANISATIONS else 1 for org in iraqi_orgs]
    taken = Counter(person.category for person in core if person.country == "IQ")
    taken_abroad = Counter(person.category for person in core if person.country != "IQ")
    used: set[str] = {person.passport_name for person in core}
    proposals = list(PROPOSALS)
    people: list[Person] = []

    def name(group: str, gender: str) -> tuple[str, str]:
        letter = "f" if gender == "woman" else "m"
        for _attempt in range(50):
            given, given_native = rng.choice(names[group, "given", letter])
            family, family_native = rng.choice(names[group, "family", ""])
            latin, native = f"{given} {family}", f"{given_native} {family_native}".strip()
            if group == "arab":  # given name, father's name, family name
                father, father_native = rng.choice(names["arab", "given", "m"])
                latin = f"{given} {father} {family}"
                native = f"{given_native} {father_native} {family_native}"
            if latin not in used:
                used.add(latin)
                return latin, native if given_native else ""
        raise RuntimeError("the demo name lists are too short")

    def add(category: str, org: Organization | None, governorate: Governorate | None, group: str,
            country: str) -> None:
        index = start + len(people)
        gender = rng.choice(["woman", "man"])
        latin, native = name(group, gender)
        if group == "arab":
            language = "en" if rng.random() < 0.08 else "ar"
        elif group == "kurd":
            language = "ar" if rng.random() < 0.1 else "ckb"
        else:
            language = "ar" if group in ("LB", "JO") and rng.random() < 0.5 else "en"
        people.append(Person(
            index=index, email=f"delegate{index + 1:03d}@example.org", language=language, group=group,
            category=category, passport_name=latin, arabic_name=native, gender=gender, organization=org,
            country=country, governorate=governorate,
        ))

    def iraqi_group(governorate: Governorate | None) -> str:
        code = governorate.code if governorate else "baghdad"
        share = 0.9 if code in KURDISTAN else 0.5 if code == "kirkuk" else 0.2 if code == "nineveh" else 0.03
        return "kurd" if rng.random() < share else "arab"

    def is_media(org: Organization) -> bool:
        return org.kind == Organization.Kind.MEDIA or "journalis" in org.slug

    for category, wanted in PLAN_IRAQI.items():
        for _n in range(wanted - taken[category]):
            if category == "delegate":
                if proposals and _n % 45 == 10:
                    proposal = proposals.pop()
                    governorate = governorates["duhok" if "Zakho" in proposal["name"] else
                                               "anbar" if "Anbar" in proposal["name"] else "saladin"]
                    add(category, None, governorate, iraqi_group(governorate), "IQ")
                    people[-1].proposal = proposal
                    continue
                org = rng.choices(iraqi_orgs, weights)[0]
            elif category == "press":
                media = [org for org in iraqi_orgs if is_media(org)]
                org = rng.choice(media) if rng.random() < 0.7 else None  # or freelance
            elif category == "volunteer":
                helpers = [o for o in iraqi_orgs if o.kind == Organization.Kind.VOLUNTEER]
                org = rng.choice(helpers) if rng.random() < 0.5 else None
            elif category == "speaker":
                org = rng.choice(iraqi_orgs)
            else:
                org = None
            if org is not None:
                governorate = org.governorate
            elif category in ("staff", "volunteer"):
                governorate = governorates["erbil" if rng.random() < 0.2 else "baghdad"]
            else:
                governorate = rng.choice(list(governorates.values()))
            add(category, org, governorate, iraqi_group(governorate), "IQ")

    for category, wanted in PLAN_INTERNATIONAL.items():
        for _n in range(wanted - taken_abroad[category]):
            if category == "press":
                media = [org for org in foreign_orgs if is_media(org)]
                org = rng.choice(media) if rng.random() < 0.6 else None
            else:
                org = rng.choice(foreign_orgs)
            country = str(org.country) if org else rng.choice(["GB", "FR", "DE", "IT", "LB"])
            add(category, org, None, country, country)
    return people


def _profile_data(person: Person, rng: random.Random, deadline: dt.date) -> dict:
    language = person.language
    iraqi = person.country == "IQ"
    if person.group == "kurd":
        duhok = person.governorate is not None and person.governorate.code == "duhok"
        languages = ["kmr" if duhok else "ckb"] + (["ar"] if rng.random() < 0.6 else [])
    elif person.group == "yazidi":
        languages = ["kmr", "ar"]
    elif iraqi:
        languages = ["ar"]
        if (person.arabic_name.split() or [""])[-1] in ("حنا", "يعقوب", "توما"):
            languages.append("syc")
        if person.governorate is not None and person.governorate.code == "kirkuk" and rng.random() < 0.4:
            languages.append("tk")
        if rng.random() < 0.15:
            languages.append("ckb")
    else:
        languages = ["ar"] if person.group in ("LB", "JO") else []
        languages.append("en")
        if person.group in COUNTRY_LANGUAGES:
            languages.append(COUNTRY_LANGUAGES[person.group])
    if iraqi and "en" not in languages and (rng.random() < 0.35 or language == "en"):
        languages.append("en")
    conference_languages = [code for code in ("ar", "ckb", "en") if code in languages]
    if len(conference_languages) == 1 or (conference_languages and rng.random() < 0.3):
        interpretation = conference_languages[:1]
    elif not conference_languages:
        interpretation = ["ckb"]  # Kurmanji speakers follow Sorani best
    else:
        interpretation = []

    role = person.category if person.category in ("press", "staff", "volunteer") else "org"
    en, ar_man, ar_woman, ckb = rng.choice(POSITIONS[role])
    position = {"ar": ar_woman if person.gender == "woman" else ar_man, "ckb": ckb}.get(language, en)

    gender = person.gender
    self_description = ""
    roll = rng.random()
    if roll < 0.07:
        gender = ""
    elif roll < 0.11 and not iraqi:
        gender, self_description = "self", "non-binary"

    at_risk = iraqi and person.category in ("delegate", "speaker", "press") and rng.random() < 0.05
    badge_name = rng.choice(SAFE_BADGE_NAMES[language]) if at_risk else ""
    if person.category in ("volunteer", "staff"):
        first_year = 1988 if person.category == "staff" else 1998
        born = dt.date(rng.randint(first_year, 2006), rng.randint(1, 12), rng.randint(1, 28))
    else:
        born = dt.date(rng.randint(1958, 2003), rng.randint(1, 12), rng.randint(1, 28))
    if rng.random() < 0.025:  # expires before the embassies' six months after the conference
        expiry = deadline - dt.timedelta(days=rng.randint(10, 240))
    else:
        expiry = dt.date(rng.randint(2028, 2035), rng.randint(1, 12), rng.randint(1, 28))
    number = (7_304_117 + person.index * 7_919) % 10_000_000  # 7919 is prime: numbers never repeat
    prefix = PASSPORT_PREFIX.get(person.country, "P")
    phone = ""
    if iraqi:
        network = rng.choice(["50", "51", "70", "71", "72", "80", "81"])
        phone = f"+964 7{network} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"

    return {
        "passport_name": person.passport_name,
        "arabic_name": person.arabic_name,
        "badge_name": badge_name,
        "organization": person.organization,
        "position": position,
        "country": person.country,
        "governorate": person.governorate if iraqi else None,
        "languages": languages,
        "interpretation_needed": interpretation,
        "accessibility_needs": rng.choice(ACCESSIBILITY)[language] if rng.random() < 0.05 else "",
        "dietary_needs": rng.choice(DIETARY)[language] if rng.random() < 0.15 else "",
        "phone": phone,
        "gender": gender,
        "gender_self_description": self_description,
        "passport_number": f"{prefix}{number:07d}",
        "passport_expiry": expiry,
        "nationality": person.country,
        "date_of_birth": born,
        "at_risk": at_risk,
        "public_listing": not at_risk and rng.random() < 0.35,
    }


def _answers(person: Person, questions: dict[str, Question], rng: random.Random) -> dict:
    K = Question.Kind
    language = person.language
    local = person.governorate is not None and person.governorate.code == "baghdad"
    answers: dict = {}
    if rng.random() < 0.7:
        answers[questions[K.SHORT_TEXT]] = rng.choice(HEARD[language])
    if person.category in questions[K.LONG_TEXT].applies_to:
        org = person.organization
        if org is None:
            org_name = NO_ORGANISATION[language]
        else:
            org_name = org.name if language == "en" else org.name_ar or org.name
        answers[questions[K.LONG_TEXT]] = rng.choice(HOPES[language]).format(
            org=org_name, topic=rng.choice(TOPICS[language])
        )
    if person.country != "IQ":
        travel = rng.choices(["air-baghdad", "air-erbil", "air-basra"], [65, 25, 10])[0]
    elif local:
        travel = "road"
    else:
        travel = "air-baghdad" if rng.random() < 0.3 else "road"
    answers[questions[K.SINGLE_CHOICE]] = travel
    if rng.random() < 0.8:
        keys = [option[0] for option in QUESTIONS[3]["options"]]
        answers[questions[K.MULTIPLE_CHOICE]] = sorted(rng.sample(keys, rng.randint(1, 3)), key=keys.index)
    answers[questions[K.YES_NO]] = not local and person.category != "staff"
    answers[questions[K.DATE]] = dt.date(2027, 4, 13 if local else rng.choice([11, 12, 12, 12]))
    return answers


def _tracks(person: Person, tracks: list[Track], rng: random.Random) -> list[Track]:
    own = list(person.organization.tracks.all()) if person.organization else []
    chosen = set(rng.sample(own, min(len(own), rng.randint(1, 2)))) if own else set()
    if not chosen or rng.random() < 0.4:
        chosen.add(rng.choice(tracks))
    return sorted(chosen, key=lambda track: track.order)


def _fates(category: str, count: int, rng: random.Random) -> list[str]:
    """What happens to each registration of a category, in registration order."""
    if category == "delegate":
        fates = (["approve"] * (count - 38) + ["approve-cancel"] * 3 + ["pending"] * 19
                 + ["pending-cancel"] * 3 + ["reject"] * 13)
        rng.shuffle(fates)
    elif category == "partner":
        fates = (["approve"] * (count - 11) + ["approve-cancel"] + ["pending"] * 5
                 + ["pending-cancel"] * 3 + ["reject"] * 2)
        rng.shuffle(fates)
    elif category == "press":
        # The fourth approved journalist withdraws once the category is full: the first
        # on the waiting list is offered the seat for 48 hours.
        fates = ["approve"] * count
        fates[3] = "approve-cancel"
        fates[-1] = "reject"
        fates[-6] = fates[-9] = "pending"
    elif category == "volunteer":
        # Thirty seats for 36 volunteers: one confirmed volunteer withdraws (the first
        # waiting takes the seat) and one on the waiting list gives up.
        fates = ["keep"] * count
        fates[5] = fates[-3] = "cancel"
    elif category == "speaker":
        fates = ["keep"] * count
        fates[-1] = "cancel"
    else:
        fates = ["keep"] * count
    return fates


def _accounts(people: list[Person]) -> None:
    """Find or make each person's account: one INSERT for the missing ones, with the
    core demo's password hash and a verified address (allauth asks for one)."""
    emails = [person.email for person in people]
    accounts = {user.email: user for user in User.objects.filter(email__in=emails)}
    missing = [
        User(email=person.email, full_name=person.passport_name, preferred_language=person.language,
             password=_demo_password_hash())
        for person in people if person.email not in accounts
    ]
    if missing:
        fresh = core_services.accounts_create_verified(accounts=missing)
        accounts.update({user.email: user for user in fresh})
    for person in people:
        person.user = accounts[person.email]


def _registration_moment(conference: Conference):
    """Now if registration is open now, else a moment inside the edition's window."""
    now = timezone.now()
    opens, closes = conference.registration_opens, conference.registration_closes
    if opens and now < opens:
        return opens + dt.timedelta(hours=1)
    if closes and now >= closes:
        return closes - dt.timedelta(hours=1)
    return now


@contextmanager
def _services_log_quiet():
    """The services log every status change at INFO: 900 lines of noise in a demo."""
    logger = logging.getLogger(services.__name__)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _summary(conference: Conference) -> str:
    counts = Counter(Registration.objects.filter(conference=conference).values_list("status", flat=True))
    figures = ", ".join(f"{counts.get(status, 0)} {status}" for status in S.values if status != S.SUBMITTED)
    return f"{sum(counts.values())} registrations ({figures})."


def load(command) -> None:
    conference = Conference.objects.filter(slug=EDITION).first()
    if conference is None:
        return
    categories = _categories(conference)
    questions = _questions(conference, categories)
    command.stdout.write(f"{len(categories)} registration categories, {len(questions)} questions.")
    if Registration.objects.filter(conference=conference).exists():
        command.stdout.write(_summary(conference))
        return

    moment = _registration_moment(conference)
    refusal = services.category_refusal(categories["volunteer"], now=moment)
    if refusal:
        command.stdout.write(f"No demo registrations: {refusal}")
        return

    rng = random.Random(SEED)  # noqa: S311 - the same demo every time; nothing secret
    directory = Organization.objects.select_related("governorate").prefetch_related("tracks")
    orgs = {org.slug: org for org in directory}
    governorates = {gov.code: gov for gov in Governorate.objects.all()}
    tracks = list(Track.objects.all())
    core = _core_people(orgs)
    people = core + _generated_people(len(core), core, orgs, governorates, rng)
    deadline = conference.end_date + services.PASSPORT_MARGIN

    _accounts(people)
    renamed = []
    for person in people:
        data = _profile_data(person, rng, deadline)
        services.profile_save(user=person.user, data=data, proposal=person.proposal)
        if person.display_name:
            # profile_save names the account after the passport; the core demo's people
            # keep the names it gives them (in Arabic or Kurdish script), run after run.
            person.user.full_name = person.display_name
            renamed.append(person.user)
    core_services.accounts_rename(users=renamed)

    organizer = User.objects.filter(email="organizer@example.org").first()
    reviewer = User.objects.filter(email="reviewer@example.org").first() or organizer
    by_category: dict[str, list[tuple[Person, Registration]]] = defaultdict(list)
    rng.shuffle(people)  # registrations arrive in no particular order
    with _services_log_quiet():
        for slug in categories:
            members = [person for person in people if person.category == slug]
            for person, fate in zip(members, _fates(slug, len(members), rng), strict=True):
                person.fate = fate
                category = categories[slug]
                registration = services.register(
                    user=person.user, category=category, answers=_answers(person, questions, rng),
                    tracks=_tracks(person, tracks, rng), now=moment,
                    invited=category.invite_only, by=organizer if category.invite_only else None,
                    send_email=False,
                )
                by_category[slug].append((person, registration))

        for entries in by_category.values():
            decided = {}
            for person, registration in entries:
                if person.fate in ("approve", "approve-cancel"):
                    decided[person.index] = services.approve(
                        registration=registration, by=reviewer, send_email=False
                    )
            for person, registration in entries:
                if person.fate == "reject":
                    reason = rng.choice(REJECTIONS)[person.language]
                    services.reject(registration=registration, by=reviewer, reason=reason, send_email=False)
            for person, registration in entries:
                if person.fate in ("cancel", "pending-cancel", "approve-cancel"):
                    reason = rng.choice(WITHDRAWALS)[person.language]
                    current = decided.get(person.index, registration)
                    services.cancel(registration=current, by=person.user, reason=reason, send_email=False)

    command.stdout.write(_summary(conference))
