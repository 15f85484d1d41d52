"""Import police forces from the reference file Open Ward ships, or another in the same shape."""

from django.core.management.base import BaseCommand

from openward.areas.importers import ForceImporter
from openward.areas.importers.places import FORCES_FILE
from openward.areas.importers.report import run_and_report


class Command(BaseCommand):
    help = (
        "Import police forces (police.uk ids and names; default: the shipped reference file). Dry run unless --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(FORCES_FILE), help="A JSON list of forces.")
        parser.add_argument("--commit", action="store_true", help="Save the import (default: dry run).")

    def handle(self, *args, path, commit, **options):
        run_and_report(self, ForceImporter(path, commit=commit))
