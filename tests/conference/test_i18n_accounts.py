"""The sign-up page's password errors in Arabic and Sorani: Django 5.2's validators
changed their messages ("%d" for "%(min_length)d"), which left them English in both
catalogues, and allauth's Arabic carries bidi embeddings (U+202A) that move the full
stop to the wrong end. The project's own catalogue (locale_vendor) overrides both."""

import re

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db

BIDI_CONTROLS = re.compile("[\u202a-\u202e]")
ERROR = re.compile(r'<p class="field__error"([^>]*)>(.*?)</p>', re.S)




@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def errors(client, language, password1, password2=None, email="probe@example.org"):
    response = client.post(f"/{language}/accounts/signup/", {
        "email": email, "password1": password1, "password2": password2 or password1,
    })
    assert response.status_code == 200
    return ERROR.findall(response.content.decode())


@pytest.mark.parametrize(("language", "expected"), [
    ("ar", "كلمة المرور هذه قصيرة جدًا. يجب أن تتكون من 10 أحرف على الأقل."),
    ("ckb", "ئەم وشە نهێنییە زۆر کورتە. دەبێت لانیکەم 10 پیت بێت."),
])
def test_a_short_password_is_refused_in_the_pages_language(client, language, expected):
    ((attributes, message),) = errors(client, language, "short")
    assert message == expected
    # Its own direction: the full stop stays at the end of the sentence in any language.
    assert 'dir="auto"' in attributes


@pytest.mark.parametrize(("language", "password", "expected"), [
    ("ar", "1234567890123", ["كلمة المرور هذه شائعة جدًا.", "كلمة المرور هذه تتكون من أرقام فقط."]),
    ("ckb", "1234567890123", ["ئەم وشە نهێنییە زۆر باوە.", "ئەم وشە نهێنییە تەنها لە ژمارە پێکهاتووە."]),
    ("ar", "probe@example.org", ["كلمة المرور قريبة جدًا من البريد الإلكتروني."]),
])
def test_the_other_validators_speak_the_pages_language(client, language, password, expected):
    assert [message for _attributes, message in errors(client, language, password)] == expected


def test_a_mismatch_has_no_stray_bidi_marks(client):
    ((_attributes, message),) = errors(client, "ar", "Basra-river-2027!", "Basra-river-2028!")
    assert message == "يجب أن تكتب كلمة المرور نفسها في المرتين."


@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_no_english_and_no_bidi_embeddings_in_the_password_help(client, language):
    content = client.get(f"/{language}/accounts/signup/").content.decode()
    (help_text,) = re.findall(r'<div class="field__help">(.*?)</div>', content, re.S)
    assert not re.search("[A-Za-z]{3,}", re.sub(r"<[^>]+>", "", help_text))
    assert not BIDI_CONTROLS.search(help_text)
    if language == "ckb":
        # One word for "password" on the page: the one allauth's Sorani uses.
        assert "تێپەڕەوشە" not in content
