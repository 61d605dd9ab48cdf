"""Forms of the call for sessions and of the programme's settings. They read what was
typed into Python values; the rules (who may, when, what fits) live in sessions.cfp,
whose refusals the views put back next to the right input."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from conference import limits
from conference.forms import OrganizationChoiceField
from conference.i18n import TranslatedFormField
from conference.models import Conference, Organization, Track
from sessions import cfp, venue
from sessions.models import ConferenceDay, Proposal, Speaker


class _Numeric(forms.NumberInput):
    def __init__(self, attrs=None):
        # Numbers read left to right even inside Arabic and Sorani pages.
        super().__init__(attrs={"dir": "ltr", "inputmode": "numeric", **(attrs or {})})


class ProposalForm(forms.Form):
    title = TranslatedFormField(label=_("Title"), max_length=200)
    abstract = TranslatedFormField(
        label=_("Abstract"),
        multiline=True,
        help_text=_("What the session is about and who it is for. Write in one or more languages."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=Proposal.Format.choices, widget=forms.RadioSelect)
    track = forms.ModelChoiceField(
        label=_("Track"), queryset=Track.objects.order_by("order"), empty_label=_("Choose a track")
    )
    languages = forms.MultipleChoiceField(
        label=_("Language(s) spoken"),
        choices=[(code, settings.LANGUAGE_SELF_NAMES.get(code, name)) for code, name in settings.LANGUAGES],
        widget=forms.CheckboxSelectMultiple,
    )
    interpretation_wanted = forms.BooleanField(label=_("Interpretation wanted"), required=False)
    duration = forms.IntegerField(
        label=_("Duration (minutes)"),
        widget=_Numeric(attrs={"min": 15, "step": 15}),
        help_text=_("From 15 minutes up to the length of a conference day."),
    )
    expected_audience = forms.IntegerField(
        label=_("Expected audience"),
        min_value=0,
        max_value=limits.MAX_COUNT,
        initial=0,
        widget=_Numeric(attrs={"min": 0}),
        help_text=_("How many people you expect."),
    )
    signup_capacity = forms.IntegerField(
        label=_("Places for sign-up"),
        required=False,
        min_value=1,
        max_value=limits.MAX_COUNT,
        widget=_Numeric(attrs={"min": 1}),
        help_text=_("Workshops and trainings only: leave empty if anyone may simply come."),
    )
    organization = OrganizationChoiceField(
        label=_("Proposed for the organisation"),
        queryset=Organization.objects.order_by("name"),
        empty_label=_("Choose your organisation"),
    )
    notes = forms.CharField(
        label=_("Notes for the organizers"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Equipment, accessibility, anything the organizers should know."),
    )

    def data_for_service(self) -> dict:
        return dict(self.cleaned_data)

    @classmethod
    def initial_from(cls, proposal: Proposal) -> dict:
        return {
            "title": proposal.title,
            "abstract": proposal.abstract,
            "format": proposal.format,
            "track": proposal.track_id,
            "languages": proposal.languages,
            "interpretation_wanted": proposal.interpretation_wanted,
            "duration": proposal.duration,
            "expected_audience": proposal.expected_audience,
            "signup_capacity": proposal.signup_capacity,
            "organization": proposal.organization_id,
            "notes": proposal.notes,
        }


class SpeakerForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Speaker.Role.choices, initial=Speaker.Role.SPEAKER)
    availability = forms.CharField(
        label=_("Available"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr", "class": "availability-input"}),
    )

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.fields["availability"].help_text = availability_help(conference)

    def clean_availability(self):
        windows, problems = cfp.parse_windows(
            self.cleaned_data.get("availability", ""), ZoneInfo(self.conference.time_zone)
        )
        if problems:
            raise ValidationError(problems)
        return windows

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and cleaned.get("availability") and "email" not in self.errors:
            self.add_error("email", _("Give this speaker's e-mail address, or empty the row."))
        return cleaned

    def is_blank(self) -> bool:
        return not (self.cleaned_data or {}).get("email")


def _days(conference: Conference) -> list:
    # Every speaker row asks; one query per page.
    if "_cfp_days" not in conference.__dict__:
        conference.__dict__["_cfp_days"] = list(ConferenceDay.objects.filter(conference=conference))
    return conference.__dict__["_cfp_days"]


def _sample(conference: Conference) -> str:
    days = _days(conference)
    return f"{days[0].date.isoformat()} {days[0].starts_at:%H:%M}-12:00" if days else "2027-04-13 09:00-12:00"


def availability_help(conference: Conference) -> str:
    return _("One window per line, e.g. %(sample)s. Empty: available at all conference hours.") % {
        "sample": cfp.ltr(_sample(conference))
    }


def availability_intro(conference: Conference) -> str:
    """Said once above the speakers: how to write availability, and the hours it is
    measured against."""
    hours = ", ".join(
        cfp.ltr(f"{day.date.isoformat()} {day.starts_at:%H:%M}-{day.ends_at:%H:%M}")
        for day in _days(conference)
    )
    return _(
        "Availability: write each window in which the person can speak as date, start and end, "
        "e.g. %(sample)s, one per line. Leave it empty if the person is available at all "
        "conference hours: %(hours)s."
    ) % {"sample": cfp.ltr(_sample(conference)), "hours": hours or "—"}


class BaseSpeakerFormSet(forms.BaseFormSet):
    def availability_intro(self) -> str:
        return availability_intro(self.form_kwargs["conference"])

    def clean(self):
        if any(self.errors):
            return
        if not self.speakers():
            raise ValidationError(_("Name at least one speaker (you may name yourself)."))

    def filled_forms(self) -> list[SpeakerForm]:
        return [form for form in self.forms if form.cleaned_data and not form.is_blank()]

    def speakers(self) -> list[dict]:
        return [
            {
                "email": form.cleaned_data["email"],
                "role": form.cleaned_data["role"],
                "availability": form.cleaned_data["availability"],
            }
            for form in self.filled_forms()
        ]


# absolute_max: a posted TOTAL_FORMS of a billion builds no more than twelve forms.
SpeakerFormSet = forms.formset_factory(
    SpeakerForm, formset=BaseSpeakerFormSet, extra=3, max_num=12, absolute_max=12, validate_max=True
)


def speaker_initial(proposal: Proposal) -> list[dict]:
    tz = ZoneInfo(proposal.conference.time_zone)
    rows = []
    for speaker in proposal.speakers.all():
        lines = [
            f"{w.starts_at.astimezone(tz):%Y-%m-%d %H:%M}-{w.ends_at.astimezone(tz):%H:%M}"
            for w in speaker.availability.all()
        ]
        rows.append({"email": speaker.email, "role": speaker.role, "availability": "\n".join(lines)})
    return rows


def apply_errors(error: ValidationError, form: forms.Form, formset: BaseSpeakerFormSet | None = None) -> None:
    """Put a service refusal next to the inputs it is about: ``speakers.<n>.<field>``
    is the n-th filled speaker row; unknown keys go to the top of the form."""
    filled = formset.filled_forms() if formset is not None else []
    for key, messages in error.message_dict.items():
        if key.startswith("speakers") and formset is not None:
            parts = key.split(".")
            if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(filled):
                row = filled[int(parts[1])]
                for message in messages:
                    row.add_error(parts[2] if parts[2] in row.fields else None, message)
            else:
                formset._non_form_errors = formset.error_class(
                    [*formset.non_form_errors(), *messages], error_class="nonform"
                )
            continue
        field = key if key in form.fields else None
        if key == NON_FIELD_ERRORS:
            field = None
        for message in messages:
            form.add_error(field, message)


# --- Organizers ------------------------------------------------------------------------
class _DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"dir": "ltr", **(attrs or {})}, format="%Y-%m-%dT%H:%M")


class CallForm(forms.Form):
    opens_at = forms.DateTimeField(
        label=_("Opens"), required=False, widget=_DateTimeLocal(), help_text=_("Conference time.")
    )
    closes_at = forms.DateTimeField(
        label=_("Closes (the deadline)"),
        required=False,
        widget=_DateTimeLocal(),
        help_text=_("Conference time."),
    )
    intro = TranslatedFormField(label=_("Introduction shown to proposers"), multiline=True, required=False)
    anonymous_review = forms.BooleanField(
        label=_("Anonymous review"),
        required=False,
        help_text=_("Reviewers see no speaker, proposer or organisation; organizers still do."),
    )


class RoomForm(forms.Form):
    name = TranslatedFormField(label=_("Name"), max_length=120)
    slug = forms.SlugField(
        label=_("Short name for addresses"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
        help_text=_("Latin letters, digits and hyphens. Made from the English name if left empty."),
    )
    capacity = forms.IntegerField(
        label=_("Seats"), min_value=1, max_value=limits.MAX_COUNT, widget=_Numeric(attrs={"min": 1})
    )
    interpretation_booth = forms.BooleanField(label=_("Interpretation booth"), required=False)
    step_free = forms.BooleanField(label=_("Step-free access"), required=False, initial=True)
    equipment = TranslatedFormField(label=_("Equipment"), required=False, max_length=300)
    zone = TranslatedFormField(
        label=_("Zone"),
        max_length=40,
        required=False,
        help_text=_("Building or wing. Rooms in different zones are far apart: speakers need a break."),
    )
    order = forms.IntegerField(
        label=_("Order in lists"), min_value=0, max_value=limits.MAX_ORDER, initial=0, required=False,
        widget=_Numeric(),
    )

    @classmethod
    def initial_from(cls, room) -> dict:
        return {name: getattr(room, name) for name in venue.ROOM_FIELDS}


class _Time(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs={"dir": "ltr", **(attrs or {})}, format="%H:%M")


class _Date(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"dir": "ltr", **(attrs or {})}, format="%Y-%m-%d")


class DayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=_Date())
    starts_at = forms.TimeField(label=_("First session from"), initial=dt.time(9, 0), widget=_Time())
    ends_at = forms.TimeField(label=_("Last session until"), initial=dt.time(18, 0), widget=_Time())
