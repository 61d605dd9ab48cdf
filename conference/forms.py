from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from conference.countries import country_choices
from conference.models import Governorate, Organization, TeamMember, Track, User
from conference.text import sort_key
from conference.widgets import SearchableSelect


class _ByDisplayName(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # .iterator() as Django's own: the field's queryset keeps no stale cache.
        choices = [self.choice(obj) for obj in self.queryset.iterator()]
        yield from sorted(choices, key=lambda choice: sort_key(str(choice[1])))


class OrganizationChoiceField(forms.ModelChoiceField):
    """Organisations under the name in the reader's script (Arabic script in ar and
    ckb, where there is one), in the reader's order, with a filter box."""

    iterator = _ByDisplayName
    widget = SearchableSelect

    def label_from_instance(self, obj):
        return obj.display_name()


def use_country_list(field: forms.ChoiceField, *, blank_label: str = "—") -> None:
    """Give a country field the reader's list: Iraq first, then names in the reader's
    language and order, with a filter box."""
    field.widget = SearchableSelect(attrs=field.widget.attrs)
    field.choices = [("", blank_label), *country_choices()]


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Organization.Kind.choices],
    )
    governorate = forms.ModelChoiceField(
        label=_("Governorate"),
        required=False,
        queryset=Governorate.objects.all(),
        empty_label=_("All governorates"),
        to_field_name="code",
    )
    track = forms.ModelChoiceField(
        label=_("Track"),
        required=False,
        queryset=Track.objects.all(),
        empty_label=_("All tracks"),
        to_field_name="slug",
    )


class TeamMemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        help_text=_("They need an account on Tadamun already."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=TeamMember.Role.choices,
        help_text=_("Visa officers read passports: another organizer must approve that role."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No account uses this address. Ask the person to sign up first."),
                code="no_account",
            )
        self.cleaned_data["user"] = user
        return email
