"""Load a places pack (by default the London pack in data/london/)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from openward.areas.importers.pack import PlacesPackImporter
from openward.areas.importers.report import run_and_report
from openward.core.importers.base import sha256_of
from openward.core.models import ImportRun


class Command(BaseCommand):
    help = "Load a places pack (wards, boroughs, postcodes, LSOA look-up) after checking it. Dry run unless --commit."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.PLACES_PACK_DIR), help="The pack folder.")
        parser.add_argument("--commit", action="store_true", help="Save the import (default: dry run).")
        parser.add_argument(
            "--unless-loaded",
            action="store_true",
            help="Do nothing if this exact pack was already loaded (what `make run` does on every start).",
        )

    def handle(self, *args, path, commit, unless_loaded, **options):
        importer = PlacesPackImporter(path, commit=commit)
        if unless_loaded and importer.path.is_dir():
            loaded = ImportRun.objects.filter(
                importer=importer.name, status=ImportRun.Status.COMMITTED, sha256=sha256_of(importer.path)
            )
            if loaded.exists():
                self.stdout.write(f"{importer.name}: {path} is already loaded.")
                return
        run_and_report(self, importer)
