"""How a view shows a ``DomainError``: as a form error, a JSON answer or a page.

Views catch ``DomainError`` (or their app's subclass) around the service call and hand
it to one of these, so every app words refusals the same way and keeps its views thin.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from conference.exceptions import DomainError


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def add_form_error(form, error: DomainError) -> None:
    """The message next to its field, or above the form when the field is not one of
    the form's (a service may name a field this particular form does not show)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def error_response(
    request: HttpRequest,
    error: DomainError,
    *,
    redirect_to: str | None = None,
    as_json: bool | None = None,
    extra: dict | None = None,
) -> HttpResponse:
    """JSON ``{"error": message, "code": code, **extra}`` with the error's status when the
    caller asks for JSON (``as_json``, or by default its Accept header); otherwise the
    message through the messages framework and a redirect to ``redirect_to`` (post,
    redirect, get), or, with nowhere to go back to, an error page with the status."""
    if as_json if as_json is not None else wants_json(request):
        body = {**(extra or {}), "error": str(error.message), "code": error.code}
        return JsonResponse(body, status=error.status)
    if redirect_to is not None:
        messages.error(request, error.message)
        return redirect(redirect_to)
    return render(request, "conference/domain_error.html", {"error": error}, status=error.status)
