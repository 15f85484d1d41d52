"""Importer steps for loopback databases (run in their own process by loopback.load)."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from openward.areas.importers.boundaries import BoroughBoundaryImporter, WardBoundaryImporter
from openward.areas.importers.forces import ForceImporter
from openward.areas.importers.pack import PACK_GENERATION
from openward.areas.importers.teams import NeighbourhoodTeamImporter
from openward.crime.importers.policeuk import PoliceUkImporter


def city_places(folder: Path, borough_code: str = "E09000001") -> None:
    """Forces, and one borough with its wards, from the London places pack."""
    ForceImporter(commit=True).run()
    for name, importer, key in (
        ("boroughs.geojson", BoroughBoundaryImporter, "code"),
        ("wards.geojson", WardBoundaryImporter, "borough_code"),
    ):
        data = json.loads((settings.PLACES_PACK_DIR / name).read_text())
        data["features"] = [f for f in data["features"] if f["properties"][key] == borough_code]
        path = folder / name
        path.write_text(json.dumps(data))
        options = {"generation": PACK_GENERATION} if importer is WardBoundaryImporter else {}
        importer(path, commit=True, **options).run()


def police_uk(path: str, force: str | None = None) -> None:
    PoliceUkImporter(path, force=force, commit=True).run()


def teams(folder: Path, data: dict) -> None:
    path = folder / "teams.json"
    path.write_text(json.dumps(data))
    NeighbourhoodTeamImporter(path, commit=True).run()


def engagement() -> None:
    """The source's own events and priorities in the City (times from now: the servers' clocks are real).

    Aldgate has two meetings to come, one past and one cancelled (neither listed by police.uk), and
    two priorities, one with actions; the borough has one event, listed for every ward; Cheap one
    priority. Words with &, < and > check the HTML survives the trip as police.uk gives it.
    """
    from openward.areas.models import Borough, Ward
    from openward.engagement.models import Event
    from openward.priorities.models import Priority, PriorityAction

    aldgate, cheap = Ward.objects.get(gss_code="E05009289"), Ward.objects.get(gss_code="E05009298")
    city = Borough.objects.get(gss_code="E09000001")
    today = timezone.localdate()

    def at(days: int, hour: int, minute: int = 0):
        return timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour, minute)))

    meetings = [
        dict(ward=aldgate, title="Aldgate ward panel", kind=Event.Kind.WARD_PANEL, starts_at=at(12, 18, 30),
             ends_at=at(12, 20), address="Aldgate School, St James's Passage, EC3A 5DE",
             description="Agenda: theft & robbery near <Aldgate> station.",
             contact_details={"email": "panel@example.org"}),
        dict(ward=aldgate, title="Street briefing", kind=Event.Kind.STREET_BRIEFING, mode=Event.Mode.ONLINE,
             starts_at=at(20, 12)),
        dict(ward=aldgate, title="Last month's panel", kind=Event.Kind.WARD_PANEL, starts_at=at(-30, 18)),
        dict(ward=aldgate, title="Cancelled stall", kind=Event.Kind.STALL, starts_at=at(15, 10),
             status=Event.Status.CANCELLED),
        dict(borough=city, title="City of London Safer Neighbourhood Board", kind=Event.Kind.SNB,
             starts_at=at(30, 17), address="Guildhall, EC2V 7HH", description="Open to everyone."),
    ]  # fmt: skip
    for fields in meetings:
        Event.objects.create(**fields)
    agreed = today - timedelta(days=40)
    theft = Priority.objects.create(
        ward=aldgate, statement="Theft & robbery near <Aldgate> station", agreed_on=agreed,
        review_on=agreed + timedelta(days=90), slot=1, evidence="Theft doubled.",
    )  # fmt: skip
    PriorityAction.objects.create(priority=theft, taken_on=agreed + timedelta(days=7), description="Patrols at dusk.")
    PriorityAction.objects.create(priority=theft, taken_on=agreed + timedelta(days=21), description="Two arrests.")
    Priority.objects.create(
        ward=aldgate, statement="Cycling on pavements", agreed_on=agreed - timedelta(days=10),
        review_on=agreed + timedelta(days=80), slot=2, evidence="Residents' reports.",
    )  # fmt: skip
    Priority.objects.create(
        ward=cheap, statement="Phone snatching", agreed_on=agreed, review_on=agreed + timedelta(days=90), slot=1,
        evidence="Most reported crime.",
    )  # fmt: skip


def copy_to(path: str) -> None:
    """Copy the database as it is now to another file (SQLite's backup)."""
    import sqlite3

    from django.db import connection

    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    target.close()


STEPS = {
    "city_places": city_places,
    "police_uk": police_uk,
    "teams": teams,
    "engagement": engagement,
    "copy_to": copy_to,
}


def run(steps: list[list]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, *args in steps:
            function = STEPS[name]
            if function in (city_places, teams):
                function(Path(tmp), *args)
            else:
                function(*args)
