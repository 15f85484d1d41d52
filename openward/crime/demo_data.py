"""Demo crime and stop-and-search: two years of generated data.police.uk files for the demo wards.

The files are written as data.police.uk's monthly archive (`YYYY-MM/YYYY-MM-<force>-street.csv`,
`-outcomes.csv`, `-stop-and-search.csv`, zipped) and loaded through the same importer as real
data, marked `is_demo`. Numbers follow simple, visible patterns so the analytics have something
to show: violence, anti-social behaviour and bicycle theft peak in summer, burglary in winter;
shoplifting rises steadily and vehicle crime falls. Everything is a function of DEMO_SEED and
the demo wards, so every machine generates the same files, and a re-run replaces the same
months (idempotent).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import zipfile
from pathlib import Path
from typing import TextIO

import numpy as np
import shapely

from openward.areas.models import Force, Ward
from openward.core import demo
from openward.core.values import Month

from .importers.categories import CATEGORY_NAMES

DEMO_FORCE = "demo-police"
# A fixed window (not "the last 24 months from today") so the files never depend on the date.
LAST_MONTH = Month(2026, 9)
MONTHS = 24
SNAP_POINTS_PER_WARD = 30
LSOAS_PER_WARD = 4

# Mean crimes per ward per month, before the ward's busyness, season and trend.
RATES = {
    "anti-social-behaviour": 9.0,
    "violent-crime": 10.0,
    "shoplifting": 3.0,
    "burglary": 3.0,
    "vehicle-crime": 4.0,
    "criminal-damage-arson": 2.5,
    "other-theft": 3.0,
    "theft-from-the-person": 1.0,
    "bicycle-theft": 1.2,
    "robbery": 0.8,
    "drugs": 1.5,
    "public-order": 2.0,
    "possession-of-weapons": 0.4,
    "other-crime": 0.6,
}
SUMMER_PEAK = {"violent-crime": 0.25, "anti-social-behaviour": 0.35, "bicycle-theft": 0.5}
WINTER_PEAK = {"burglary": 0.35}
# Change over the two years: shoplifting doubles, vehicle crime falls by 60 %.
TREND = {"shoplifting": 1.0, "vehicle-crime": -0.6}

STREETS = [
    "High Street", "Station Road", "Church Lane", "Mill Road", "Park Avenue", "Victoria Road", "Green Lane",
    "The Crescent", "Manor Way", "Queens Road", "Orchard Close", "Kings Parade", "Meadow Walk", "Bridge Street",
    "Market Square", "School Lane", "Elm Grove", "Windmill Hill", "Chapel Street", "Riverside",
]  # fmt: skip
PLACES = ["Parking Area", "Supermarket", "Petrol Station", "Sports/Recreation Area", "Shopping Area", "Nightclub"]
OUTCOMES = [
    ("Investigation complete; no suspect identified", 0.45),
    ("Unable to prosecute suspect", 0.25),
    ("Local resolution", 0.06),
    ("Offender given a caution", 0.04),
    ("Awaiting court outcome", 0.08),
    ("Court result unavailable", 0.04),
    ("Further investigation is not in the public interest", 0.04),
    ("Action to be taken by another organisation", 0.04),
]
STOP_ETHNICITY = [
    ("White - English/Welsh/Scottish/Northern Irish/British", "White", 0.38),
    ("White - Any other White background", "White", 0.12),
    ("Black/African/Caribbean/Black British - Caribbean", "Black", 0.12),
    ("Black/African/Caribbean/Black British - African", "Black", 0.12),
    ("Asian/Asian British - Any other Asian background", "Asian", 0.10),
    ("Mixed/Multiple ethnic groups - White and Black Caribbean", "Black", 0.05),
    ("Other ethnic group - Not stated", "Other", 0.06),
    ("", "", 0.05),
]
STOP_GROUNDS = [
    ("Misuse of Drugs Act 1971 (section 23)", "Controlled drugs", 0.6),
    ("Police and Criminal Evidence Act 1984 (section 1)", "Stolen goods", 0.15),
    ("Police and Criminal Evidence Act 1984 (section 1)", "Offensive weapons", 0.12),
    ("Criminal Justice and Public Order Act 1994 (section 60)", "Offensive weapons", 0.05),
    ("Police and Criminal Evidence Act 1984 (section 1)", "Articles for use in criminal damage", 0.08),
]
STOP_OUTCOMES = [
    ("A no further action disposal", 0.7),
    ("Arrest", 0.14),
    ("Community resolution", 0.08),
    ("Summons / charged by post", 0.04),
    ("Penalty Notice for Disorder", 0.02),
    ("Caution (simple or conditional)", 0.02),
]


def _pick(rng: np.random.Generator, weighted):
    weights = np.array([w[-1] for w in weighted])
    return weighted[rng.choice(len(weighted), p=weights / weights.sum())]


def _crime_id(*parts) -> str:
    return hashlib.sha256(":".join(map(str, (demo.DEMO_SEED, *parts))).encode()).hexdigest()


def _snap_points(ward: Ward, rng: np.random.Generator) -> list[tuple[float, float, str]]:
    """Points well inside the ward (six decimals, as police.uk publishes) with a street name each."""
    shape = shapely.from_geojson(ward.boundary)
    inner = shape.buffer(-0.0004) if not shape.buffer(-0.0004).is_empty else shape
    west, south, east, north = inner.bounds
    points = []
    while len(points) < SNAP_POINTS_PER_WARD:
        lng, lat = round(rng.uniform(west, east), 6), round(rng.uniform(south, north), 6)
        if inner.contains(shapely.Point(lng, lat)):
            name = STREETS[len(points) % len(STREETS)] if rng.random() < 0.8 else PLACES[rng.integers(len(PLACES))]
            points.append((lat, lng, f"On or near {name}"))
    return points


def _rate(slug: str, month: Month, index: int, busyness: float) -> float:
    rate = RATES[slug] * busyness
    rate *= 1 + SUMMER_PEAK.get(slug, 0) * math.cos(2 * math.pi * (month.month - 7) / 12)
    rate *= 1 + WINTER_PEAK.get(slug, 0) * math.cos(2 * math.pi * (month.month - 1) / 12)
    return rate * (1 + TREND.get(slug, 0) * index / (MONTHS - 1))


def write_archive(wards: list[Ward], force_name: str, folder: Path) -> Path:
    """Write the two years of files as data.police.uk's archive zip; return its path."""
    # The importers bring polars: imported when the demo is generated, not with this module, which every
    # process imports at start-up to register the demo step (bench/bench_startup.py).
    from .importers.frames import OUTCOMES_HEADER, STOPS_HEADER, STREET_HEADER

    rng = np.random.default_rng(demo.DEMO_SEED + 20)
    months = [LAST_MONTH.add(i - MONTHS + 1) for i in range(MONTHS)]
    places = {w.gss_code: _snap_points(w, rng) for w in wards}
    busyness = {w.gss_code: (2.0 if i == 0 else float(rng.uniform(0.6, 1.4))) for i, w in enumerate(wards)}
    pending_outcomes: dict[Month, list[list[str]]] = {}
    files: dict[str, str] = {}
    for index, month in enumerate(months):
        street, stops = [], []
        for w_index, ward in enumerate(wards):
            code = ward.gss_code
            for slug in RATES:
                for n in range(rng.poisson(_rate(slug, month, index, busyness[code]))):
                    point = rng.integers(SNAP_POINTS_PER_WARD)
                    lat, lng, location = places[code][point]
                    lsoa_code = f"E0199{w_index:02d}{point % LSOAS_PER_WARD:02d}"
                    lsoa_name = f"Demo Borough {w_index + 1:03d}{'ABCD'[point % LSOAS_PER_WARD]}"
                    crime_id = "" if slug == "anti-social-behaviour" else _crime_id(code, month, slug, n)
                    if rng.random() < 0.01:  # police.uk publishes a few crimes with no location
                        lat_s = lng_s = lsoa_code = lsoa_name = ""
                        location = "No Location"
                    else:
                        lat_s, lng_s = f"{lat:.6f}", f"{lng:.6f}"
                    outcome = ""
                    if crime_id:
                        age = len(months) - index
                        outcome = "Under investigation" if rng.random() < 2 / (age + 1) else _pick(rng, OUTCOMES)[0]
                        if index + 1 < len(months) and rng.random() < 0.5:
                            later = outcome if outcome != "Under investigation" else "Unable to prosecute suspect"
                            pending_outcomes.setdefault(months[index + 1], []).append(
                                [crime_id, str(months[index + 1]), force_name, force_name, lng_s, lat_s, location,
                                 lsoa_code, lsoa_name, later]
                            )  # fmt: skip
                    street.append(
                        [crime_id, str(month), force_name, force_name, lng_s, lat_s, location, lsoa_code, lsoa_name,
                         CATEGORY_NAMES[slug], outcome, ""]
                    )  # fmt: skip
            for _ in range(rng.poisson(6 * busyness[code] * (1 - 0.2 * index / MONTHS))):
                lat, lng, _name = places[code][rng.integers(SNAP_POINTS_PER_WARD)]
                start = dt.datetime(month.year, month.month, 1, tzinfo=dt.UTC)
                when = start + dt.timedelta(minutes=int(rng.integers(28 * 24 * 60)))
                self_defined, officer_defined, _ = _pick(rng, STOP_ETHNICITY)
                legislation, target, _ = _pick(rng, STOP_GROUNDS)
                outcome = _pick(rng, STOP_OUTCOMES)[0]
                kind = "Person search" if rng.random() < 0.9 else "Person and Vehicle search"
                stops.append(
                    [kind, when.isoformat(), "False", "", f"{lat:.6f}", f"{lng:.6f}",
                     "Male" if rng.random() < 0.88 else "Female",
                     str(rng.choice(["10-17", "18-24", "25-34", "over 34"], p=[0.15, 0.4, 0.28, 0.17])),
                     self_defined, officer_defined, legislation, target, outcome,
                     "" if outcome == "A no further action disposal" else str(rng.random() < 0.6),
                     str(rng.random() < 0.05)]
                )  # fmt: skip
        stem = f"{month}/{month}-{DEMO_FORCE}"
        files[f"{stem}-street.csv"] = _csv(STREET_HEADER, street)
        files[f"{stem}-stop-and-search.csv"] = _csv(STOPS_HEADER, sorted(stops, key=lambda r: r[1]))
        files[f"{stem}-outcomes.csv"] = _csv(OUTCOMES_HEADER, pending_outcomes.get(month, []))
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / f"{months[0]}-{LAST_MONTH}-police-data.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 1, 0, 0, 0))  # fixed, so the zip is byte-identical
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text)
    return archive


