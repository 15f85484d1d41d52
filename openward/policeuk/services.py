"""Keep Open Ward current from a police.uk-compatible API: `sync_policeuk` (the command and the scheduled job).

Order and guarantees:
1. Forces, then each force's neighbourhoods, boundaries and teams are fetched whole, then stored
   through ForceImporter and NeighbourhoodTeamImporter (each all-or-nothing, a recorded run).
   Then each neighbourhood's events and priorities go through PoliceUkEventsPrioritiesImporter
   (a recorded run per force): a neighbourhood whose answer is refused is left as it was and
   named in the report, and the others, and the months, are synced all the same.
2. Each force-month's street crime and stop and search (from the API, or street crime, outcomes
   and stop and search from the monthly archive when its URL is given) are fetched whole into
   files, then imported by PoliceUkImporter: the same checks as files (cut or empty files refused,
   a month never shrinks by accident), one transaction, a recorded run. A SyncedMonth row is
   written in that transaction, so a sync stopped at any point is resumed by running it again:
   months already stored are skipped, the one it was fetching is fetched again.
Anything the source answers wrongly stops that step with a message naming the URL; what was
stored before stays as it was.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from openward.areas.importers.forces import ForceImporter
from openward.areas.importers.teams import NeighbourhoodTeamImporter
from openward.areas.models import Force
from openward.core import audit, db_router
from openward.core.importers.base import ImportFailed
from openward.core.models import ImportRun
from openward.core.values import Month
from openward.crime.importers import frames
from openward.crime.importers.policeuk import PoliceUkImporter
from openward.crime.importers.sources import classify

from .importers import PoliceUkEventsPrioritiesImporter
from .models import SyncedMonth
from .sync.client import BURST, Client, SyncError, TokenBucket
from .sync.fetch import archive_files, events_and_priorities, force_records, month_files, team_file

RECENT_MONTHS = 3
# police.uk's force ids; the sync's file names carry them, and the importer reads them back from the names.
FORCE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class SyncReport:
    """What a sync did, for the command to print."""

    requests: int = 0
    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    # Neighbourhoods whose events and priorities were refused (left as they were), each with the reason.
    refused: list[str] = field(default_factory=list)


class SyncedMonthImporter(PoliceUkImporter):
    """PoliceUkImporter that also records the force-month as synced, and audits it, inside the import's transaction."""

    name = "police-uk-sync"

    def __init__(self, path, *, force: Force, month: Month, source: str, **kwargs):
        super().__init__(path, force=force.slug, **kwargs)
        self.synced = (force, month, source)

    def write(self, sources):
        super().write(sources)
        force, month, source = self.synced
        SyncedMonth.objects.update_or_create(
            force=force, month=frames.month_start(month), defaults={"source": source[:500]}
        )
        audit.record(self.actor, "policeuk.month_synced", force, month=str(month), source=source[:500])


@db_router.primary()
def sync_policeuk(
    *,
    base_url: str | None = None,
    forces: list[str] | None = None,
    months: list[Month] | None = None,
    archive_url: str | None = None,
    again: bool = False,
    actor=None,
    client: Client | None = None,
    say: Callable[[str], None] = lambda message: None,
) -> SyncReport:
    """Bring forces, teams and recent months' crime and stop and search up to date from the source.

    It reads from the primary database throughout (the months already synced, the forces it just stored),
    never from a read replica that may not have replayed them yet."""
    client = client or Client(
        base_url or settings.POLICEUK_API_URL, bucket=TokenBucket(settings.POLICEUK_API_RATE, BURST)
    )
    # Each force and month once: a repeated --force or --month must not fetch, name or import it twice.
    slugs = list(dict.fromkeys(forces or settings.POLICEUK_SYNC_FORCES))
    for slug in slugs:
        if not FORCE_ID.match(slug):
            raise SyncError(
                f'"{slug}" is not a police.uk force id (lower-case letters, digits and hyphens, like "city-of-london").'
            )
    if months:
        months = list({str(m): m for m in months}.values())
    report = SyncReport()
    with tempfile.TemporaryDirectory(prefix="openward-sync-") as tmp:
        folder = Path(tmp)
        boundaries = _sync_reference(client, slugs, folder, actor, say, report)
        wanted = months or _recent_months(client)
        stored = SyncedMonth.objects.filter(force__slug__in=slugs).values_list("force__slug", "month")
        synced = set() if again else set(stored)
        todo = []
        for slug in slugs:
            force = Force.objects.get(slug=slug)
            for month in wanted:
                if (slug, frames.month_start(month)) in synced:
                    report.skipped.append(f"{slug} {month}")
                else:
                    todo.append((force, month))
        archive = None
        if archive_url and todo:
            say(f"Downloading {archive_url}")
            archive = archive_files(
                client.download(archive_url, folder / "archive.zip"),
                {(f.slug, str(m)) for f, m in todo},
                folder / "archive",
            )
        for force, month in todo:
            label = f"{force.slug} {month}"
            # A folder of its own per force-month: the importer reads every file in it, and only those.
            month_folder = folder / "months" / force.slug / str(month)
            month_folder.mkdir(parents=True)
            if archive_url and archive is not None:
                files = [p.rename(month_folder / p.name) for p in archive.get((force.slug, str(month)), [])]
                source = archive_url
            else:
                files = month_files(client, force.slug, month, boundaries[force.slug], month_folder)
                source = client.base_url
            if not files:
                report.empty.append(label)
                say(f"{label}: the source has no data for it")
                continue
            _check_named(files, force.slug, month)
            importer = SyncedMonthImporter(
                month_folder, force=force, month=month, source=source, commit=True, actor=actor
            )
            run = _import(f"what {source} sent for {label}", importer)
            run.source = f"{source} ({label})"[:500]
            run.save(update_fields=["source"])
            SyncedMonth.objects.filter(force=force, month=frames.month_start(month)).update(import_run=run)
            report.imported.append(label)
            say(
                f"{label}: imported {run.counts.get('crime_rows', 0)} crimes and {run.counts.get('stop_rows', 0)} stops"
            )
    report.requests = client.requests
    return report


