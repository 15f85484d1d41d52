"""The demo area: a generated borough written in the official formats and loaded by the real importers.

Demo Borough (generated) lies just outside London (north-east of Enfield) so it can never sit on
top of real wards; its codes (E09999001, E05999001…) and postcodes (ZZ1…, a postcode area Royal
Mail does not use) cannot clash with real ones. Other apps build on `demo_wards()`,
`demo_borough()` and `demo_postcodes()`; they are pure functions of DEMO_SEED.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TextIO

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Point, Polygon, mapping

from openward.core import demo

DEMO_BOROUGH_CODE = "E09999001"
DEMO_BOROUGH_NAME = "Demo Borough (generated)"
DEMO_FORCE = "demo-police"
DEMO_FORCE_NAME = "Demo Police (generated)"
DEMO_GENERATION = "2022"
# Ofcom keeps 020 7946 0000–0999 for drama; .example is reserved for examples (RFC 2606).
DEMO_TELEPHONE = "020 7946 0{:03d}"
DEMO_EMAIL_DOMAIN = "police.example"

# Centre of the borough in British National Grid metres: open country north-east of Enfield.
CENTRE_E, CENTRE_N = 552_000, 204_000
RADIUS_M = 2_600
WARD_NAMES = [
    "Ashcombe",
    "Brookfield",
    "Carrow Hill",
    "Dunmore Park",
    "Elmstead",
    "Fairlop Green",
    "Greywell",
    "Hollins Cross",
]
INCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # Royal Mail never uses C, I, K, M, O, V in the inward code.
POSTCODES_PER_WARD = 45
MIN_DISTANCE_FROM_EDGE_M = 25

_to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


@dataclass(frozen=True)
class DemoWard:
    code: str
    name: str
    outline_bng: Polygon

    @property
    def outline_wgs84(self) -> Polygon:
        return to_wgs84(self.outline_bng)

    @property
    def cluster(self) -> str:
        return "north" if self.outline_bng.centroid.y >= CENTRE_N else "south"


@dataclass(frozen=True)
class DemoPostcode:
    postcode: str
    easting: int
    northing: int
    ward_code: str
    positional_quality: int = 10


def to_wgs84(geometry):
    return shapely.transform(geometry, lambda c: np.column_stack(_to_wgs84.transform(c[:, 0], c[:, 1])))


@dataclass(frozen=True)
class DemoBorough:
    code: str
    name: str
    force: str
    outline_bng: Polygon

    @property
    def outline_wgs84(self) -> Polygon:
        return to_wgs84(self.outline_bng)


def demo_borough() -> DemoBorough:
    """The demo borough: the union of its wards (so borough and ward boundaries agree exactly)."""
    outline = shapely.union_all([w.outline_bng for w in demo_wards()])
    return DemoBorough(DEMO_BOROUGH_CODE, DEMO_BOROUGH_NAME, DEMO_FORCE, outline)


@cache
def demo_borough_outline() -> Polygon:
    """The outline the wards are cut from: star-shaped with an irregular edge, in BNG metres."""
    rng = random.Random(demo.DEMO_SEED)
    points = []
    steps = 28
    for i in range(steps):
        angle = 2 * math.pi * i / steps
        radius = RADIUS_M * rng.uniform(0.8, 1.15)
        points.append((round(CENTRE_E + radius * math.cos(angle) * 1.3), round(CENTRE_N + radius * math.sin(angle))))
    return Polygon(points)


@cache
def demo_wards() -> tuple[DemoWard, ...]:
    """The demo wards: Voronoi cells of seeded points, clipped to the borough outline."""
    rng = random.Random(demo.DEMO_SEED + 1)
    outline = demo_borough_outline()
    minx, miny, maxx, maxy = outline.bounds
    seeds = []
    while len(seeds) < len(WARD_NAMES):
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if outline.buffer(-700).contains(p) and all(p.distance(q) > 1200 for q in seeds):
            seeds.append(p)
    cells = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=outline.buffer(2000))
    wards = []
    for seed in seeds:
        cell = next(c for c in cells.geoms if c.contains(seed))
        shape = shapely.set_precision(cell.intersection(outline), 1.0)
        wards.append((seed, shape))
    # Number wards west to east, north to south, as an official list would read.
    wards.sort(key=lambda item: (-round(item[0].y, -3), item[0].x))
    return tuple(
        DemoWard(code=f"E05999{i + 1:03d}", name=f"{WARD_NAMES[i]} (demo)", outline_bng=shape)
        for i, (_, shape) in enumerate(wards)
    )


@cache
def demo_postcodes() -> tuple[DemoPostcode, ...]:
    """Postcodes at seeded points well inside their ward, so point → ward agrees with the postcode's ward."""
    rng = random.Random(demo.DEMO_SEED + 2)
    result = []
    for index, ward in enumerate(demo_wards()):
        shape = ward.outline_bng
        inner = shape.buffer(-MIN_DISTANCE_FROM_EDGE_M)
        minx, miny, maxx, maxy = inner.bounds
        incodes = set()
        while len(incodes) < POSTCODES_PER_WARD:
            incodes.add(f"{rng.randint(1, 9)}{rng.choice(INCODE_LETTERS)}{rng.choice(INCODE_LETTERS)}")
        for incode in sorted(incodes):
            while True:
                e, n = round(rng.uniform(minx, maxx)), round(rng.uniform(miny, maxy))
                if inner.contains(Point(e, n)):
                    break
            quality = 10 if rng.random() < 0.9 else rng.choice([20, 30])
            result.append(DemoPostcode(f"ZZ{index + 1} {incode}", e, n, ward.code, quality))
    return tuple(result)


