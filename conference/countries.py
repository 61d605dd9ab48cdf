"""Country names in the reader's language, and country lists in the reader's order.

django-countries has no Sorani (a Sorani page fell back to its Arabic names) and leaves
some Arabic names in English. Arabic and Sorani names come from the Unicode CLDR data
that Babel ships (``Locale("ckb").territories``: all 249 codes, in Arabic script with
the Kurdish letters, checked when added).
``COUNTRIES_OVERRIDE`` in settings hands django-countries the lazy names below, so
every ``country.name`` on a page follows the reader's language.

Lists put Iraq first, then sort by the displayed name with ``conference.text.sort_key``
(django-countries' own sort drops every non-Latin letter, which left Arabic lists in
English order). Importable from settings: no models here.
"""

from __future__ import annotations

from functools import cache

from django.utils.functional import lazy
from django.utils.translation import get_language

FIRST = "IQ"


@cache
def _cldr_names(language: str) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(language).territories)


def _english_or_translated(code: str) -> str:
    from django_countries.data import COUNTRIES

    return str(COUNTRIES[code])


# CLDR's short names, where they differ from what the network writes: Palestine as the
# English list (and the partners) name it, not "the Palestinian territories".
_OWN_NAMES = {"ar": {"PS": "فلسطين"}, "ckb": {"PS": "فەلەستین"}}


def country_name(code: str) -> str:
    """The country's name in the active language: CLDR's for Arabic and Sorani (the
    django-countries Arabic list leaves some names in English and has no Sorani),
    django-countries' for English."""
    language = (get_language() or "").split("-")[0]
    if language in _OWN_NAMES:
        name = _OWN_NAMES[language].get(code) or _cldr_names(language).get(code)
        if name:
            return name
    return _english_or_translated(code)


def name_overrides() -> dict:
    """For settings.COUNTRIES_OVERRIDE: every code, named lazily in the reader's language."""
    from django_countries.data import COUNTRIES

    lazy_name = lazy(country_name, str)
    return {code: lazy_name(code) for code in COUNTRIES}


def country_choices() -> list[tuple[str, str]]:
    """(code, name) for every country: Iraq first, the rest in the reader's order."""
    return list(_choices_in((get_language() or "").split("-")[0]))


@cache
def _choices_in(language: str) -> tuple[tuple[str, str], ...]:
    # Cached per language: the names are fixed for the life of the process. The caller
    # has ``language`` active, so country_name answers in it.
    from django_countries import countries

    from conference.text import sort_key

    named = [(code, country_name(code)) for code in countries.countries]
    first = [pair for pair in named if pair[0] == FIRST]
    rest = sorted((pair for pair in named if pair[0] != FIRST), key=lambda pair: sort_key(pair[1]))
    return tuple(first + rest)
