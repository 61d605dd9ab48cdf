from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from conference.models import Governorate, Organization, TeamMember, Track, User


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
