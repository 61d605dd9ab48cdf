"""Encryption at rest for personal data (passport numbers, birth dates).

Values are Fernet tokens under ``settings.FIELD_ENCRYPTION_KEYS``: the first key
encrypts, every key decrypts, so a key is rotated by putting a new one first,
re-encrypting every row (``rotate``), then dropping the old one. Ciphertext is random,
so these columns cannot be searched or made unique: keep a keyed hash beside a column
when a lookup is needed (the registrations issue adds it with its own key).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver

# Marks a stored token, so a plaintext value that slipped in is noticed, not "decrypted".
PREFIX = "fernet:"


class FieldCipher:
    def __init__(self, keys: tuple[str, ...]):
        if not keys:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
        self.primary = Fernet(keys[0])
        self.all = MultiFernet([Fernet(key) for key in keys])

    def encrypt(self, text: str) -> str:
        return PREFIX + self.all.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, stored: str) -> str:
        if not stored.startswith(PREFIX):
            raise ValueError("stored value is not an encrypted token")
        try:
            return self.all.decrypt(stored[len(PREFIX):].encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise ImproperlyConfigured(
                "An encrypted value cannot be read with FIELD_ENCRYPTION_KEYS: the key that "
                "wrote it has been removed. Put it back, then re-encrypt."
            ) from None

    def is_current(self, stored: str) -> bool:
        """True when the first (current) key wrote this value."""
        try:
            self.primary.decrypt(stored[len(PREFIX):].encode("ascii"))
        except InvalidToken:
            return False
        return True

    def rotate(self, stored: str) -> str:
        """The same plaintext, encrypted under the current key."""
        token = self.all.rotate(stored[len(PREFIX):].encode("ascii"))
        return PREFIX + token.decode("ascii")


@lru_cache(maxsize=4)
def _cipher_for(keys: tuple[str, ...]) -> FieldCipher:
    return FieldCipher(keys)


def cipher() -> FieldCipher:
    return _cipher_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    if setting == "FIELD_ENCRYPTION_KEYS":
        _cipher_for.cache_clear()


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token. Only ``isnull`` may be looked up: any
    other lookup would compare ciphertext and silently find nothing."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self.from_plaintext(cipher().decrypt(value))

    def from_plaintext(self, text: str):
        return text

    def to_plaintext(self, value) -> str:
        return str(value)

    def get_prep_value(self, value):
        value = super(models.TextField, self).get_prep_value(value)
        if value is None or value == "":
            return value
        return cipher().encrypt(self.to_plaintext(value))

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(f"{self.name} is encrypted: only __isnull lookups work on it.")
        return super().get_lookup(lookup_name)


class EncryptedDateField(EncryptedTextField):
    """A date stored encrypted (ISO text inside the token)."""

    def from_plaintext(self, text: str) -> dt.date:
        return dt.date.fromisoformat(text)

    def to_plaintext(self, value) -> str:
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        if not isinstance(value, dt.date):
            raise TypeError(f"{self.name} expects a date")
        return value.isoformat()

    def to_python(self, value):
        if value is None or value == "" or isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(value)

    def formfield(self, **kwargs):
        from django import forms

        return super(models.TextField, self).formfield(
            **{"form_class": forms.DateField, **kwargs}
        )
