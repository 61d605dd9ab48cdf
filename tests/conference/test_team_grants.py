"""The passport role (visa officer) needs a second person: another organizer of the
edition approves a pending grant, or a superuser grants it. Every step is logged and the
edition's other organizers and visa officers are told, each in their language."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from conference import services
from conference.exceptions import DomainError
from conference.models import RoleGrantEvent, TeamMember
from conference.permissions import Perm, has_perm, role_needs_second_person

pytestmark = pytest.mark.django_db

Role = TeamMember.Role
Action = RoleGrantEvent.Action
HOSTILE = '<a href="https://evil.example/">Click</a></title>'


def team_url(edition):
    return f"/en/{edition.slug}/staff/"


def holds(user, edition, role=Role.VISA_OFFICER):
    return TeamMember.objects.filter(conference=edition, user=user, role=role).exists()


def mail_to(mailoutbox, address):
    return [message for message in mailoutbox if message.to == [address]]


def test_only_the_passport_role_needs_a_second_person():
    assert role_needs_second_person(Role.VISA_OFFICER)
    for role in (Role.ORGANIZER, Role.REVIEWER, Role.VENUE_STAFF, Role.FINANCE_ETHICS):
        assert not role_needs_second_person(role)


def test_an_organizer_cannot_make_themself_visa_officer(client, make_conference, make_staff,
                                                        mailoutbox):
    edition = make_conference()
    organizer = make_staff(edition, Role.ORGANIZER, language="en")
    client.force_login(organizer)
    response = client.post(team_url(edition), {"email": organizer.email, "role": "visa_officer"})
    assert response.status_code == 302
    assert not holds(organizer, edition)
    organizer = type(organizer).objects.get(pk=organizer.pk)  # fresh role cache
    assert not has_perm(organizer, Perm.VIEW_PASSPORTS, edition)
    request = RoleGrantEvent.objects.get()
    assert (request.action, request.user, request.by, request.role) == (
        Action.REQUESTED, organizer, organizer, Role.VISA_OFFICER
    )
    assert request.at is not None
    page = client.get(team_url(edition)).content.decode()
    assert "Waiting for a second person" in page
    # The requester may withdraw, never approve their own request.
    assert f'name="withdraw" value="{request.pk}"' in page
    assert f'name="approve" value="{request.pk}"' not in page
    client.post(team_url(edition), {"approve": request.pk})
    assert not holds(organizer, edition)
    with pytest.raises(DomainError) as error:
        services.team_role_approve(request=request, by=organizer)
    assert error.value.code == "own_request"
    assert not holds(organizer, edition)
    # Nobody else to ask: nothing to e-mail.
    assert mailoutbox == []


def test_the_service_refuses_a_direct_passport_role_without_a_superuser(make_conference,
                                                                        make_staff):
    edition = make_conference()
    organizer = make_staff(edition, Role.ORGANIZER)
    with pytest.raises(DomainError) as error:
        services.team_member_add(conference=edition, user=organizer, role=Role.VISA_OFFICER,
                                 added_by=organizer)
    assert error.value.code == "needs_approval"
    assert not holds(organizer, edition)


def test_another_organizer_approves_and_the_team_is_told_in_their_languages(
    client, make_conference, make_staff, mailoutbox, django_capture_on_commit_callbacks
):
    edition = make_conference()
    other_edition = make_conference("erbil-2028")
    asking = make_staff(edition, Role.ORGANIZER, "asking@example.org", language="en")
    approving = make_staff(edition, Role.ORGANIZER, "approving@example.org", language="ckb")
    make_staff(edition, Role.ORGANIZER, "third@example.org", language="ar")
    make_staff(edition, Role.VISA_OFFICER, "officer@example.org", language="ckb")
    reviewer = make_staff(edition, Role.REVIEWER, "reviewer@example.org", language="en")
    elsewhere = make_staff(other_edition, Role.ORGANIZER, "elsewhere@example.org")

    client.force_login(asking)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(team_url(edition), {"email": asking.email, "role": "visa_officer"})
    request = RoleGrantEvent.objects.get(action=Action.REQUESTED)
    # The organizers who can approve are asked, each in their language; no one else.
    assert sorted(message.to[0] for message in mailoutbox) == [
        "approving@example.org", "third@example.org"
    ]
    asked = mail_to(mailoutbox, "approving@example.org")[0]
    assert asked.extra_headers["Content-Language"] == "ckb"
    assert f"/ckb/{edition.slug}/staff/" in asked.body
    assert mail_to(mailoutbox, "third@example.org")[0].extra_headers["Content-Language"] == "ar"
    mailoutbox.clear()

    # An organizer of another edition cannot decide it, even by posting the id.
    client.force_login(elsewhere)
    response = client.post(f"/en/{other_edition.slug}/staff/", {"approve": request.pk})
    assert response.status_code == 404
    assert not holds(asking, edition)

    client.force_login(approving)
    page = client.get(team_url(edition)).content.decode()
    assert f'name="approve" value="{request.pk}"' in page
    assert f'name="refuse" value="{request.pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(team_url(edition), {"approve": request.pk})
    assert response.status_code == 302
    assert holds(asking, edition)
    decision = RoleGrantEvent.objects.get(action=Action.APPROVED)
    assert (decision.request, decision.by, decision.user) == (request, approving, asking)
    assert decision.at >= request.at

    told = sorted(message.to[0] for message in mailoutbox)
    # The new visa officer is told they hold it; the other organizers and visa officers
    # that someone now reads passports. The approver knows; reviewers and other
    # editions are not told.
    assert told == ["asking@example.org", "officer@example.org", "third@example.org"]
    to_officer = mail_to(mailoutbox, "officer@example.org")[0]
    assert to_officer.extra_headers["Content-Language"] == "ckb"
    assert "بەرپرسی ڤیزا" in to_officer.subject  # the role's name in Sorani
    to_third = mail_to(mailoutbox, "third@example.org")[0]
    assert to_third.extra_headers["Content-Language"] == "ar"
    assert "asking" in to_third.body and "approving" in to_third.body
    assert reviewer.email not in told


def test_the_person_given_the_role_cannot_approve_it_either(make_conference, make_staff,
                                                            mailoutbox):
    edition = make_conference()
    asking = make_staff(edition, Role.ORGANIZER)
    candidate = make_staff(edition, Role.ORGANIZER)
    third = make_staff(edition, Role.ORGANIZER)
    request = services.team_role_request(conference=edition, user=candidate,
                                         role=Role.VISA_OFFICER, requested_by=asking)
    with pytest.raises(DomainError) as error:
        services.team_role_approve(request=request, by=candidate)
    assert error.value.code == "own_grant"
    services.team_role_approve(request=request, by=third)
    assert holds(candidate, edition)
    # Decided once: a second answer is refused.
    with pytest.raises(DomainError) as error:
        services.team_role_refuse(request=request, by=third)
    assert error.value.code == "handled"


def test_refusal_and_withdrawal_are_logged_and_give_nothing(client, make_conference, make_staff,
                                                            make_user, mailoutbox):
    edition = make_conference()
    asking = make_staff(edition, Role.ORGANIZER, language="en")
    other = make_staff(edition, Role.ORGANIZER, language="en")
    candidate = make_user()
    first = services.team_role_request(conference=edition, user=candidate,
                                       role=Role.VISA_OFFICER, requested_by=asking)
    # Asking twice for the same person while a request waits is refused.
    with pytest.raises(DomainError):
        services.team_role_request(conference=edition, user=candidate,
                                   role=Role.VISA_OFFICER, requested_by=other)
    client.force_login(other)
    # Only the requester withdraws.
    client.post(team_url(edition), {"withdraw": first.pk})
    assert not RoleGrantEvent.objects.filter(request=first).exists()
    client.post(team_url(edition), {"refuse": first.pk})
    refusal = RoleGrantEvent.objects.get(request=first)
    assert (refusal.action, refusal.by) == (Action.REFUSED, other)

    second = services.team_role_request(conference=edition, user=candidate,
                                        role=Role.VISA_OFFICER, requested_by=asking)
    client.force_login(asking)
    client.post(team_url(edition), {"withdraw": second.pk})
    withdrawal = RoleGrantEvent.objects.get(request=second)
    assert (withdrawal.action, withdrawal.by) == (Action.WITHDRAWN, asking)
    assert not holds(candidate, edition)
    assert "Waiting for a second person" not in client.get(team_url(edition)).content.decode()


def test_a_superuser_grants_it_directly_and_the_team_is_told(client, make_conference, make_staff,
                                                             make_user, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    edition = make_conference()
    make_staff(edition, Role.ORGANIZER, "organizer@example.org", language="en")
    root = make_user("root@example.org", is_superuser=True, is_staff=True)
    TOTP.activate(root, generate_totp_secret())
    candidate = make_user("candidate@example.org", language="en")
    client.force_login(root)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(team_url(edition), {"email": candidate.email,
                                                   "role": "visa_officer"})
    assert response.status_code == 302
    assert holds(candidate, edition)
    grant = RoleGrantEvent.objects.get()
    assert (grant.action, grant.by, grant.user, grant.request) == (
        Action.GRANTED, root, candidate, None
    )
    assert sorted(message.to[0] for message in mailoutbox) == [
        "candidate@example.org", "organizer@example.org"
    ]
    # Taking the role away again is logged too.
    member = TeamMember.objects.get(user=candidate, role=Role.VISA_OFFICER)
    client.post(team_url(edition), {"remove": member.pk})
    assert not holds(candidate, edition)
    assert RoleGrantEvent.objects.filter(action=Action.REMOVED, user=candidate, by=root).exists()


def test_other_roles_are_given_at_once_without_a_grant(make_conference, make_staff, make_user,
                                                       mailoutbox):
    edition = make_conference()
    organizer = make_staff(edition, Role.ORGANIZER)
    person = make_user()
    services.team_member_add(conference=edition, user=person, role=Role.REVIEWER,
                             added_by=organizer)
    assert holds(person, edition, Role.REVIEWER)
    assert not RoleGrantEvent.objects.exists()


def test_the_log_is_append_only(make_conference, make_staff, make_user):
    edition = make_conference()
    asking = make_staff(edition, Role.ORGANIZER)
    request = services.team_role_request(conference=edition, user=make_user(),
                                         role=Role.VISA_OFFICER, requested_by=asking)
    request.role = Role.REVIEWER
    with pytest.raises(TypeError):
        request.save()
    with pytest.raises(TypeError):
        request.delete()
    with pytest.raises(TypeError):
        RoleGrantEvent.objects.filter(pk=request.pk).update(role=Role.REVIEWER)
    with pytest.raises(TypeError):
        RoleGrantEvent.objects.all().delete()
    assert RoleGrantEvent.objects.get().role == Role.VISA_OFFICER


def test_bad_ids_are_a_404_not_a_server_error(client, make_conference, make_staff):
    edition = make_conference()
    client.force_login(make_staff(edition, Role.ORGANIZER))
    for action in ("approve", "refuse", "withdraw", "remove"):
        assert client.post(team_url(edition), {action: "abc"}).status_code == 404
        assert client.post(team_url(edition), {action: "99999"}).status_code == 404


@pytest.mark.parametrize("name", ["team_role_requested", "team_role_granted"])
@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_grant_emails_escape_every_field(name, language):
    from conference.mail import render_email

    context = {
        "person_name": HOSTILE, "grantee_name": HOSTILE, "requester_name": HOSTILE,
        "approver_name": HOSTILE, "edition_title": HOSTILE, "role_label": HOSTILE,
        "staff_path": "/x/",
    }
    _subject, text, html = render_email(name, context, language)
    assert "<a href=\"https://evil" not in html and "</title></title>" not in html
    assert "&lt;a href=&quot;https://evil.example/&quot;&gt;" in html
    # Plain text keeps the characters as typed: nothing there is markup.
    assert HOSTILE in text


def test_deleting_an_account_keeps_the_entry_without_the_name(make_conference, make_staff,
                                                               make_user):
    edition = make_conference()
    asking = make_staff(edition, Role.ORGANIZER)
    candidate = make_user()
    services.team_role_request(conference=edition, user=candidate, role=Role.VISA_OFFICER,
                               requested_by=asking)
    candidate.delete()
    entry = RoleGrantEvent.objects.get()
    assert entry.user is None and entry.by == asking


def test_an_organizer_made_by_the_requester_cannot_approve(client, make_conference, make_staff,
                                                           make_user, mailoutbox):
    """The obvious way round the second person: a second account of one's own, made
    organizer by oneself. Its approval is refused; an organizer the requester did not
    add approves."""
    edition = make_conference()
    asking = make_staff(edition, Role.ORGANIZER, language="en")
    independent = make_staff(edition, Role.ORGANIZER, language="en")
    puppet = make_user(language="en")
    TOTP.activate(puppet, generate_totp_secret())
    services.team_member_add(conference=edition, user=puppet, role=Role.ORGANIZER,
                             added_by=asking)
    request = services.team_role_request(conference=edition, user=asking,
                                         role=Role.VISA_OFFICER, requested_by=asking)
    client.force_login(puppet)
    page = client.get(team_url(edition)).content.decode()
    assert f'name="approve" value="{request.pk}"' not in page
    assert f'name="refuse" value="{request.pk}"' in page
    client.post(team_url(edition), {"approve": request.pk})
    assert not holds(asking, edition)
    with pytest.raises(DomainError) as error:
        services.team_role_approve(request=request, by=puppet)
    assert error.value.code == "added_by_requester"
    services.team_role_approve(request=request, by=independent)
    assert holds(asking, edition)
