import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from conference.models import Conference, Organization, Track

pytestmark = pytest.mark.django_db


def html_attrs(content: bytes) -> tuple[str, str]:
    match = re.search(rb'<html lang="([^"]+)" dir="([^"]+)"', content)
    assert match, "no <html lang dir>"
    return match.group(1).decode(), match.group(2).decode()


@pytest.mark.parametrize(
    ("language", "direction", "title"),
    [("ar", "rtl", "مؤتمر التضامن ٢٠٢٧"), ("ckb", "rtl", "کۆنفرانسی هاوپشتی ٢٠٢٧"),
     ("en", "ltr", "Solidarity Conference 2027")],
)
def test_home_shows_current_edition_in_each_language(client, make_conference, language,
                                                     direction, title):
    make_conference(current=True)
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert html_attrs(response.content) == (language, direction)
    body = response.content.decode()
    assert title in body
    # The nine tracks, named in the page's language.
    with translation.override(language):
        for track in Track.objects.all():
            assert escape(str(track.name)) in body


def test_root_redirects_to_a_language(client, reference_data):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/ar/"
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.8"})
    assert response["Location"] == "/en/"


def test_switcher_points_at_the_same_page_in_each_language(client, make_conference):
    make_conference(current=True)
    response = client.get("/ckb/organizations/?kind=union")
    body = response.content.decode()
    for code in ("ar", "ckb", "en"):
        assert f'value="{code}"' in body
        assert f'data-href="/{code}/organizations/?kind=union"' in body
    assert 'name="next" value="/ckb/organizations/?kind=union"' in body
    # set_language remembers the choice and returns to the same page in the new language.
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/ckb/organizations/?kind=union"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/organizations/?kind=union"
    assert client.cookies["django_language"].value == "en"


@pytest.mark.parametrize(
    ("path", "headers", "phrase"),
    [
        ("/fr/", {}, "لم نتمكن من العثور على هذه الصفحة"),
        ("/fr/", {"accept-language": "en"}, "We could not find this page"),
        ("/en/erbil-1999/", {}, "We could not find this page"),
        ("/ckb/erbil-1999/", {}, "ئەم پەڕەیەمان نەدۆزییەوە"),
        ("/ar/no-such-page/", {}, "لم نتمكن من العثور على هذه الصفحة"),
    ],
)
def test_unknown_language_or_edition_is_a_404_in_the_visitors_language(
    client, make_conference, path, headers, phrase
):
    make_conference(current=True)
    response = client.get(path, headers=headers)
    assert response.status_code == 404
    assert phrase in response.content.decode()


def test_draft_edition_is_hidden_from_the_public(client, make_conference, make_user):
    from conference.models import TeamMember

    draft = make_conference("mosul-2028", status=Conference.Status.DRAFT)
    assert client.get("/en/mosul-2028/").status_code == 404
    reviewer = make_user()
    TeamMember.objects.create(conference=draft, user=reviewer, role="reviewer")
    client.force_login(reviewer)
    assert client.get("/en/mosul-2028/").status_code == 200


def test_home_without_any_edition(client, reference_data):
    response = client.get("/en/")
    assert response.status_code == 200
    assert "No conference edition has been announced yet" in response.content.decode()


def make_orgs(count: int, tracks) -> None:
    from conference.models import Governorate

    governorates = list(Governorate.objects.all())
    for index in range(count):
        org = Organization.objects.create(
            slug=f"org-{index}", name=f"Organisation {index}", name_ar=f"منظمة {index}",
            kind="ngo", country="IQ", governorate=governorates[index % len(governorates)],
            verified=True, description={"ar": "وصف", "en": "About"},
        )
        org.tracks.set(tracks[: 1 + index % 3])


@pytest.mark.parametrize("count", [10, 60])
def test_directory_query_count_is_flat(client, reference_data, django_assert_num_queries, count):
    make_orgs(count, list(Track.objects.all()))
    # session-less anonymous page: count, page of orgs, their tracks, two filter lists.
    with django_assert_num_queries(5):
        response = client.get("/en/organizations/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == min(count, 24)


def test_directory_search_folds_arabic_spellings(client, reference_data):
    Organization.objects.create(slug="a", name="Basra Youth Initiative",
                                name_ar="مبادرة شباب البصرة", kind="volunteer", country="IQ",
                                verified=True)
    Organization.objects.create(slug="b", name="Unverified", name_ar="مبادرة أخرى",
                                kind="volunteer", country="IQ", verified=False)
    for query in ("مبادره", "البصره", "شباب", "basra youth"):
        body = client.get("/ar/organizations/", {"q": query}).content.decode()
        assert "مبادرة شباب البصرة" in body, query
        assert "Unverified" not in body


def test_directory_filters(client, reference_data):
    women = Track.objects.get(slug="women")
    org = Organization.objects.create(slug="w", name="Women Forum", kind="movement",
                                      country="IQ", verified=True)
    org.tracks.add(women)
    Organization.objects.create(slug="u", name="Oil Workers Union", kind="union",
                                country="IQ", verified=True)
    body = client.get("/en/organizations/", {"track": "women"}).content.decode()
    assert "Women Forum" in body and "Oil Workers Union" not in body
    body = client.get("/en/organizations/", {"kind": "union"}).content.decode()
    assert "Oil Workers Union" in body and "Women Forum" not in body
    # An unknown filter value is reported next to the field, not a crash.
    response = client.get("/en/organizations/", {"track": "nonsense"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_directory_search_folds_kurdish_letters(client, reference_data):
    """Typed on an Arabic keyboard, Kurdish names are found (issue 10)."""
    for slug, name_ar in (("salh", "کۆمەڵەی ساڵح"), ("rebin", "ڕێکخراوی ڕێبین"), ("goran", "گۆران بۆ ژیان")):
        Organization.objects.create(slug=slug, name=slug.title(), name_ar=name_ar, kind="ngo",
                                    country="IQ", verified=True)
    for query, expected in (("سالح", "کۆمەڵەی ساڵح"), ("ريبين", "ڕێکخراوی ڕێبین"),
                            ("گوران", "گۆران بۆ ژیان"), ("كوران", "گۆران بۆ ژیان")):
        body = client.get("/ar/organizations/", {"q": query}).content.decode()
        assert expected in body, query
        assert body.count('class="card"') == 1, query


@pytest.mark.parametrize("count", [10, 60])
def test_directory_search_query_count_is_flat(client, reference_data, django_assert_num_queries, count):
    make_orgs(count, list(Track.objects.all()))
    with django_assert_num_queries(5):
        response = client.get("/en/organizations/", {"q": "منظمه"})
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == min(count, 24)
