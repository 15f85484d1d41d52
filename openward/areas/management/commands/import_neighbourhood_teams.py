"""Import a force's neighbourhood teams, people and stations from a police.uk-shaped JSON file."""

from django.core.management.base import BaseCommand

from openward.areas.importers import NeighbourhoodTeamImporter
from openward.areas.importers.report import run_and_report


class Command(BaseCommand):
    help = (
        'Import neighbourhood teams: {"force": id, "neighbourhoods": [police.uk neighbourhood + people]}. '
        "Dry run unless --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The JSON file.")
        parser.add_argument("--commit", action="store_true", help="Save the import (default: dry run).")

    def handle(self, *args, path, commit, **options):
        run_and_report(self, NeighbourhoodTeamImporter(path, commit=commit))