def demo_terminated_postcodes() -> tuple[DemoPostcode, ...]:
    """A few demo postcodes that have been withdrawn, so the look-up can say "terminated"."""
    ward = demo_wards()[0]
    c = ward.outline_bng.representative_point()
    return tuple(DemoPostcode(f"ZZ9 {n}AB", round(c.x), round(c.y), ward.code) for n in range(1, 4))


# -- writing the official formats ---------------------------------------------------------------------
def write_codepoint_zip(path: Path) -> Path:
    """A Code-Point Open style zip: Data/CSV/zz.csv (no header), Doc/ column headers and code list."""
    from .importers.files import write_xlsx

    rows = io.StringIO()
    writer = csv.writer(rows, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    for pc in demo_postcodes():
        writer.writerow(
            [pc.postcode, pc.positional_quality, pc.easting, pc.northing, "E92000001", "E19000003", "E18000007", "",
             DEMO_BOROUGH_CODE, pc.ward_code]
        )  # fmt: skip
    headers = (
        "PC,PQ,EA,NO,CY,RH,LH,CC,DC,WC\r\n"
        "Postcode,Positional_quality_indicator,Eastings,Northings,Country_code,NHS_regional_HA_code,"
        "NHS_HA_code,Admin_county_code,Admin_district_code,Admin_ward_code\r\n"
    )
    codelist = write_xlsx(
        {
            "LBO": [[DEMO_BOROUGH_NAME, DEMO_BOROUGH_CODE]],
            "LBW": [[w.name, w.code] for w in demo_wards()],
        }
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        # A fixed timestamp keeps the zip byte-identical between runs.
        def add(name, data):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 10, 20, 0, 0, 0)), data)

        add("Data/CSV/zz.csv", rows.getvalue())
        add("Doc/Code-Point_Open_Column_Headers.csv", headers)
        add("Doc/Codelist.xlsx", codelist)
        add("Doc/licence.txt", "Generated for the Open Ward demo. Not Ordnance Survey data.\r\n")
    return path


