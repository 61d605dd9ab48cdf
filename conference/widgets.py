"""Widgets of the core's forms."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from conference.text import DROPPED, LETTER_FOLDS


class SearchableSelect(forms.Select):
    """A plain <select> (it works without script, and as the phone's native picker),
    which static/js/searchable-select.js gives a filter box: typing "عراق" or "ira"
    narrows 250 countries to one. The script folds what is typed with the table of
    conference.text, passed here, so it matches the way the server's search does."""

    template_name = "conference/widgets/searchable_select.html"
    fold_map = json.dumps({**LETTER_FOLDS, **dict.fromkeys(DROPPED, "")}, ensure_ascii=False)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-searchable": "",
                "data-fold-map": self.fold_map,
                "data-filter-label": _("Type to filter the list"),
                "data-count-label": _("Matches: {n}"),
            }
        )
        return context
