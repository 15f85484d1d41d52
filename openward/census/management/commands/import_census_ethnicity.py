"""Import a census ethnic-group table (TS021 by LSOA, QS201EW by local authority or police force area)."""

from django.core.management.base import BaseCommand

from openward.areas.importers.report import run_and_report
from openward.census.importers import LAYOUTS


class Command(BaseCommand):
    help = "Import census population by ethnic group. Dry run unless --commit."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The table as CSV (.csv or .csv.gz).")
        parser.add_argument("--layout", required=True, choices=sorted(LAYOUTS), help="Which official table it is.")
        parser.add_argument("--commit", action="store_true", help="Save the import (default: dry run).")

    def handle(self, *args, path, layout, commit, **options):
        run_and_report(self, LAYOUTS[layout](path, commit=commit))
