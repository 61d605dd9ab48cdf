"""Country and organisation lists in the reader's language and order, Iraq first, with a
filter box (issue 10: Iraq was 77th of 250 under Arabic labels; Sorani showed Arabic)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django_countries.fields import Country

from conference.countries import country_choices
from conference.models import Organization
from conference.text import sort_key
from registrations.forms import ProfileForm, RegistrationFilterForm


@pytest.mark.parametrize(("language", "iraq", "germany"), [
    ("ar", "العراق", "ألمانيا"), ("ckb", "عێراق", "ئەڵمانیا"), ("en", "Iraq", "Germany"),
])
def test_countries_in_the_readers_language_iraq_first_then_in_order(language, iraq, germany):
    with translation.override(language):
        choices = country_choices()
        assert choices[0] == ("IQ", iraq)
        names = [name for _code, name in choices[1:]]
        assert names == sorted(names, key=sort_key)
        assert dict(choices)["DE"] == germany
        # Every name in the script of the page: no English left in Arabic or Sorani lists.
        if language != "en":
            assert not [name for name in names if re.search("[A-Za-z]", name)]
        # The same name wherever a country is shown (django-countries reads the override).
        assert Country("DE").name == germany
    assert len(choices) == 249


def test_sorani_names_are_sorani_not_arabic():
    with translation.override("ckb"):
        names = dict(country_choices())
    assert names["TR"] == "تورکیا" and names["IR"] == "ئێران" and names["SY"] == "سووریا"
    with translation.override("ar"):
        assert dict(country_choices())["TR"] == "تركيا"


def test_arabic_list_starts_with_iraq_then_alef_names():
    with translation.override("ar"):
        names = [name for _code, name in country_choices()]
    assert names[0] == "العراق"
    # Hamza forms of alef sort together with alef, before beh.
    first_beh = next(i for i, name in enumerate(names) if name.startswith("ب"))
    assert all(name[0] in "اأإآ" for name in names[1:first_beh])


@pytest.mark.django_db
def test_profile_form_lists_countries_and_organisations_for_the_reader(reference_data):
    for slug, name, name_ar in (("a", "Amal Centre", "مركز أمل"), ("b", "Basra Forum", "منتدى البصرة"),
                                ("z", "Zakho Youth", "شباب زاخو")):
        Organization.objects.create(slug=slug, name=name, name_ar=name_ar, kind="ngo", country="IQ")
    with translation.override("ckb"):
        form = ProfileForm()
        html = str(form["country"])
        assert "data-searchable" in html and "searchable-select.js" in html
        options = re.findall(r'<option value="([A-Z]*)"', html)
        assert options[:2] == ["", "IQ"]
        assert ">عێراق<" in html and ">ئەڵمانیا<" in html
        assert re.findall(r'<option value="([A-Z]*)"', str(form["nationality"]))[:2] == ["", "IQ"]
        organisations = re.findall(r'<option value="\d+">([^<]+)<', str(form["organization"]))
        assert organisations == ["شباب زاخو", "مركز أمل", "منتدى البصرة"]
    with translation.override("en"):
        organisations = re.findall(r'<option value="\d+">([^<]+)<', str(ProfileForm()["organization"]))
        assert organisations == ["Amal Centre", "Basra Forum", "Zakho Youth"]


@pytest.mark.django_db
def test_staff_filters_list_countries_for_the_reader(edition):
    with translation.override("ar"):
        html = str(RegistrationFilterForm(conference=edition)["country"])
    assert re.findall(r'<option value="([A-Z]*)"', html)[:2] == ["", "IQ"]
    assert "data-searchable" in html
