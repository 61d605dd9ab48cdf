"""Sane limits for what people type and post, in one place.

Numbers: a seat count or audience has a human size; past it the value is refused with
a message rather than reaching the database (SQLite stops at 2**63 with a 500,
PostgreSQL's integer at 2**31). Ids in posts and links are parsed here, so "abc" or
a 25-digit id is a 404 or a form error, never a 500. Texts: every free text has a
length limit that the form states when refusing.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models

# The largest id a request may name (PostgreSQL's bigint; SQLite's integer).
MAX_ID = 2**63 - 1
# Counts of people, seats and places.
MAX_COUNT = 100_000
# Positions in lists, weights and the like.
MAX_ORDER = 10_000

# Free texts, in characters. A title or a name is a line; a note a few paragraphs; an
# abstract a page or two.
LINE = 300
NOTE = 2_000
TEXT = 5_000
LONG_TEXT = 10_000

max_count = MaxValueValidator(MAX_COUNT)
max_order = MaxValueValidator(MAX_ORDER)


def max_length(limit: int) -> MaxLengthValidator:
    return MaxLengthValidator(limit)


def parse_id(value) -> int | None:
    """A positive id from a request, or None when it is no id at all."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def _is_integer_key(field: forms.ModelChoiceField) -> bool:
    model = field.queryset.model
    key = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
    return isinstance(key, models.IntegerField | models.AutoField)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field filters ``pk__in`` with whatever was posted; a number past the
    database's range then fails in the driver (a 500). Refuse it as an invalid choice."""

    def _check_values(self, value):
        if _is_integer_key(self):
            for item in value or ():
                if parse_id(item) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                    )
        return super()._check_values(value)
