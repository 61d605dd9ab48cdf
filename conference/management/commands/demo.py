"""Fill the database with demonstration data. Idempotent: running it twice leaves the
same rows. Each app contributes through a ``demo`` module with ``load(command)``;
the core looks them up by name, so it never imports a feature app."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load demonstration data (an edition, tracks, rooms, organisations, people)."

    def handle(self, *args, **options):
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
