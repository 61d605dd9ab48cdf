"""Re-encrypt every encrypted column under the first key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first, run this command, check that ``--check`` reports 0
rows under older keys, then remove the old key from the variable."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from conference.crypto import EncryptedTextField, cipher

CHUNK = 500


def encrypted_columns():
    for model in apps.get_models():
        fields = [field for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]
        if fields:
            yield model, fields


class Command(BaseCommand):
    help = "Re-encrypt all encrypted personal data under the current (first) field key."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only count values still written under an older key; exit 1 if any.",
        )

    def handle(self, *args, check=False, **options):
        stale_total = 0
        for model, fields in encrypted_columns():
            stale = self._stale_pks(model, fields)
            stale_total += len(stale)
            label = model._meta.label
            if check:
                self.stdout.write(f"{label}: {len(stale)} rows under an older key")
                continue
            for start in range(0, len(stale), CHUNK):
                with transaction.atomic():
                    rows = list(
                        model._base_manager.select_for_update().filter(pk__in=stale[start : start + CHUNK])
                    )
                    # Reading decrypted with any key; saving encrypts with the first.
                    model._base_manager.bulk_update(rows, [field.name for field in fields])
            self.stdout.write(f"{label}: {len(stale)} rows re-encrypted")
        if check and stale_total:
            raise SystemExit(1)

    @staticmethod
    def _stale_pks(model, fields) -> list:
        current = cipher()
        table = connection.ops.quote_name(model._meta.db_table)
        pk_column = connection.ops.quote_name(model._meta.pk.column)
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        stale = []
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk_column}, {columns} FROM {table}")  # noqa: S608 - names from model meta
            for pk, *values in cursor.fetchall():
                if any(value and not current.is_current(value) for value in values):
                    stale.append(pk)
        return stale