def write_onspd_csv(path: Path) -> Path:
    """An ONS postcode directory style CSV with the demo's terminated postcodes."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["pcds", "dointr", "doterm", "oseast1m", "osnrth1m", "osward", "oslaua", "lat", "long"])
        for pc in demo_terminated_postcodes():
            lng, lat = _to_wgs84.transform(pc.easting, pc.northing)
            writer.writerow(
                [pc.postcode, "199001", "202001", pc.easting, pc.northing, pc.ward_code, DEMO_BOROUGH_CODE,
                 f"{lat:.6f}", f"{lng:.6f}"]
            )  # fmt: skip
    return path


def _feature_collection(features: list[dict]) -> str:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
            "features": features,
        },
        indent=1,
    )


def _rounded(geometry) -> dict:
    return mapping(shapely.transform(to_wgs84(geometry), lambda c: c.round(7)))


def write_ward_geojson(path: Path) -> Path:
    features = [
        {
            "type": "Feature",
            "properties": {
                "WD22CD": w.code,
                "WD22NM": w.name,
                "LAD22CD": DEMO_BOROUGH_CODE,
                "LAD22NM": DEMO_BOROUGH_NAME,
            },
            "geometry": _rounded(w.outline_bng),
        }
        for w in demo_wards()
    ]
    path.write_text(_feature_collection(features), encoding="utf-8")
    return path


def write_borough_geojson(path: Path) -> Path:
    borough = demo_borough()
    feature = {
        "type": "Feature",
        "properties": {"LAD22CD": borough.code, "LAD22NM": borough.name, "force": borough.force},
        "geometry": _rounded(borough.outline_bng),
    }
    path.write_text(_feature_collection([feature]), encoding="utf-8")
    return path


def write_forces_json(path: Path) -> Path:
    force = {
        "id": DEMO_FORCE,
        "name": DEMO_FORCE_NAME,
        "description": "<p>A generated police force for the Open Ward demo area. It is not a real force.</p>",
        "url": "",
        "telephone": DEMO_TELEPHONE.format(0),
        "engagement_methods": [],
        "listed": True,
        "gss_code": "",
    }
    path.write_text(json.dumps([force], indent=1), encoding="utf-8")
    return path


FIRST_NAMES = ["Amara", "Ben", "Chloe", "Dev", "Ewa", "Femi", "Grace", "Hassan", "Isla", "Jamal", "Kate", "Leon",
               "Maya", "Nikhil", "Olu", "Priya", "Rory", "Sana", "Tom", "Yusuf"]  # fmt: skip
LAST_NAMES = ["Adeyemi", "Brennan", "Chowdhury", "Doyle", "Evans", "Fernandes", "Gallagher", "Hussain", "Ito",
              "Jones", "Kowalski", "Lewis", "Mensah", "Novak", "O'Brien", "Patel", "Quinn", "Reid"]  # fmt: skip
STATIONS = [
    # name, ward index it stands in, opening hours
    (
        "Demo Central Police Station (generated)",
        0,
        {
            "mon": [["08:00", "20:00"]],
            "tue": [["08:00", "20:00"]],
            "wed": [["08:00", "20:00"]],
            "thu": [["08:00", "20:00"]],
            "fri": [["08:00", "20:00"]],
            "sat": [["10:00", "16:00"]],
            "sun": [],
        },
    ),
    (
        "Demo Southside Police Office (generated)",
        -1,
        {
            "mon": [["10:00", "13:00"], ["14:00", "18:00"]],
            "tue": [],
            "wed": [["10:00", "13:00"], ["14:00", "18:00"]],
            "thu": [],
            "fri": [["10:00", "13:00"], ["14:00", "18:00"]],
            "sat": [],
            "sun": [],
        },
    ),
]


def demo_stations() -> list[dict]:
    """The two stations as police.uk `locations`, with Open Ward's front counter and opening hours."""
    wards = demo_wards()
    postcodes = demo_postcodes()
    result = []
    for name, ward_index, hours in STATIONS:
        ward = wards[ward_index]
        pc = next(p for p in postcodes if p.ward_code == ward.code)
        lng, lat = _to_wgs84.transform(pc.easting, pc.northing)
        result.append(
            {
                "name": name,
                "type": "station",
                "address": f"1 High Street\n{ward.name}\n{DEMO_BOROUGH_NAME}",
                "postcode": pc.postcode,
                "latitude": f"{lat:.6f}",
                "longitude": f"{lng:.6f}",
                "description": "<p>Generated for the demo: not a real police station.</p>",
                "front_counter": True,
                "opening_hours": hours,
            }
        )
    return result


