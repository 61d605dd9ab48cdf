from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    # Django's own django.contrib.sessions already owns the label "sessions".
    name = "sessions"
    label = "programme"
    verbose_name = _("Programme")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The programme hears what happens to delegates (contract in
        # registrations/signals.py); registrations never imports the programme.
        from registrations import signals
        from sessions import receivers

        signals.registration_ended.connect(receivers.registration_ended, dispatch_uid="programme.ended")
        signals.person_erasing.connect(receivers.person_erasing, dispatch_uid="programme.erasing")
