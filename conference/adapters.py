"""allauth hooks: a new account speaks the language it signed up in, the e-mail
verification link brings the person back to the page she was on, and an account with
two-factor confirms access with it."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_next_redirect_url
from django.conf import settings
from django.utils import translation
from django.utils.http import urlencode


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # E-mails (status changes, letters) are written in this language, so a
        # delegate who signed up in Sorani is written to in Sorani from the start.
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        return super().save_user(request, user, form, commit=commit)

    def get_reauthentication_methods(self, user):
        """An account with two-factor confirms access with it, never with the password
        alone: a password-only confirmation would be weaker than its sign-in, and the
        staff pages' TOTP step (conference.permissions) must not offer it as a way out."""
        methods = super().get_reauthentication_methods(user)
        second_factor = [method for method in methods if method["id"].startswith("mfa_")]
        return second_factor or methods

    def get_email_confirmation_url(self, request, emailconfirmation):
        """The link carries the page the person signed up from (``next``, already
        checked to be on this site). Opened in the same browser, allauth signs her in
        and goes there (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION); opened elsewhere, the
        confirmation page goes there too, through the login page."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        next_url = get_next_redirect_url(request) if request is not None else None
        if next_url:
            url = f"{url}?{urlencode({'next': next_url})}"
        return url
