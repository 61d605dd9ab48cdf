"""The passport number's normal form and keyed hash. (Names are folded for search by
conference.text.fold_for_search.)"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings


def normalise_passport_number(number: str) -> str:
    return re.sub(r"[\s-]", "", number).upper()


def passport_hash(number: str) -> str:
    """A keyed hash (HMAC-SHA256 under FIELD_HASH_KEY) of the normalised number: equal
    numbers give equal hashes for uniqueness, yet the column alone reveals nothing."""
    key = settings.FIELD_HASH_KEY.encode("utf-8")
    return hmac.new(key, normalise_passport_number(number).encode("utf-8"), hashlib.sha256).hexdigest()
