"""Forms of registration: the delegate profile, a registration's questions, and the
organizer's filters and decisions. Every message is translated and sits by its field."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conference.forms import OrganizationChoiceField, use_country_list
from conference.limits import BoundedModelMultipleChoiceField
from conference.models import Governorate, Organization, Track
from registrations.models import (
    INTERPRETATION_LANGUAGES,
    Category,
    DelegateProfile,
    Gender,
    Question,
    QuestionOption,
    Registration,
    SpokenLanguage,
)
from registrations.text import normalise_passport_number
from registrations.uploads import validate_upload

LATIN_NAME = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F .'\-]*$")
ARABIC_NAME = re.compile(r"^[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF .\-]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,20}$")
PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")



class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"dir": "ltr", **(attrs or {})}, format="%Y-%m-%d")


class PassportNumberField(forms.CharField):
    def __init__(self, *, max_length=None, **kwargs):
        super().__init__(max_length=max_length or 40, **kwargs)


class ProfileForm(forms.ModelForm):
    organization = OrganizationChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.all(),
        required=False,
        empty_label=_("Choose your organisation"),
    )
    organization_missing = forms.BooleanField(label=_("My organisation is not in the list"), required=False)
    proposed_name = forms.CharField(
        label=_("Name of your organisation (Latin script)"), required=False, max_length=200
    )
    proposed_name_ar = forms.CharField(label=_("Name in Arabic script"), required=False, max_length=200)
    proposed_kind = forms.ChoiceField(
        label=_("Kind of organisation"), required=False, choices=[("", "—"), *Organization.Kind.choices]
    )
    proposed_website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=200
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=SpokenLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    interpretation_needed = forms.MultipleChoiceField(
        label=_("I need interpretation into"),
        choices=INTERPRETATION_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    governorate = forms.ModelChoiceField(
        label=_("Governorate"),
        queryset=Governorate.objects.order_by("order"),
        required=False,
        empty_label="—",
        help_text=_("For delegates living in Iraq."),
    )

    class Meta:
        model = DelegateProfile
        fields = [name for name in DelegateProfile.EDITABLE_FIELDS if name != "organization"]
        widgets = {
            "passport_name": forms.TextInput(attrs={"dir": "ltr", "autocomplete": "name"}),
            "arabic_name": forms.TextInput(attrs={"dir": "rtl"}),
            "phone": forms.TextInput(attrs={"dir": "ltr", "type": "tel", "autocomplete": "tel"}),
            "passport_number": forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
            "passport_expiry": DateInput(),
            "date_of_birth": DateInput(),
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
            "gender": forms.RadioSelect,
        }
        # The encrypted column has no length of its own; a passport number is short.
        field_classes = {"passport_number": PassportNumberField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_country_list(self.fields["nationality"])
        use_country_list(self.fields["country"])
        self.fields["gender"].choices = [("", _("I prefer not to say")), *Gender.choices]
        self.fields["gender"].required = False
        if self.instance.pk:
            self.initial.setdefault("organization", self.instance.organization_id)
        self.order_fields(
            [
                "passport_name",
                "arabic_name",
                "badge_name",
                "organization",
                "organization_missing",
                "proposed_name",
                "proposed_name_ar",
                "proposed_kind",
                "proposed_website",
                "position",
            ]
        )

    def clean_passport_name(self):
        name = " ".join(self.cleaned_data["passport_name"].split())
        if not LATIN_NAME.match(name):
            raise forms.ValidationError(_("Write the name in Latin letters, exactly as in your passport."))
        return name

    def clean_arabic_name(self):
        name = " ".join(self.cleaned_data["arabic_name"].split())
        if name and not ARABIC_NAME.match(name):
            raise forms.ValidationError(_("Write this name in Arabic script."))
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            # The example in a left-to-right isolate: a right-to-left sentence would
            # otherwise lay its groups of digits out backwards ("4567 123 770 964+").
            raise forms.ValidationError(
                _("Write the number with its country code, e.g. %(example)s.")
                % {"example": "\u2066+964 770 123 4567\u2069"}
            )
        return phone

    def clean_passport_number(self):
        number = normalise_passport_number(self.cleaned_data["passport_number"])
        if number and not PASSPORT.match(number):
            raise forms.ValidationError(_("A passport number has 5 to 20 letters and digits."))
        return number

    def clean_passport_expiry(self):
        expiry = self.cleaned_data.get("passport_expiry")
        if expiry and expiry < timezone.localdate():
            raise forms.ValidationError(_("This passport has expired: give the details of a valid passport."))
        return expiry

    def clean(self):
        data = super().clean()
        country = str(data.get("country") or "")
        if country == "IQ" and not data.get("governorate"):
            self.add_error("governorate", _("Choose the governorate you live in."))
        if country and country != "IQ":
            data["governorate"] = None
        if data.get("organization_missing"):
            if not data.get("proposed_name"):
                self.add_error("proposed_name", _("Give the name of your organisation."))
            if not data.get("proposed_kind"):
                self.add_error("proposed_kind", _("Choose what kind of organisation it is."))
        if data.get("gender") != Gender.SELF_DESCRIBED:
            data["gender_self_description"] = ""
        if data.get("at_risk"):
            # People at risk are never listed publicly, whatever else is ticked.
            data["public_listing"] = False
        return data

    def proposal(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("organization_missing"):
            return None
        return {
            "name": data["proposed_name"],
            "name_ar": data.get("proposed_name_ar", ""),
            "kind": data["proposed_kind"],
            "country": data.get("country") or "IQ",
            "website": data.get("proposed_website", ""),
        }

    def profile_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self._meta.fields}
        data["organization"] = self.cleaned_data.get("organization")
        for name in ("passport_expiry", "date_of_birth"):
            data[name] = data[name] or None
        return data


def _validate_upload(upload) -> None:
    validate_upload(upload)


class RegistrationForm(forms.Form):
    """Tracks of interest plus the edition's questions for the chosen category, each a
    field named ``q_<id>`` in the questions' order."""

    tracks = BoundedModelMultipleChoiceField(
        label=_("Tracks that interest you"),
        queryset=Track.objects.order_by("order"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q_{question.pk}"] = self._field_for(question)

    @staticmethod
    def _field_for(question: Question) -> forms.Field:
        common = {
            "label": str(question.label),
            "required": question.required,
            "help_text": str(question.help_text) if question.help_text else "",
        }
        kind = question.kind
        options = [(option.key, str(option.label)) for option in question.options.all()]
        if kind == Question.Kind.SHORT_TEXT:
            return forms.CharField(max_length=300, **common)
        if kind == Question.Kind.LONG_TEXT:
            return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), **common)
        if kind == Question.Kind.SINGLE_CHOICE:
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        if kind == Question.Kind.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple, **common)
        if kind == Question.Kind.YES_NO:
            return forms.TypedChoiceField(
                choices=[("yes", _("Yes")), ("no", _("No"))],
                coerce=lambda value: value == "yes",
                empty_value=None,
                widget=forms.RadioSelect,
                **common,
            )
        if kind == Question.Kind.DATE:
            return forms.DateField(widget=DateInput(), **common)
        return forms.FileField(
            validators=[_validate_upload],
            widget=forms.ClearableFileInput(
                attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
            ),
            **common,
        )

    def answers(self) -> dict:
        return {question: self.cleaned_data.get(f"q_{question.pk}") for question in self.questions}


class RegistrationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search names or e-mail"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Registration.Status.choices]
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.none(),
        empty_label=_("All categories"),
        to_field_name="slug",
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    governorate = forms.ModelChoiceField(
        label=_("Governorate"),
        required=False,
        queryset=Governorate.objects.order_by("order"),
        empty_label=_("All governorates"),
        to_field_name="code",
    )
    organization = OrganizationChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organization.objects.all(),
        empty_label=_("All organisations"),
        to_field_name="slug",
    )
    track = forms.ModelChoiceField(
        label=_("Track of interest"),
        required=False,
        queryset=Track.objects.order_by("order"),
        empty_label=_("All tracks"),
        to_field_name="slug",
    )
    shared_passport = forms.BooleanField(label=_("Passport number also in another profile"), required=False)

    def __init__(self, *args, conference, passports: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(conference=conference)
        use_country_list(self.fields["country"], blank_label=_("All countries"))
        if not passports:
            # A passport fact: only for those who may see passports.
            del self.fields["shared_passport"]


class DecisionForm(forms.Form):
    ACTIONS = [("approve", _("Approve")), ("reject", _("Reject")), ("cancel", _("Cancel"))]

    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(
        label=_("Reason (the delegate reads it)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    selected = forms.ModelMultipleChoiceField(
        queryset=Registration.objects.none(),
        to_field_name="uuid",
        required=True,
        error_messages={"required": _("Tick at least one registration.")},
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = Registration.objects.filter(conference=conference).select_related(
            "category", "conference", "user"
        )

    def clean(self):
        data = super().clean()
        if data.get("action") in ("reject", "cancel") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason: the delegate reads it."))
        return data


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"dir": "ltr", **(attrs or {})}, format="%Y-%m-%dT%H:%M")


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "name",
            "description",
            "kind",
            "slug",
            "capacity",
            "requires_approval",
            "opens_at",
            "closes_at",
            "invite_only",
            "per_organization_limit",
            "offer_hours",
            "order",
        ]
        widgets = {
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "slug": forms.TextInput(attrs={"dir": "ltr"}),
        }
        # The model's own names are English field names ("Slug", "Order").
        labels = {"slug": _("Short name for addresses"), "order": _("Order in lists")}
        help_texts = {"opens_at": _("Conference time. Empty: the edition's registration dates apply.")}

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        clash = Category.objects.filter(conference=self.conference, slug=slug).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another category of this edition uses this short name."))
        return slug

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The closing time must come after the opening time."))
        return data


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["label", "help_text", "kind", "required", "categories", "order"]
        widgets = {"categories": forms.CheckboxSelectMultiple}
        labels = {"kind": _("Kind of answer"), "categories": _("Categories"), "order": _("Order in lists")}
        field_classes = {"categories": BoundedModelMultipleChoiceField}

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = Category.objects.filter(conference=conference)


class OptionForm(forms.ModelForm):
    class Meta:
        model = QuestionOption
        # Options keep the order they are written in (set when saved).
        fields = ["key", "label"]
        widgets = {"key": forms.TextInput(attrs={"dir": "ltr"})}
        labels = {"key": _("Short code")}


# absolute_max: a posted TOTAL_FORMS of a billion builds no more than this many forms.
OptionFormSet = forms.inlineformset_factory(
    Question, QuestionOption, form=OptionForm, extra=3, can_delete=True, min_num=0,
    max_num=100, absolute_max=100, validate_max=True,
)
