"""One DomainError, shown one way: next to its field in a form, above the form when the
field is not the form's, as JSON with its status and code, or as a page with its status."""

import json

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from conference.errors import add_form_error, error_response
from conference.exceptions import DomainError


class NameForm(forms.Form):
    name = forms.CharField()


def _request(accept="text/html"):
    request = RequestFactory().post("/en/x/", HTTP_ACCEPT=accept)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_an_error_with_a_field_goes_next_to_that_field():
    form = NameForm({"name": "Zainab"})
    assert form.is_valid()
    add_form_error(form, DomainError("This name is taken.", code="taken", field="name"))
    assert form.errors == {"name": ["This name is taken."]}


def test_an_error_without_a_field_or_with_a_field_the_form_lacks_goes_above_the_form():
    form = NameForm({"name": "Zainab"})
    form.is_valid()
    add_form_error(form, DomainError("Registration is closed.", code="closed"))
    add_form_error(form, DomainError("Choose a category.", code="refused", field="category"))
    assert form.non_field_errors() == ["Registration is closed.", "Choose a category."]
    assert "name" not in form.errors


def test_the_default_status_is_400_and_a_subclass_keeps_its_own():
    assert DomainError("No.", code="no").status == 400
    conflict = DomainError("Changed meanwhile.", code="stale", status=409)
    assert (conflict.status, conflict.code, conflict.field) == (409, "stale", None)
    assert str(conflict) == "Changed meanwhile."


def test_a_json_caller_gets_the_status_the_message_and_the_code():
    error = DomainError(_("Only accepted sessions can be placed."), code="not_accepted", status=409)
    with translation.override("ar"):
        response = error_response(_request("application/json"), error, extra={"ok": False})
    assert response.status_code == 409
    body = json.loads(response.content)
    assert body["code"] == "not_accepted" and body["ok"] is False
    # The lazy message is rendered in the language of the request being answered.
    with translation.override("ar"):
        assert body["error"] == str(_("Only accepted sessions can be placed."))
    assert body["error"] != "Only accepted sessions can be placed."


def test_an_html_caller_is_sent_back_with_the_message_or_shown_a_page_with_the_status():
    request = _request()
    error = DomainError("You may not do this.", code="forbidden", status=403)
    response = error_response(request, error, redirect_to="/en/")
    assert (response.status_code, response["Location"]) == (302, "/en/")
    assert [str(message) for message in get_messages(request)] == ["You may not do this."]

    page = error_response(_request(), error)
    assert page.status_code == 403
    assert "You may not do this." in page.content.decode()
    assert json.loads(error_response(_request(), error, as_json=True).content)["code"] == "forbidden"
