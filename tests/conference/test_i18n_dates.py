"""Gregorian dates carry the month names Iraq uses for the Gregorian calendar: Arabic
كانون الثاني … كانون الأول (not Egypt's يناير …), Sorani کانوونی دووەم … کانوونی یەکەم
(not the Kurdish solar months that Django's own ckb catalogue gives, which name other
days: 13 April is not "13 گوڵان"). Every date of pages, e-mails, feeds and PDFs goes
through Django's date formatting, so every month-name form it reads is pinned here.

The names live in locale_vendor: they override Django's own catalogues.
"""

import datetime as dt

import pytest
from django.utils import formats, translation

ARABIC = [
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
]
SORANI = [
    "کانوونی دووەم", "شوبات", "ئازار", "نیسان", "ئایار", "حوزەیران",
    "تەممووز", "ئاب", "ئەیلوول", "تشرینی یەکەم", "تشرینی دووەم", "کانوونی یەکەم",
]
NAMES = {"ar": ARABIC, "ckb": SORANI}
# Django's format letters that print a month's name: F (MONTHS), M and b (MONTHS_3,
# the "jan" msgids), N (MONTHS_AP, context "abbrev. month"), E (MONTHS_ALT, context
# "alt. month"). Arabic and Sorani shorten no month name.
MONTH_LETTERS = ["F", "M", "b", "N", "E"]




@pytest.mark.parametrize("language", ["ar", "ckb"])
@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_has_its_iraqi_name(language, month):
    day = dt.date(2027, month, 13)
    expected = NAMES[language][month - 1]
    with translation.override(language):
        for letter in MONTH_LETTERS:
            assert formats.date_format(day, letter) == expected, letter
        assert formats.date_format(day, "j F Y") == f"13 {expected} 2027"
        # The language's own long format (Django's ar/ckb format modules) too.
        assert expected in formats.date_format(day)
        assert expected in formats.date_format(day, "YEAR_MONTH_FORMAT")


def test_english_months_stay_english():
    with translation.override("en"):
        assert formats.date_format(dt.date(2027, 4, 13), "j F Y") == "13 April 2027"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "april"), [("ar", "نيسان"), ("ckb", "نیسان")])
def test_the_edition_page_dates_in_iraqi_months(client, make_conference, language, april):
    conference = make_conference(
        registration_opens=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        registration_closes=dt.datetime(2027, 3, 15, 12, tzinfo=dt.UTC),
    )
    content = client.get(f"/{language}/{conference.slug}/").content.decode()
    march = NAMES[language][2]
    assert f"13 {april}" in content and f"15 {april} 2027" in content
    assert f"15 {march} 2027" in content  # the registration deadline
    for wrong in ("گوڵان", "نەورۆز", "إبريل", "أبريل", "مارس"):
        assert wrong not in content
