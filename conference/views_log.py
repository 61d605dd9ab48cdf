"""The organizers' page of an edition's staff action log (conference.audit). Read-only:
the log has no form that writes, here or in the admin."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from conference import audit
from conference.models import Conference
from conference.permissions import Perm, edition_perm_required

PER_PAGE = 50


class ActionLogFilterForm(forms.Form):
    group = forms.ChoiceField(label=_("Kind of action"), required=False)
    actor = forms.TypedChoiceField(label=_("Done by"), required=False, coerce=int, empty_value=None)
    object_type = forms.TypedChoiceField(
        label=_("Kind of object"), required=False, coerce=int, empty_value=None
    )
    since = forms.DateField(
        label=_("On or after"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("On or before"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All actions")), *audit.VERB_GROUPS.items()]
        self.fields["actor"].choices = [
            ("", _("Anyone")), *audit.action_log_actors(conference=conference)
        ]
        self.fields["object_type"].choices = [
            ("", _("Any object")),
            *(
                (kind.pk, audit.object_type_label(kind))
                for kind in audit.action_log_object_types(conference=conference)
            ),
        ]


@require_GET
@edition_perm_required(Perm.VIEW_ACTION_LOG)
def staff_action_log(request, conference: Conference):
    form = ActionLogFilterForm(request.GET or None, conference=conference)
    filters = form.cleaned_data if form.is_valid() else {}
    zone = conference.tzinfo
    # Days are the edition's days: "until the 14th" includes all of the 14th there.
    since = filters.get("since")
    until = filters.get("until")
    rows = audit.action_log_entries(
        conference=conference,
        group=filters.get("group") or "",
        actor_id=filters.get("actor"),
        content_type_id=filters.get("object_type"),
        since=dt.datetime.combine(since, dt.time(), zone) if since else None,
        until=dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), zone) if until else None,
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "conference/action_log.html",
        {
            "conference": conference,
            "form": form,
            "page": page,
            "rows": audit.action_log_describe(page.object_list),
            "query": query.urlencode(),
            "time_zone": zone,
        },
    )
