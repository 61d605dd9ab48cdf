"""Every free text has a length limit, stated in the message that refuses it: in each
form of the registrations, conference and programme apps, and in the model where a
service writes without a form."""

from __future__ import annotations

import inspect

import pytest
from django import forms
from django.core.exceptions import ValidationError

import conference.forms
import registrations.forms
import sessions.forms_cfp
import sessions.forms_review
import sessions.views_editor
import sessions.views_move
from conference.i18n import TranslatedFormField

LONG = "ق" * 1_000_000
MODULES = [conference.forms, registrations.forms, sessions.forms_cfp, sessions.forms_review,
           sessions.views_editor, sessions.views_move]


def form_classes():
    for module in MODULES:
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                yield value


def text_limits(field: forms.Field) -> list[int | None]:
    if isinstance(field, TranslatedFormField):
        return [sub.max_length for sub in field.fields]
    if isinstance(field, forms.CharField):
        return [field.max_length]
    return []


def test_every_text_field_of_every_form_has_a_limit():
    unlimited = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in form_classes()
        for name, field in form.base_fields.items()
        if None in text_limits(field)
    ]
    assert len(list(form_classes())) >= 15
    assert not unlimited, unlimited


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        (lambda: sessions.forms_cfp.ProposalForm.base_fields["abstract"], "10000"),
        (lambda: sessions.forms_cfp.ProposalForm.base_fields["notes"], "5000"),
        (lambda: sessions.forms_cfp.CallForm.base_fields["intro"], "10000"),
        (lambda: registrations.forms.CategoryForm.base_fields["description"], "10000"),
        (lambda: registrations.forms.QuestionForm.base_fields["label"], "300"),
        (lambda: registrations.forms.ProfileForm.base_fields["accessibility_needs"], "5000"),
    ],
)
def test_a_million_characters_are_refused_with_the_limit_in_the_message(field, limit):
    field = field()
    value = [LONG] * len(field.fields) if isinstance(field, TranslatedFormField) else LONG
    with pytest.raises(ValidationError) as refused:
        field.clean(value)
    assert limit in " ".join(refused.value.messages)


@pytest.mark.django_db
def test_services_writing_without_a_form_meet_the_model_limit(edition):
    from sessions.models import Proposal

    abstract = Proposal._meta.get_field("abstract")
    with pytest.raises(ValidationError) as refused:
        abstract.clean({"en": LONG}, None)
    assert "10000" in " ".join(refused.value.messages)
    notes = Proposal._meta.get_field("notes")
    with pytest.raises(ValidationError):
        notes.clean(LONG, None)
