"""Text helpers for people's names: search folding and the passport keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from django.conf import settings

# Letters that people type interchangeably in Arabic and Kurdish names, mapped to one
# form after the marks (hamza above/below, madda, harakat) have been stripped.
_LETTER_MAP = str.maketrans(
    {
        "\u0671": "\u0627",  # alef wasla -> alef
        "\u0629": "\u0647",  # ta marbuta -> ha
        "\u06d5": "\u0647",  # Kurdish ae -> ha
        "\u06be": "\u0647",  # heh doachashmee -> ha
        "\u06c1": "\u0647",  # heh goal -> ha
        "\u0649": "\u064a",  # alef maqsura -> ya
        "\u06cc": "\u064a",  # Persian/Kurdish yeh -> ya
        "\u06a9": "\u0643",  # keheh -> kaf
        "\u0640": None,  # tatweel
    }
)
_SPACES = re.compile(r"\s+")


def fold_for_search(text: str) -> str:
    """One spelling for searching: case and accents dropped in Latin script; hamza
    forms of alef, ta marbuta/ha, alef maqsura/ya, tatweel and diacritics in Arabic."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = stripped.translate(_LETTER_MAP).casefold()
    return _SPACES.sub(" ", folded).strip()


def normalise_passport_number(number: str) -> str:
    return re.sub(r"[\s-]", "", number).upper()


def passport_hash(number: str) -> str:
    """A keyed hash (HMAC-SHA256 under FIELD_HASH_KEY) of the normalised number: equal
    numbers give equal hashes for uniqueness, yet the column alone reveals nothing."""
    key = settings.FIELD_HASH_KEY.encode("utf-8")
    return hmac.new(key, normalise_passport_number(number).encode("utf-8"), hashlib.sha256).hexdigest()
