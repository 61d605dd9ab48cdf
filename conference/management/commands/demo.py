"""Fill the database with demonstration data. Idempotent: running it twice leaves the
same rows. Each app contributes through a ``demo`` module with ``load(command)``;
the core looks them up by name, so it never imports a feature app."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load demonstration data (an edition, tracks, rooms, organisations, people)."

    def handle(self, *args, **options):
        # The demo's superuser and staff share a published password and TOTP secret:
        # on a real server they would open every passport to anybody who read the README.
        if not settings.DEVELOPMENT_PROFILE:
            raise CommandError(
                "manage.py demo runs in development only (DEBUG=1): it creates accounts "
                "whose password and two-factor secret are published."
            )
        self.credentials: list[tuple[str, str, str]] = []
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if find_spec(module_name) is None:
                continue
            with transaction.atomic():
                import_module(module_name).load(self)
        if self.credentials:
            self.stdout.write("\nDemo accounts (demo data only; never use these passwords elsewhere):")
            for role, email, password in self.credentials:
                self.stdout.write(f"  {role:<28} {email:<28} {password}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
