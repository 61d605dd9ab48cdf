from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conference import services
from conference.exceptions import DomainError


class Command(BaseCommand):
    help = "Load the charter's tracks and Iraq's governorates from the CSV files in conference/data/."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="directory", type=Path, default=None,
                            help="Folder holding tracks.csv and governorates.csv "
                                 "(default: settings.REFERENCE_DATA_DIR).")

    def handle(self, *args, directory=None, **options):
        try:
            counts = services.reference_data_load(directory=directory)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Loaded {counts['tracks']} tracks and {counts['governorates']} governorates.")
