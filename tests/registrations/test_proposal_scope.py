"""Organisation proposals: an edition's staff see and decide only those of people
registered in their edition; the directory as a whole belongs to the network, moderated
by directory moderators (a Django permission) and superusers."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission

from conference.models import Organization, TeamMember
from conference.permissions import moderates_directory
from registrations import selectors
from registrations.models import OrganizationProposal, Registration

pytestmark = pytest.mark.django_db

NETWORK_URL = "/en/staff/organisation-proposals/"


def propose(make_delegate, name, *editions_and_categories, language="en"):
    from registrations import services

    person = make_delegate(f"{name.split()[0].lower()}@example.org", language=language)
    person.full_name = f"Proposer of {name}"
    person.save(update_fields=["full_name"])
    profile = person.delegate_profile
    services.profile_save(
        user=person,
        data={"passport_name": profile.passport_name, "country": "IQ", "organization": None},
        proposal={"name": name, "kind": "ngo", "country": "IQ"},
    )
    for category in editions_and_categories:
        Registration.objects.create(conference=category.conference, category=category, user=person,
                                    status=Registration.Status.PENDING)
    return OrganizationProposal.objects.get(name=name)


@pytest.fixture
def two_editions(make_conference, make_category, make_delegate):
    baghdad = make_conference("baghdad-2027")
    erbil = make_conference("erbil-2028")
    ours = propose(make_delegate, "Basra Water Defenders", make_category(baghdad))
    theirs = propose(make_delegate, "Zakho Youth Circle", make_category(erbil))
    nobody = propose(make_delegate, "Unregistered Friends")
    return baghdad, erbil, ours, theirs, nobody


def moderator(make_user, *, via_group=False):
    person = make_user("moderator@example.org", language="en")
    permission = Permission.objects.get(codename="moderate_directory",
                                        content_type__app_label="conference")
    if via_group:
        group = Group.objects.create(name="Directory moderators")
        group.permissions.add(permission)
        person.groups.add(group)
    else:
        person.user_permissions.add(permission)
    TOTP.activate(person, generate_totp_secret())
    return type(person).objects.get(pk=person.pk)  # no cached permissions


def test_an_edition_lists_only_proposals_of_its_own_delegates(client, two_editions, make_staff):
    baghdad, _erbil, ours, theirs, nobody = two_editions
    client.force_login(make_staff(baghdad, TeamMember.Role.ORGANIZER))
    page = client.get(f"/en/{baghdad.slug}/staff/organisation-proposals/").content.decode()
    assert "Basra Water Defenders" in page and "Proposer of Basra Water Defenders" in page
    for other in (theirs, nobody):
        assert other.name not in page
        assert f"Proposer of {other.name}" not in page
    assert list(selectors.proposals_pending(conference=baghdad)) == [ours]


def test_an_organizer_cannot_decide_another_editions_proposal(client, two_editions, make_staff):
    baghdad, _erbil, ours, theirs, nobody = two_editions
    client.force_login(make_staff(baghdad, TeamMember.Role.ORGANIZER))
    url = f"/en/{baghdad.slug}/staff/organisation-proposals/"
    existing = Organization.objects.create(slug="existing", name="Existing", kind="ngo", country="IQ")
    for other in (theirs, nobody):
        assert client.post(url, {"proposal": other.pk}).status_code == 404
        assert client.post(url, {"proposal": other.pk, "merge_into": "existing"}).status_code == 404
        other.refresh_from_db()
        assert other.status == OrganizationProposal.Status.PENDING
    assert not Organization.objects.exclude(pk=existing.pk).exists()
    # Non-numeric ids are a 404 too, not a server error.
    assert client.post(url, {"proposal": "abc"}).status_code == 404
    # Their own edition's proposal still goes through.
    assert client.post(url, {"proposal": ours.pk}).status_code == 302
    ours.refresh_from_db()
    assert ours.status == OrganizationProposal.Status.APPROVED


@pytest.mark.parametrize("via_group", [False, True])
def test_a_directory_moderator_sees_and_decides_every_proposal(client, two_editions, make_user,
                                                               via_group):
    _baghdad, _erbil, ours, theirs, nobody = two_editions
    person = moderator(make_user, via_group=via_group)
    assert moderates_directory(person)
    client.force_login(person)
    page = client.get(NETWORK_URL).content.decode()
    for proposal in (ours, theirs, nobody):
        assert proposal.name in page
    assert client.post(NETWORK_URL, {"proposal": theirs.pk}).status_code == 302
    existing = Organization.objects.create(slug="existing", name="Existing", kind="ngo", country="IQ")
    response = client.post(NETWORK_URL, {"proposal": nobody.pk, "merge_into": existing.slug})
    assert response.status_code == 302
    theirs.refresh_from_db()
    nobody.refresh_from_db()
    assert theirs.status == OrganizationProposal.Status.APPROVED
    assert (nobody.status, nobody.organization) == (OrganizationProposal.Status.MERGED, existing)
    assert client.post(NETWORK_URL, {"proposal": "abc"}).status_code == 404


def test_who_reaches_the_network_page(client, two_editions, make_user, make_staff):
    baghdad, *_rest = two_editions
    response = client.get(NETWORK_URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_user())
    assert client.get(NETWORK_URL).status_code == 403
    # An organizer runs an edition, not the network's directory.
    organizer = make_staff(baghdad, TeamMember.Role.ORGANIZER)
    client.force_login(organizer)
    assert client.get(NETWORK_URL).status_code == 403
    assert client.post(NETWORK_URL, {"proposal": OrganizationProposal.objects.first().pk}).status_code == 403
    assert not moderates_directory(organizer)
    root = make_user("root@example.org", is_superuser=True, is_staff=True)
    TOTP.activate(root, generate_totp_secret())
    client.force_login(root)
    assert client.get(NETWORK_URL).status_code == 200


def test_moderators_set_up_two_factor_first(client, two_editions, make_user):
    person = make_user("moderator@example.org")
    person.user_permissions.add(Permission.objects.get(codename="moderate_directory"))
    client.force_login(person)
    response = client.get(NETWORK_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/2fa/totp/activate/")
    inactive = make_user(is_active=False)
    inactive.user_permissions.add(Permission.objects.get(codename="moderate_directory"))
    assert not moderates_directory(inactive)
