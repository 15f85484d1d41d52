"""Import data.police.uk files: `manage.py import_crime PATH... [--commit] [--force metropolitan]`."""

from django.core.management.base import BaseCommand, CommandError

from openward.core.importers import ImportFailed
from openward.crime.importers import PoliceUkImporter

SHOWN_PROBLEMS = 20


class Command(BaseCommand):
    help = (
        "Import data.police.uk street crime, outcomes and stop-and-search files (a CSV, a folder, or the monthly "
        "archive zip) or saved API responses. Rehearses unless --commit. Re-importing a force's month replaces it."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, folders or archive zips.")
        parser.add_argument("--commit", action="store_true", help="Write to the database (default: dry run).")
        parser.add_argument("--force", help="Force of saved crimes-street API responses (they do not say).")
        parser.add_argument(
            "--allow-shrink",
            action="store_true",
            help="Let a file replace a stored month even when it has fewer than half the month's rows.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bars.")

    def handle(self, *args, paths, commit, force, allow_shrink, no_progress, **options):
        failed = []
        for path in paths:
            importer = PoliceUkImporter(
                path, commit=commit, force=force, allow_shrink=allow_shrink, progress=False if no_progress else None
            )
            try:
                run = importer.run()
            except ImportFailed as exc:
                self.stderr.write(self.style.ERROR(f"{path}: {exc}"))
                failed.append(path)
                continue
            verb = "Imported" if commit else "Dry run (nothing written; add --commit)"
            counts = ", ".join(f"{k} {v}" for k, v in sorted(run.counts.items()))
            self.stdout.write(self.style.SUCCESS(f"{verb}: {path}: {counts}"))
            for problem in run.problems[:SHOWN_PROBLEMS]:
                self.stdout.write(f"  {problem['where']}: {problem['message']}")
            if len(run.problems) > SHOWN_PROBLEMS:
                self.stdout.write(
                    f"  … and {len(run.problems) - SHOWN_PROBLEMS} more (import run #{run.pk} lists them)"
                )
        if failed:
            raise CommandError(f"Nothing was imported from: {', '.join(failed)}")
