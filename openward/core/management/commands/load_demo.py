"""Generate the demo area in official file formats and load it through the importers."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from openward.core import db_router, demo, pagecache


class Command(BaseCommand):
    help = "Generate the demo area (files in official formats) and load it through the same importers as real data."

    def add_arguments(self, parser):
        parser.add_argument("--workdir", default=str(Path(settings.VAR_DIR) / "demo"), help="Where to write the files.")
        parser.add_argument("--only", nargs="*", help="Run only these steps.")

    # The demo's people and meetings are placed in the wards its own import just stored: read the primary.
    @db_router.primary()
    def handle(self, *args, workdir, only, **options):
        root = Path(workdir)
        root.mkdir(parents=True, exist_ok=True)
        for step in demo.steps():
            if only and step.name not in only:
                continue
            self.stdout.write(f"Demo: {step.name}")
            path = root / step.name
            path.mkdir(parents=True, exist_ok=True)
            try:
                # The step's writes move the site's data version once, as it ends, not once per row.
                with pagecache.one_change():
                    step.step(path, self.stdout)
            except demo.NothingToLoad as exc:
                raise CommandError(f"Demo step {step.name} loaded nothing: {exc}") from None
        self.stdout.write(self.style.SUCCESS("Demo area loaded (all of it is generated, not real)."))