def _sync_reference(
    client: Client, slugs: list[str], folder: Path, actor, say, report: SyncReport
) -> dict[str, dict[str, list[tuple[float, float]]]]:
    """Forces, then each force's neighbourhoods, teams, events and priorities; each force's neighbourhood
    boundaries."""
    say(f"Forces from {client.base_url}")
    records = force_records(client, slugs)
    _import(
        f"the forces from {client.base_url}",
        ForceImporter(_saved(folder / "forces.json", records), commit=True, actor=actor),
    )
    boundaries: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for slug in slugs:
        teams, boundaries[slug] = team_file(client, slug)
        if teams["neighbourhoods"]:
            importer = NeighbourhoodTeamImporter(_saved(folder / f"{slug}-teams.json", teams), commit=True, actor=actor)
            _import(f"{slug}'s teams from {client.base_url}", importer)
        say(f"{slug}: {len(teams['neighbourhoods'])} neighbourhoods")
        if teams["neighbourhoods"]:
            codes = [n["id"] for n in teams["neighbourhoods"]]
            _sync_events_and_priorities(client, slug, codes, folder, actor, say, report)
    return boundaries


def _sync_events_and_priorities(client: Client, slug: str, codes: list[str], folder: Path, actor, say, report) -> None:
    """Each neighbourhood's events and priorities; those refused are left as they were and reported."""
    listed = events_and_priorities(client, slug, codes)
    importer = PoliceUkEventsPrioritiesImporter(
        _saved(folder / f"{slug}-events-priorities.json", listed), commit=True, actor=actor
    )
    run: ImportRun | None
    try:
        run = importer.run()
    except ImportFailed as exc:
        run = exc.run
    if run is not None:
        run.source = f"{client.base_url} ({slug} events and priorities)"[:500]
        run.save(update_fields=["source"])
    report.refused += [str(problem) for problem in importer.problems]
    counts = importer.counts
    say(
        f"{slug}: events and priorities of {counts['neighbourhoods_read']} of {len(codes)} neighbourhoods: "
        + ", ".join(
            f"{what} {counts[f'{what}_added']} added, {counts[f'{what}_updated']} changed, "
            f"{counts[f'{what}_removed']} removed"
            for what in ("events", "priorities")
        )
    )


def _recent_months(client: Client) -> list[Month]:
    """The newest months the source has street crime for (police.uk's crimes-street-dates)."""
    dates = client.get("crimes-street-dates")
    months = []
    for i, item in enumerate(dates):
        try:
            months.append(Month.parse(item["date"]))
        except (TypeError, KeyError, ValueError):
            raise SyncError(f"{client.url('crimes-street-dates')} item {i + 1} has no YYYY-MM date.") from None
    return sorted(set(months), key=str, reverse=True)[:RECENT_MONTHS]


def _check_named(files: list[Path], slug: str, month: Month) -> None:
    """Every file saved for a force-month is one the importer reads, as that force's and that month's, and no
    two are the same kind (a file it skipped or read as another month would be lost without a word)."""
    kinds: set[str] = set()
    for path in files:
        what = classify(path.name)
        if what is None or (what[1] or slug) != slug or str(what[2]) != str(month) or what[0] in kinds:
            raise SyncError(
                f'the file saved as "{path.name}" would not be read as {slug} {month}; nothing was changed.'
            )
        kinds.add(what[0])


def _saved(path: Path, data) -> Path:
    path.write_text(json.dumps(data))
    return path


def _import(what: str, importer):
    try:
        return importer.run()
    except ImportFailed as exc:
        raise SyncError(f"The importer refused {what}: {exc}") from None
