import datetime as dt

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured

from conference.crypto import EncryptedDateField, EncryptedTextField, FieldCipher, cipher

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_round_trip_and_random_ciphertext():
    box = FieldCipher((OLD,))
    first, second = box.encrypt("A12345678"), box.encrypt("A12345678")
    assert first != second  # random: equal passports do not look equal in the table
    assert "A12345678" not in first
    assert box.decrypt(first) == box.decrypt(second) == "A12345678"
    assert box.decrypt(box.encrypt("هێمن")) == "هێمن"


def test_rotation_moves_values_to_the_new_key_and_the_old_can_go():
    stored = FieldCipher((OLD,)).encrypt("P99887766")
    both = FieldCipher((NEW, OLD))
    assert both.decrypt(stored) == "P99887766"
    assert not both.is_current(stored)
    rotated = both.rotate(stored)
    assert both.is_current(rotated)
    assert FieldCipher((NEW,)).decrypt(rotated) == "P99887766"
    with pytest.raises(ImproperlyConfigured, match="key that wrote it has been removed"):
        FieldCipher((NEW,)).decrypt(stored)


def test_plaintext_in_the_column_is_refused():
    with pytest.raises(ValueError, match="not an encrypted token"):
        FieldCipher((OLD,)).decrypt("A12345678")


def test_fields_encrypt_on_the_way_in_and_decrypt_on_the_way_out(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    text = EncryptedTextField(name="passport_number")
    stored = text.get_prep_value("A12345678")
    assert stored.startswith("fernet:") and "A12345678" not in stored
    assert text.from_db_value(stored, None, None) == "A12345678"
    assert text.get_prep_value(None) is None and text.get_prep_value("") == ""
    born = EncryptedDateField(name="date_of_birth")
    stored = born.get_prep_value(dt.date(1990, 5, 17))
    assert "1990" not in stored
    assert born.from_db_value(stored, None, None) == dt.date(1990, 5, 17)
    assert cipher().decrypt(stored) == "1990-05-17"


def test_only_isnull_lookups_are_allowed():
    field = EncryptedTextField(name="passport_number")
    assert field.get_lookup("isnull") is not None
    with pytest.raises(FieldError, match="only __isnull"):
        field.get_lookup("exact")
