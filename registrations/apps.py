from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from conference import mail
        from registrations.people import greeting_names

        # Every e-mail (conference.notify) greets by the profile's names.
        mail.set_greeting(greeting_names)
