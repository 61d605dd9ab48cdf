import pytest
from django.utils import translation

from conference.i18n import TranslatedFormField, TranslatedText, as_translated, fallback_chain
from conference.models import Conference, Track


def test_fallback_chain_covers_every_language_once():
    assert fallback_chain("ckb") == ["ckb", "ar", "en"]
    assert fallback_chain("en") == ["en", "ar", "ckb"]
    assert fallback_chain("en-gb") == ["en", "ar", "ckb"]


@pytest.mark.parametrize(
    ("text", "language", "shown", "direction"),
    [
        ({"ar": "سلام", "ckb": "ئاشتی", "en": "peace"}, "ckb", "ئاشتی", "rtl"),
        ({"ar": "سلام", "en": "peace"}, "ckb", "سلام", "rtl"),
        ({"ar": "سلام", "en": "peace"}, "en", "peace", "ltr"),
        ({"ckb": "ئاشتی"}, "en", "ئاشتی", "rtl"),
        ({"en": "peace", "ar": ""}, "ar", "peace", "ltr"),
    ],
)
def test_text_shows_reader_language_with_fallback(text, language, shown, direction):
    value = TranslatedText(text)
    with translation.override(language):
        assert str(value) == shown
        assert value.dir == direction


def test_empty_text_is_falsy_and_prints_nothing():
    value = as_translated({"ar": "", "en": ""})
    assert not value
    assert str(value) == ""


def test_escaped_in_templates():
    from django.template import Context, Template

    value = TranslatedText({"en": "<b>x</b>"})
    with translation.override("en"):
        rendered = Template("{{ v }}").render(Context({"v": value}))
    assert rendered == "&lt;b&gt;x&lt;/b&gt;"


def test_form_field_requires_one_language_and_strips():
    field = TranslatedFormField(required=True)
    assert field.clean(["", "  ئاشتی ", ""]) == {"ckb": "ئاشتی"}
    # In English explicitly: the active language is whatever the previous request left.
    with translation.override("en"), pytest.raises(Exception, match="at least one language"):
        field.clean(["", " ", ""])


@pytest.mark.django_db
def test_round_trip_through_the_database_and_lookups(reference_data):
    track = Track.objects.get(slug="women")
    assert isinstance(track.name, TranslatedText)
    assert track.name["ar"] == "حقوق ومشاركة النساء"
    # Filtering on one language works on both SQLite and PostgreSQL.
    assert Track.objects.filter(name__en__icontains="women").count() == 1
    assert Track.objects.filter(name__ckb__icontains="ژنان").get() == track


@pytest.mark.django_db
@translation.override("en")
def test_model_validation_refuses_unknown_language(make_conference):
    conference = make_conference()
    conference.title = {"fr": "Conférence"}
    with pytest.raises(Exception, match="Unknown language code: fr"):
        conference.full_clean()
    conference.title = {"ar": "", "en": ""}
    with pytest.raises(Exception, match="title"):
        conference.full_clean()
    assert Conference.objects.get().title["en"] == "Solidarity Conference 2027"
