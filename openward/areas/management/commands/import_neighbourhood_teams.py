"""Import a force's neighbourhood teams, people and stations from a police.uk-shaped JSON file."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

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
        parser.add_argument(
            "--hours-from",
            default="",
            help="The date (YYYY-MM-DD) the stations' opening hours in the file hold from; default today.",
        )

    def handle(self, *args, path, commit, hours_from="", **options):
        try:
            since = dt.date.fromisoformat(hours_from) if hours_from else None
        except ValueError:
            raise CommandError(f'--hours-from "{hours_from[:20]}" is not a date. Write it as YYYY-MM-DD.') from None
        run_and_report(self, NeighbourhoodTeamImporter(path, commit=commit, hours_from=since))
