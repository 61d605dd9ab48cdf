"""The admin shows an edition's team but never changes it: roles go through the team
page's service, where the passport role needs a second person and is logged."""

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from conference.models import TeamMember, User


def test_the_admin_edition_page_cannot_add_or_change_team_roles(client, make_conference, make_user):
    edition = make_conference()
    root = User.objects.create_superuser("root@example.org", "a-long-password-42")
    TOTP.activate(root, generate_totp_secret())
    member = make_user("officer@example.org")
    client.force_login(root)
    url = f"/admin/conference/conference/{edition.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()
            if not isinstance(value, (list, dict))}
    data.update({
        "team-TOTAL_FORMS": "1", "team-INITIAL_FORMS": "0",
        "team-MIN_NUM_FORMS": "0", "team-MAX_NUM_FORMS": "1000",
        "team-0-user": str(member.pk), "team-0-role": TeamMember.Role.VISA_OFFICER,
        "team-0-conference": str(edition.pk),
    })
    client.post(url, data)
    assert not TeamMember.objects.filter(user=member).exists()
    formset = page.context["inline_admin_formsets"][0]
    assert not formset.has_add_permission
    assert not formset.has_change_permission
    assert not formset.has_delete_permission
