"""Forms of the review pages. They parse and show input; the rules live in
``sessions.review``, whose ValidationErrors come back here by field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from conference.i18n import TranslatedFormField
from conference.models import Track
from sessions.models import Proposal, ReviewCriterion
from sessions.review import MAX_COMMENT, MAX_WEIGHT, criterion_field

# Up to this highest score a criterion is a row of buttons (easy on a phone); above, a
# number input.
RADIO_UP_TO = 10


class CriterionForm(forms.Form):
    name = TranslatedFormField(label=_("Name"), max_length=120)
    help_text = TranslatedFormField(
        label=_("What reviewers weigh"), multiline=True, required=False, max_length=2000
    )
    max_score = forms.IntegerField(
        label=_("Highest score"), min_value=1, max_value=100, initial=5,
        help_text=_("Reviewers give from 0 to this number."),
        widget=forms.NumberInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    weight = forms.IntegerField(
        label=_("Weight"), min_value=1, max_value=MAX_WEIGHT, initial=1,
        help_text=_("A criterion of weight 2 counts twice as much as one of weight 1 in the score."),
        widget=forms.NumberInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    order = forms.IntegerField(
        label=_("Order"), min_value=0, max_value=999, initial=0, required=False,
        widget=forms.NumberInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )

    @classmethod
    def for_criterion(cls, data, criterion: ReviewCriterion | None):
        initial = None
        if criterion is not None:
            initial = {
                "name": criterion.name,
                "help_text": criterion.help_text,
                "max_score": criterion.max_score,
                "weight": criterion.weight,
                "order": criterion.order,
            }
        return cls(data, initial=initial)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "help_text": data.get("help_text") or {},
            "max_score": data["max_score"],
            "weight": data["weight"],
            "order": data.get("order") or 0,
        }


class ReviewForm(forms.Form):
    """One input per criterion of the edition, then the comment."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=MAX_COMMENT,
        help_text=_("Organizers and the other reviewers read it; the proposers do not."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, data=None, *, criteria: list[ReviewCriterion], review=None):
        initial = {}
        if review is not None:
            initial["comment"] = review.comment
            for score in review.scores.all():
                initial[criterion_field(score.criterion_id)] = score.value
        super().__init__(data, initial=initial)
        self.criteria = criteria
        fields = {}
        for criterion in criteria:
            label = str(criterion.name)
            top = criterion.max_score
            if top <= RADIO_UP_TO:
                field = forms.TypedChoiceField(
                    label=label,
                    choices=[(n, str(n)) for n in range(top + 1)],
                    coerce=int,
                    widget=forms.RadioSelect(attrs={"class": "score-choice"}),
                )
            else:
                field = forms.IntegerField(
                    label=label, min_value=0, max_value=top,
                    widget=forms.NumberInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
                )
            field.help_text = criterion.help_text
            field.error_messages["required"] = _("Give a score for “%(name)s”.") % {"name": label}
            field.criterion = criterion
            fields[criterion_field(criterion)] = field
        # Criteria first, in their order; the comment last.
        self.fields = {**fields, "comment": self.fields["comment"]}

    def criterion_fields(self):
        return [self[criterion_field(c)] for c in self.criteria]

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[criterion_field(c)] for c in self.criteria}

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(None if field not in self.fields else field, messages)


class QueueFilterForm(forms.Form):
    STATUS = [("", _("All")), ("todo", _("Not reviewed yet")), ("done", _("Reviewed by me"))]

    track = forms.ModelChoiceField(
        label=_("Track"),
        queryset=Track.objects.order_by("order"),
        required=False,
        empty_label=_("All tracks"),
    )
    status = forms.ChoiceField(label=_("My review"), choices=STATUS, required=False)


class ProposalFilterForm(forms.Form):
    SORTS = [
        ("-score", _("Highest score first")),
        ("score", _("Lowest score first")),
        ("-reviews", _("Most reviews first")),
        ("created", _("Oldest first")),
    ]

    track = forms.ModelChoiceField(
        label=_("Track"),
        queryset=Track.objects.order_by("order"),
        required=False,
        empty_label=_("All tracks"),
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("Any state")), *Proposal.State.choices], required=False
    )
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)


class DecisionForm(forms.Form):
    ACTIONS = [("accept", _("Accept")), ("reject", _("Reject"))]

    action = forms.ChoiceField(choices=ACTIONS)
    note = forms.CharField(
        label=_("Note for the speakers (optional; sent in the e-mail)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    selected = forms.ModelMultipleChoiceField(
        queryset=Proposal.objects.none(),
        to_field_name="code",
        error_messages={"required": _("Tick at least one proposal.")},
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = Proposal.objects.filter(conference=conference).select_related(
            "conference"
        )
