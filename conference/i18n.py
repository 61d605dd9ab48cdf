"""Text that organizers write in several languages.

The choice, used everywhere: one JSON column per text holding ``{"ar": ..., "ckb": ...,
"en": ...}``. A new language needs no migration, a text can be filtered by one language
(``name__en__icontains``), and reading it yields a ``TranslatedText`` whose ``str()`` is
the reader's language, falling back in the order set in ``settings.LANGUAGE_FALLBACKS``.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import get_language_bidi, get_language_info
from django.utils.translation import gettext_lazy as _


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def fallback_chain(language: str | None) -> list[str]:
    language = (language or settings.LANGUAGE_CODE).split("-")[0]
    chain = [language, *settings.LANGUAGE_FALLBACKS.get(language, [])]
    chain += [code for code in language_codes() if code not in chain]
    return chain


class TranslatedText(dict):
    """A dict of language code -> text that prints in the active language."""

    def get_in(self, language: str | None = None) -> str:
        for code in fallback_chain(language or translation.get_language()):
            value = self.get(code)
            if value:
                return value
        return ""

    def language_shown(self, language: str | None = None) -> str | None:
        """Which language ``get_in`` picks, so templates can set ``lang``/``dir``
        on a fallback text (an Arabic title inside an English page)."""
        for code in fallback_chain(language or translation.get_language()):
            if self.get(code):
                return code
        return None

    @property
    def lang(self) -> str:
        return self.language_shown() or ""

    @property
    def dir(self) -> str:
        code = self.language_shown()
        if code is None:
            return "rtl" if get_language_bidi() else "ltr"
        return "rtl" if get_language_info(code)["bidi"] else "ltr"

    def __str__(self) -> str:
        return self.get_in()

    def __bool__(self) -> bool:
        return any(self.values())

    def __html__(self) -> str:
        # Lets templates print it directly; Django still escapes the text itself.
        from django.utils.html import conditional_escape

        return str(conditional_escape(self.get_in()))


def default_text_limit(multiline: bool) -> int:
    from conference import limits

    return limits.LONG_TEXT if multiline else limits.LINE


def as_translated(value) -> TranslatedText:
    if isinstance(value, TranslatedText):
        return value
    if value is None:
        return TranslatedText()
    if isinstance(value, str):
        return TranslatedText({settings.LANGUAGE_CODE: value})
    return TranslatedText({k: v for k, v in dict(value).items() if isinstance(v, str)})


class TranslatedWidget(forms.MultiWidget):
    template_name = "conference/widgets/translated.html"

    def __init__(self, *, multiline: bool = False, attrs=None):
        widgets = {}
        for code in language_codes():
            inner = forms.Textarea(attrs={"rows": 3}) if multiline else forms.TextInput()
            info = get_language_info(code)
            inner.attrs.update({"lang": code, "dir": "rtl" if info["bidi"] else "ltr"})
            widgets[code] = inner
        super().__init__(widgets, attrs)

    def decompress(self, value):
        value = as_translated(value)
        return [value.get(code, "") for code in language_codes()]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for code, sub in zip(language_codes(), context["widget"]["subwidgets"], strict=True):
            sub["language_code"] = code
            sub["language_name"] = settings.LANGUAGE_SELF_NAMES.get(code, code)
        return context


class TranslatedFormField(forms.MultiValueField):
    default_error_messages = {
        "required": _("Write this in at least one language."),
    }

    def __init__(self, *, multiline: bool = False, max_length: int | None = None, **kwargs):
        # Every text has a limit, stated in the error when passed (limits.py).
        max_length = max_length or default_text_limit(multiline)
        fields = [forms.CharField(required=False, max_length=max_length) for _ in language_codes()]
        kwargs.setdefault("widget", TranslatedWidget(multiline=multiline))
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        data = dict(zip(language_codes(), data_list or [], strict=False))
        return TranslatedText({code: text.strip() for code, text in data.items() if text and text.strip()})

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class TranslatedField(models.JSONField):
    """A model field for one text in several languages; see the module docstring."""

    description = _("Text in several languages")

    def __init__(self, *args, multiline: bool = False, max_length: int | None = None, **kwargs):
        self.multiline = multiline
        self.text_max_length = max_length
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.multiline:
            kwargs["multiline"] = True
        if self.text_max_length is not None:
            kwargs["max_length"] = self.text_max_length
        if kwargs.get("default") is dict:
            del kwargs["default"]
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        return as_translated(value) if isinstance(value, dict) else value

    def to_python(self, value):
        return as_translated(value) if isinstance(value, dict | str) else value

    def get_prep_value(self, value):
        if isinstance(value, TranslatedText):
            value = dict(value)
        return super().get_prep_value(value)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        value = as_translated(value)
        unknown = set(value) - set(language_codes())
        if unknown:
            raise ValidationError(
                _("Unknown language code: %(codes)s"), params={"codes": ", ".join(sorted(unknown))}
            )
        if not self.blank and not value:
            raise ValidationError(TranslatedFormField.default_error_messages["required"])
        limit = self.text_max_length or default_text_limit(self.multiline)
        for text in value.values():
            if len(text) > limit:
                raise ValidationError(
                    _("Keep each language under %(limit)d characters."), params={"limit": limit}
                )

    def formfield(self, **kwargs):
        defaults = {
            "form_class": TranslatedFormField,
            "multiline": self.multiline,
            "max_length": self.text_max_length,
        }
        defaults.update(kwargs)
        # JSONField.formfield would force its own form class; go one level up.
        return models.Field.formfield(self, **defaults)
