"""Read a police.uk-compatible API into the files Open Ward's importers take.

Nothing here writes to the database: each function fetches what one step needs and saves it
in the shape of a file a person could import by hand (a forces file, a neighbourhood-teams
file, saved crimes-street / stops-force API responses, the archive's CSVs), so the sync passes
through exactly the importers and checks that files do.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import shapely
import shapely.geometry
from shapely.geometry import Polygon

from openward.areas import geo
from openward.areas.models import Force
from openward.core.values import Month

from .client import Client, SyncError, Unreachable

GSS_WARD = re.compile(r"^(E05|W05|S13|N08)\d{6}$")
# Open Ward and police.uk refuse polygons of more than 1,000 points.
MAX_POLY_POINTS = 1000


def force_records(client: Client, slugs: list[str]) -> list[dict]:
    """Forces for ForceImporter: details of the forces synced; others listed by police.uk only when new here."""
    listed = client.get("forces")
    for i, item in enumerate(listed):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item.get("name"):
            raise SyncError(f'{client.url("forces")} item {i + 1} is not a force with an "id" and a "name".')
    ids = {item["id"] for item in listed}
    existing = dict(Force.objects.values_list("slug", "gss_code"))
    unknown = [s for s in slugs if s not in ids and s not in existing]
    if unknown:
        raise SyncError(f"{client.url('forces')} does not list the force {', '.join(unknown)}. Check --force.")
    records = []
    for item in listed:
        if item["id"] not in slugs and item["id"] in existing:
            continue
        record = {"id": item["id"], "name": item["name"], "listed": True}
        if item["id"] in slugs:
            detail = client.get(f"forces/{item['id']}", expect=dict)
            record.update({k: detail.get(k) for k in ("description", "url", "telephone", "engagement_methods")})
            record["name"] = detail.get("name") or item["name"]
        if item["id"] in existing:
            record["gss_code"] = existing[item["id"]]
        records.append(record)
    return records


def team_file(client: Client, slug: str) -> tuple[dict, dict[str, list[tuple[float, float]]]]:
    """A neighbourhood-teams file for the force, and each neighbourhood's boundary as (lat, lng) points.

    A neighbourhood whose id is a GSS ward code (the Met's are) belongs to that ward and has its boundary;
    any other keeps the boundary police.uk gives it and is given the current ward that boundary overlaps most.
    """
    listed = client.get(f"{slug}/neighbourhoods")
    neighbourhoods, boundaries = [], {}
    for i, item in enumerate(listed):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            raise SyncError(f'{client.url(f"{slug}/neighbourhoods")} item {i + 1} is not a neighbourhood with an "id".')
        code = item["id"]
        detail = client.get(f"{slug}/{code}", expect=dict)
        people = client.get(f"{slug}/{code}/people")
        boundary = client.get(f"{slug}/{code}/boundary")
        points = _points(client.url(f"{slug}/{code}/boundary"), boundary)
        boundaries[code] = points
        record = {
            "id": code,
            "name": detail.get("name") or item.get("name") or code,
            "description": detail.get("description") or "",
            "url_force": detail.get("url_force") or "",
            "contact_details": detail.get("contact_details") or {},
            "links": detail.get("links") or [],
            "people": people,
        }
        if not GSS_WARD.match(code):
            record["boundary"] = boundary
            ward = ward_by_overlap(points)
            if ward:
                record["ward"] = ward
        neighbourhoods.append(record)
    people = client.get(f"forces/{slug}/people")
    return {"force": slug, "people": people, "neighbourhoods": neighbourhoods}, boundaries


# A source that refuses this many neighbourhoods' events or priorities in a row is not asked about the rest.
GIVE_UP_AFTER = 5


def events_and_priorities(client: Client, slug: str, codes: list[str]) -> dict:
    """A file for PoliceUkEventsPrioritiesImporter: each neighbourhood's events and priorities as the source
    lists them, or why they could not be read (that neighbourhood is then left as it is stored)."""
    neighbourhoods: list[dict] = []
    refused_in_a_row = 0
    for code in codes:
        if refused_in_a_row >= GIVE_UP_AFTER:
            reason = f"not asked: the source refused the {GIVE_UP_AFTER} neighbourhoods before it; try again later."
            neighbourhoods.append({"id": code, "refused": reason})
            continue
        record: dict = {"id": code}
        try:
            for what in ("events", "priorities"):
                path = f"{slug}/{code}/{what}"
                record[what], record[f"{what}_url"] = client.get(path), client.url(path)
        except Unreachable:
            raise
        except SyncError as exc:
            record = {"id": code, "refused": str(exc)}
        refused_in_a_row = refused_in_a_row + 1 if "refused" in record else 0
        neighbourhoods.append(record)
    return {"force": slug, "neighbourhoods": neighbourhoods}


def ward_by_overlap(points: list[tuple[float, float]]) -> str | None:
    """The GSS code of the current ward sharing the most area with a boundary, if any does."""
    try:
        geometry = geo.geometry_from_vertices(points)
    except ValueError:
        return None
    if geometry is None:
        return None
    shares = geo.shares_of(shapely.make_valid(shapely.geometry.shape(geometry)))
    return shares[0][0].gss_code if shares else None


def _points(url: str, data: list) -> list[tuple[float, float]]:
    points = []
    for i, vertex in enumerate(data):
        try:
            points.append((float(vertex["latitude"]), float(vertex["longitude"])))
        except (TypeError, KeyError, ValueError):
            raise SyncError(f"{url} point {i + 1} is not a latitude and longitude; nothing was changed.") from None
    return points


def poly_param(points: list[tuple[float, float]]) -> str:
    """police.uk's poly=lat,lng:lat,lng… for a boundary, simplified (never shrunk) to 1,000 points at most."""
    if len(points) > MAX_POLY_POINTS:
        shape = Polygon([(lng, lat) for lat, lng in points]).convex_hull
        tolerance = 1e-5
        while len(shape.exterior.coords) > MAX_POLY_POINTS:
            shape = shape.simplify(tolerance)
            tolerance *= 2
        points = [(lat, lng) for lng, lat in shape.exterior.coords]
    return ":".join(f"{lat:.6f},{lng:.6f}" for lat, lng in points)


def month_files(
    client: Client, slug: str, month: Month, boundaries: dict[str, list[tuple[float, float]]], folder: Path
) -> list[Path]:
    """Save the force's street crime (one JSON line per neighbourhood, plus those without a location)
    and its stop and search for the month, named as the importer expects."""
    lines = []
    for _code, points in sorted(boundaries.items()):
        if len(points) >= 3:
            lines.append(client.post("crimes-street/all-crime", {"poly": poly_param(points), "date": str(month)}))
    lines.append(client.get("crimes-no-location", {"category": "all-crime", "force": slug, "date": str(month)}))
    stops = client.get("stops-force", {"force": slug, "date": str(month)})
    files = []
    if any(lines):
        street = folder / f"crimes-street_{slug}_{month}.jsonl"
        street.write_text("".join(json.dumps(line) + "\n" for line in lines if line))
        files.append(street)
    if stops:
        path = folder / f"stops-force_{slug}_{month}.json"
        path.write_text(json.dumps(stops))
        files.append(path)
    return files


ARCHIVE_MEMBER = re.compile(r"(?:^|/)(\d{4}-\d{2})-([a-z0-9-]+?)-(street|outcomes|stop-and-search)\.csv$")


def archive_files(archive: Path, wanted: set[tuple[str, str]], folder: Path) -> dict[tuple[str, str], list[Path]]:
    """Extract the CSVs of the wanted (force, "YYYY-MM") pairs from a data.police.uk archive zip, each into a
    folder of its own (`folder/<force>/<YYYY-MM>/`) under the name the importer reads.

    The archive names each file once (`2025-01/2025-01-<force>-street.csv`). A zip may still hold the same
    file twice (under two folders, or the same entry written twice): an exact copy is read once; two
    different files for the same force, month and kind are refused, naming both, rather than one silently
    replacing the other."""
    try:
        with zipfile.ZipFile(archive) as zf:
            found: dict[tuple[str, str], list[Path]] = {}
            first: dict[Path, str] = {}
            for info in zf.infolist():
                name = info.filename
                m = ARCHIVE_MEMBER.search(name)
                if info.is_dir() or not m or (m.group(2), m.group(1)) not in wanted:
                    continue
                month, slug, kind = m.group(1), m.group(2), m.group(3)
                target = folder / slug / month / f"{month}-{slug}-{kind}.csv"
                data = zf.read(info)
                if target in first:
                    if target.read_bytes() != data:
                        raise SyncError(
                            f'the archive holds two different {kind} files for {slug} {month} ("{first[target]}" '
                            f'and "{name}"); nothing was changed.'
                        )
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                first[target] = name
                found.setdefault((slug, month), []).append(target)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise SyncError(f"the archive is not a complete zip file ({exc}); nothing was changed.") from None
    return found
