"""Bring forces, teams and recent months' crime and stop and search up to date from police.uk."""

from django.core.management.base import BaseCommand, CommandError

from openward.core.values import InvalidMonth, Month
from openward.policeuk.services import sync_policeuk
from openward.policeuk.sync.client import SyncError


class Command(BaseCommand):
    help = (
        "Sync forces, neighbourhoods, teams, their events and priorities, and each month's street crime and "
        "stop and search (with the archive: also outcomes) from a police.uk-compatible API. Safe to re-run: "
        "stored months are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", help="The API base (default: POLICEUK_API_URL, https://data.police.uk/api/).")
        parser.add_argument(
            "--force",
            action="append",
            dest="forces",
            help="A police.uk force id; repeat for more (default: POLICEUK_SYNC_FORCES).",
        )
        parser.add_argument(
            "--month", action="append", dest="months", help="YYYY-MM; repeat for more (default: the 3 newest)."
        )
        parser.add_argument("--archive-url", help="A data.police.uk monthly archive zip to read the months from.")
        parser.add_argument("--again", action="store_true", help="Fetch months already synced again.")

    def handle(self, *args, base_url, forces, months, archive_url, again, **options):
        try:
            parsed = [Month.parse(m) for m in months] if months else None
        except InvalidMonth as exc:
            raise CommandError(str(exc)) from None
        try:
            report = sync_policeuk(
                base_url=base_url,
                forces=forces,
                months=parsed,
                archive_url=archive_url,
                again=again,
                say=self.stdout.write,
            )
        except SyncError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Done: {len(report.imported)} force-months imported, {len(report.skipped)} already stored, "
            f"{len(report.empty)} with no data, in {report.requests} requests."
        )
        if report.refused:
            shown = "\n".join(report.refused[:10])
            more = f"\n(and {len(report.refused) - 10} more)" if len(report.refused) > 10 else ""
            raise CommandError(
                "The source's events or priorities were refused for some neighbourhoods, which were left as "
                f"they were; everything else was synced. What was wrong:\n{shown}{more}"
            )
