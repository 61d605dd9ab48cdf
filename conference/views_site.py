"""Entrances that are not pages of their own: the admin's login, which hands over to
the one sign-in everybody uses, and the favicon browsers ask for at the root."""

from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import cache_control


def admin_login(request):
    """Django's own admin login checks the password alone: no rate limit and no TOTP
    step. Everyone signs in through allauth's page instead, which has both, and comes
    back to the admin page they asked for. It never reads a password itself."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(next_url)
        # Signed in but not admin staff: allauth would send them straight back here.
        raise PermissionDenied
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


@cache_control(public=True, max_age=24 * 3600)
def favicon(request):
    # Browsers fetch /favicon.ico on their own, whatever the page's <link rel=icon>.
    path = finders.find("favicon.ico")
    if path is None:
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/x-icon")  # FileResponse closes it
