"""Import an LSOA → ward lookup CSV (ONS, or the derived best-fit lookup)."""

from django.core.management.base import BaseCommand

from openward.areas.importers import LsoaWardLookupImporter
from openward.areas.importers.report import run_and_report


class Command(BaseCommand):
    help = "Import an LSOA → ward lookup (columns LSOA11CD/LSOA21CD and WDyyCD or ward_code). Dry run unless --commit."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The lookup CSV (.csv or .csv.gz).")
        parser.add_argument("--generation", help="Ward generation (default: from the WDyyCD column name, else 2022).")
        parser.add_argument("--census-year", type=int, choices=[2011, 2021], help="Default: from the LSOA column name.")
        parser.add_argument("--commit", action="store_true", help="Save the import (default: dry run).")

    def handle(self, *args, path, generation, census_year, commit, **options):
        run_and_report(
            self, LsoaWardLookupImporter(path, commit=commit, generation=generation, census_year=census_year)
        )
