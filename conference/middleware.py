from django.conf import settings


class SecurityHeadersMiddleware:
    """A Content-Security-Policy that keeps every page on its own host: venues may be
    offline, and a page that fetches from elsewhere also leaks who reads it."""

    POLICY = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'self'; object-src 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The admin and import-export use inline styles and scripts; keep them working.
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", self.POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=()")
        if not settings.DEBUG:
            response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class AdminTwoFactorMiddleware:
    """The Django admin is a staff page too: a signed-in admin without TOTP is sent to
    set it up first, and one whose session skipped the TOTP step is sent to type a
    code, as on edition staff pages (conference.permissions)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and getattr(request.user, "is_staff", False):
            from conference.permissions import two_factor_redirect

            refusal = two_factor_redirect(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)
