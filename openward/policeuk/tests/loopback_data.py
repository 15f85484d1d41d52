"""Importer steps for loopback databases (run in their own process by loopback.load)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django.conf import settings

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


def copy_to(path: str) -> None:
    """Copy the database as it is now to another file (SQLite's backup)."""
    import sqlite3

    from django.db import connection

    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    target.close()


STEPS = {"city_places": city_places, "police_uk": police_uk, "teams": teams, "copy_to": copy_to}


def run(steps: list[list]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, *args in steps:
            function = STEPS[name]
            if function in (city_places, teams):
                function(Path(tmp), *args)
            else:
                function(*args)