def _csv(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def generate_and_load_crime(workdir: Path, stdout: TextIO) -> None:
    """Write the demo wards' crime, outcomes and stop-and-search files and import them."""
    wards = list(
        Ward.objects.filter(is_demo=True).exclude(boundary="").select_related("borough__force").order_by("gss_code")
    )
    force = (
        next((w.borough.force for w in wards if w.borough.force_id), None)
        or Force.objects.filter(slug=DEMO_FORCE).first()
    )
    if not wards or force is None:
        raise demo.NothingToLoad("no demo wards with boundaries (or no demo force); run the areas step first.")
    if force.slug != DEMO_FORCE:
        # File names carry the force; the generator writes demo-police files only.
        raise demo.NothingToLoad(f'the demo wards belong to "{force.slug}"; demo crime is generated for {DEMO_FORCE}.')
    archive = write_archive(wards, force.name, workdir)
    from .importers.policeuk import PoliceUkImporter

    run = PoliceUkImporter(archive, commit=True, progress=False, is_demo=True).run()
    stdout.write(
        f"  crime: {run.counts.get('crime_rows', 0)} crimes, {run.counts.get('stop_rows', 0)} stops and searches, "
        f"{run.counts.get('outcome_rows', 0)} outcomes for {len(wards)} wards from {archive.name}\n"
    )


demo.register("crime", order=20, step=generate_and_load_crime)
