"""The admin never changes what a service owns behind its back: a category's capacity
saved in /admin/ goes through the capacity service, so the waiting list moves."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from conference.models import User
from registrations import services
from registrations.models import Category, Registration


class _ChangeForm(HTMLParser):
    """The values an admin change page offers, as its browser would post them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value") or ""
        if not name or name == "csrfmiddlewaretoken":
            return
        kind = (attrs.get("type") or "text").lower()
        if tag == "select":
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""
        elif tag == "input" and kind not in ("submit", "file", "button"):
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data[name] = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@pytest.fixture
def superuser_client(db, client):
    root = User.objects.create_superuser("root@example.org", "a-long-password-42")
    TOTP.activate(root, generate_totp_secret())
    client.force_login(root)
    return client


@pytest.fixture
def full_category(edition, make_category, make_delegate, mailoutbox):
    category = make_category(edition, capacity=1, requires_approval=False)
    seated = services.register(user=make_delegate(), category=category)
    waiting = services.register(user=make_delegate(), category=category)
    assert (seated.status, waiting.status) == ("confirmed", "waitlisted")
    mailoutbox.clear()  # their registration e-mails are not what these tests are about
    return category, waiting


def post_change(client, category: Category, **changes):
    url = f"/admin/registrations/category/{category.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    parser = _ChangeForm()
    parser.feed(page.content.decode())
    return client.post(url, {**parser.data, **changes})


def test_raising_a_capacity_in_the_admin_promotes_the_waiting_list(
    superuser_client, full_category, mailoutbox, django_capture_on_commit_callbacks
):
    category, waiting = full_category
    with django_capture_on_commit_callbacks(execute=True):
        response = post_change(superuser_client, category, capacity="2")
    assert response.status_code == 302
    category.refresh_from_db()
    waiting.refresh_from_db()
    assert category.capacity == 2
    assert waiting.status == Registration.Status.CONFIRMED
    # The promoted delegate hears of it, as from the organizers' page.
    assert [message.to for message in mailoutbox] == [[waiting.user.email]]


def test_the_admin_cannot_lower_a_capacity_below_the_seats_taken(superuser_client, full_category):
    category, _waiting = full_category
    response = post_change(superuser_client, category, capacity="0")
    assert response.status_code == 200
    assert "capacity" in response.context["adminform"].form.errors
    category.refresh_from_db()
    assert category.capacity == 1


def test_other_fields_still_save_in_the_admin_without_moving_anyone(superuser_client, full_category):
    category, waiting = full_category
    response = post_change(superuser_client, category, order="7")
    assert response.status_code == 302
    category.refresh_from_db()
    waiting.refresh_from_db()
    assert (category.order, category.capacity, waiting.status) == (7, 1, Registration.Status.WAITLISTED)