def write_teams_json(path: Path) -> Path:
    """Each ward's neighbourhood team in police.uk's neighbourhood and people shapes."""
    rng = random.Random(demo.DEMO_SEED + 3)
    stations = demo_stations()
    north_centre = shapely.union_all([w.outline_bng for w in demo_wards() if w.cluster == "north"]).centroid
    neighbourhoods = []
    phone = 1
    for ward in demo_wards():
        centre = ward.outline_wgs84.representative_point()
        slug = ward.name.split(" (")[0].lower().replace(" ", "")
        people = []
        for position in range(rng.randint(2, 4)):
            rank = ["Sergeant", "Police Constable", "Police Constable", "Police Community Support Officer"][position]
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            people.append(
                {
                    "name": f"{first} {last}",
                    "rank": rank,
                    "bio": f"<p>{first} is a generated {rank.lower()} for the {ward.name} demo team. "
                    "This person does not exist.</p>",
                    "contact_details": {
                        "email": f"{first.lower()}.{last.lower().replace(chr(39), '')}@{DEMO_EMAIL_DOMAIN}",
                        "telephone": DEMO_TELEPHONE.format(phone),
                    },
                }
            )
            phone += 1
        station = stations[0] if ward.outline_bng.distance(north_centre) < 1500 else stations[1]
        neighbourhoods.append(
            {
                "id": ward.code,
                "name": ward.name,
                "description": f"<p>The {ward.name} safer neighbourhoods team (generated for the demo).</p>",
                "url_force": "",
                "population": "0",
                "contact_details": {
                    "email": f"{slug}.snt@{DEMO_EMAIL_DOMAIN}",
                    "telephone": DEMO_TELEPHONE.format(100 + len(neighbourhoods)),
                },
                "links": [],
                "centre": {"latitude": f"{centre.y:.6f}", "longitude": f"{centre.x:.6f}"},
                "locations": [station],
                "people": people,
            }
        )
    path.write_text(json.dumps({"force": DEMO_FORCE, "neighbourhoods": neighbourhoods}, indent=1), encoding="utf-8")
    return path


def write_demo_files(workdir: Path) -> dict[str, Path]:
    workdir.mkdir(parents=True, exist_ok=True)
    return {
        "forces": write_forces_json(workdir / "forces.json"),
        "boroughs": write_borough_geojson(workdir / "demo_borough.geojson"),
        "wards": write_ward_geojson(workdir / "demo_wards_2022.geojson"),
        "codepoint": write_codepoint_zip(workdir / "codepo_gb_demo.zip"),
        "onspd": write_onspd_csv(workdir / "demo_onspd_terminated.csv"),
        "teams": write_teams_json(workdir / "demo_teams.json"),
    }


def load_demo_area(workdir: Path, stdout: TextIO | None = None) -> None:
    """Generate the demo borough's files in `workdir` and import them (commit) with the real importers."""
    from .importers import (
        BoroughBoundaryImporter,
        CodePointOpenImporter,
        ForceImporter,
        NeighbourhoodTeamImporter,
        OnsPostcodeDirectoryImporter,
        OnsWards,
    )
    from .importers.places import FORCES_FILE
    from .models import Cluster, Ward

    files = write_demo_files(workdir)
    runs = [
        ForceImporter(FORCES_FILE, commit=True, progress=False),
        ForceImporter(files["forces"], commit=True, progress=False),
        BoroughBoundaryImporter(files["boroughs"], commit=True, progress=False, demo=True),
        OnsWards(files["wards"], generation=DEMO_GENERATION, commit=True, progress=False, demo=True),
        CodePointOpenImporter(files["codepoint"], generation=DEMO_GENERATION, commit=True, progress=False, demo=True),
        OnsPostcodeDirectoryImporter(
            files["onspd"], generation=DEMO_GENERATION, commit=True, progress=False, demo=True
        ),
        NeighbourhoodTeamImporter(files["teams"], commit=True, progress=False, demo=True),
    ]
    for importer in runs:
        run = importer.run()
        if stdout is not None:
            stdout.write(f"  {importer.name}: {', '.join(f'{k} {v}' for k, v in sorted(run.counts.items()))}\n")
    borough_wards = {w.gss_code: w for w in Ward.objects.filter(borough__gss_code=DEMO_BOROUGH_CODE)}
    for side in ("north", "south"):
        cluster, _ = Cluster.objects.update_or_create(
            slug=f"demo-{side}-cluster",
            defaults={
                "name": f"Demo {side.title()} Cluster (generated)",
                "borough": next(iter(borough_wards.values())).borough,
                "description": f"The {side}ern wards of the demo borough under one ward panel (generated).",
                "is_demo": True,
            },
        )
        cluster.wards.set([borough_wards[w.code] for w in demo_wards() if w.cluster == side])


demo.register("areas", order=10, step=load_demo_area)
