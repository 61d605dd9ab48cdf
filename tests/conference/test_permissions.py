import pytest

from conference.models import OutgoingEmail, TeamMember
from conference.permissions import ROLE_PERMS, Perm, has_perm, perms_of

pytestmark = pytest.mark.django_db

Role = TeamMember.Role


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        (Role.ORGANIZER, {Perm.MANAGE_TEAM, Perm.MANAGE_REGISTRATIONS, Perm.RUN_VENUE},
         {Perm.VIEW_PASSPORTS, Perm.REVIEW_DONATIONS}),
        (Role.REVIEWER, {Perm.REVIEW_PROPOSALS}, {Perm.MANAGE_TEAM, Perm.VIEW_PASSPORTS}),
        (Role.VENUE_STAFF, {Perm.RUN_VENUE}, {Perm.MANAGE_REGISTRATIONS, Perm.VIEW_PASSPORTS}),
        (Role.VISA_OFFICER, {Perm.VIEW_PASSPORTS, Perm.DECIDE_VISA_LETTERS}, {Perm.MANAGE_TEAM}),
        (Role.FINANCE_ETHICS, {Perm.REVIEW_DONATIONS}, {Perm.VIEW_PASSPORTS, Perm.RUN_VENUE}),
    ],
)
def test_each_role_gets_its_permissions_in_its_edition_only(make_conference, make_user, role,
                                                            allowed, refused):
    edition = make_conference("baghdad-2027")
    other = make_conference("erbil-2028")
    user = make_user()
    TeamMember.objects.create(conference=edition, user=user, role=role)
    for perm in allowed | {Perm.VIEW_STAFF_AREA}:
        assert has_perm(user, perm, edition)
        assert not has_perm(user, perm, other)
    for perm in refused:
        assert not has_perm(user, perm, edition)


def test_every_role_is_mapped():
    assert set(ROLE_PERMS) == set(Role.values)


def test_superuser_and_anonymous(make_conference, make_user):
    from django.contrib.auth.models import AnonymousUser

    edition = make_conference()
    root = make_user(is_superuser=True, is_staff=True)
    assert has_perm(root, Perm.MANAGE_TEAM, edition)
    # Passports stay with visa officers, even for superusers.
    assert not has_perm(root, Perm.VIEW_PASSPORTS, edition)
    assert perms_of(AnonymousUser(), edition) == frozenset()
    inactive = make_user(is_active=False)
    TeamMember.objects.create(conference=edition, user=inactive, role=Role.ORGANIZER)
    assert perms_of(inactive, edition) == frozenset()


def test_staff_page_access(client, make_conference, make_user, make_staff):
    edition = make_conference()
    url = f"/en/{edition.slug}/staff/"
    response = client.get(url)
    assert response.status_code == 302 and "/en/accounts/login/" in response["Location"]
    client.force_login(make_user())
    response = client.get(url)
    assert response.status_code == 403
    assert "Access refused" in response.content.decode()
    reviewer = make_staff(edition, Role.REVIEWER)
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert "Give someone a role" not in response.content.decode()
    # A reviewer cannot change the team, even by posting directly.
    response = client.post(url, {"email": reviewer.email, "role": "organizer"})
    assert response.status_code == 403
    assert TeamMember.objects.filter(role=Role.ORGANIZER).count() == 0


@pytest.mark.parametrize(
    ("language", "subject_part"),
    [("ar", "مُقيِّم"), ("ckb", "هەڵسەنگێنەر"), ("en", "Reviewer")],
)
def test_organizer_gives_a_role_and_the_person_is_told_in_their_language(
    client, make_conference, make_user, make_staff, mailoutbox, django_capture_on_commit_callbacks,
    language, subject_part
):
    edition = make_conference()
    organizer = make_staff(edition, Role.ORGANIZER)
    newcomer = make_user("karwan@example.org", language=language, name="Karwan Aziz")
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/{edition.slug}/staff/", {"email": "KARWAN@example.org",
                                                              "role": "reviewer"})
    assert response.status_code == 302
    assert TeamMember.objects.filter(user=newcomer, role=Role.REVIEWER).exists()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["karwan@example.org"]
    assert subject_part in message.subject
    assert message.extra_headers["Content-Language"] == language
    html = message.alternatives[0][0]
    direction = "ltr" if language == "en" else "rtl"
    assert f'lang="{language}" dir="{direction}"' in html
    assert f"/{language}/{edition.slug}/staff/" in message.body
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_bad_input_is_reported_next_to_the_field_and_kept(client, make_conference, make_staff,
                                                          mailoutbox):
    edition = make_conference()
    organizer = make_staff(edition, Role.ORGANIZER, language="en")
    client.force_login(organizer)
    url = f"/en/{edition.slug}/staff/"
    body = client.post(url, {"email": "nobody@example.org", "role": "reviewer"}).content.decode()
    assert "No account uses this address" in body
    assert 'value="nobody@example.org"' in body
    # Giving a role twice is refused with a message, not a server error.
    client.post(url, {"email": organizer.email, "role": "organizer"})
    body = client.post(url, {"email": organizer.email, "role": "organizer"}).content.decode()
    assert "already has this role" in body
    assert TeamMember.objects.filter(user=organizer).count() == 1
    assert mailoutbox == []


def test_staff_without_two_factor_are_sent_to_set_it_up_first(client, make_conference, make_user):
    edition = make_conference()
    organizer = make_user()
    TeamMember.objects.create(conference=edition, user=organizer, role=Role.ORGANIZER)
    client.force_login(organizer)
    response = client.get(f"/en/{edition.slug}/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/2fa/totp/activate/")
    assert f"next=%2Fen%2F{edition.slug}%2Fstaff%2F" in response["Location"]


def test_after_setting_up_two_factor_staff_find_their_way_back(client, make_conference, make_user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    edition = make_conference()
    organizer = make_user()
    TeamMember.objects.create(conference=edition, user=organizer, role=Role.ORGANIZER)
    client.force_login(organizer)
    client.get(f"/en/{edition.slug}/staff/")
    TOTP.activate(organizer, generate_totp_secret())
    page = client.get("/en/accounts/2fa/").content.decode()
    assert f'href="/en/{edition.slug}/staff/"' in page
    assert client.get(f"/en/{edition.slug}/staff/").status_code == 200
    assert f'href="/en/{edition.slug}/staff/"' not in client.get("/en/accounts/2fa/").content.decode()
