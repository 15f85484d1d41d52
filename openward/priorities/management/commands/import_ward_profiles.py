"""Load wards' census profiles (16+ by age band and ethnic group); a dry run unless --commit."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from openward.core.importers.base import ImportFailed
from openward.priorities.importers.census import WardProfileImporter


class Command(BaseCommand):
    help = "Load each ward's census profile (residents 16+ by age band and ethnic group) for consultation results."

    def add_arguments(self, parser):
        data = Path(settings.SHARED_DATA_DIR)
        parser.add_argument("--population", default=str(data / "population" / "london-lsoa11-mid2020-pop.csv"))
        parser.add_argument(
            "--ethnicity", default=str(data / "census" / "census2011_qs201ew_ethnic-group_local-authority_EW.csv")
        )
        parser.add_argument("--commit", action="store_true", help="Save the result (default: dry run).")

    def handle(self, *args, population, ethnicity, commit, **options):
        try:
            run = WardProfileImporter(population, ethnicity_path=ethnicity, commit=commit).run()
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{run.status}: {dict(run.counts)}")
        if not commit:
            self.stdout.write("Dry run: nothing saved. Run again with --commit to save.")
