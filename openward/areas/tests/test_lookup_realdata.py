"""Look-ups over the real City of London wards and Code-Point Open postcodes."""

import csv
import gzip
import json

import pyproj
import pytest
import shapely

from openward.areas import selectors
from openward.areas.models import Postcode

from .factories import BoroughFactory, ForceFactory, NeighbourhoodFactory, WardFactory

CITY = "E09000001"


@pytest.fixture(scope="module")
def city_sources(shared_data):
    """The 2025 ward boundaries, and the City's Code-Point rows with their WGS84 points, read once for the module
    (the tests only read them)."""
    features = json.loads((shared_data / "boundaries/wards/london_wards_2025_WD25_drkane.geojson").read_text())
    to_wgs84 = pyproj.Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    with gzip.open(shared_data / "lookups/postcodes/codepoint-open-2025.4_london-E09.csv.gz", "rt") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Admin_district_code"] == CITY and int(r["Eastings"])]
    points = [to_wgs84.transform(int(r["Eastings"]), int(r["Northings"])) for r in rows]
    return features, rows, points


@pytest.fixture
def city_of_london(city_sources, db):
    features, rows, points = city_sources
    force = ForceFactory(slug="city-of-london", name="City of London Police")
    borough = BoroughFactory(gss_code=CITY, name="City of London", slug="city-of-london", force=force)
    for f in features["features"]:
        if f["properties"]["LAD25CD"] == CITY:
            ward = WardFactory(
                gss_code=f["properties"]["WD25CD"],
                name=f["properties"]["WD25NM"],
                borough=borough,
                geometry=f["geometry"],
            )
            NeighbourhoodFactory(ward=ward, force=force)
    Postcode.objects.bulk_create(
        Postcode(
            compact=r["Postcode"].replace(" ", ""),
            latitude=lat,
            longitude=lng,
            ward_code=r["Admin_ward_code"],
            borough_code=CITY,
        )
        for r, (lng, lat) in zip(rows, points, strict=True)
    )
    return features, rows, points


@pytest.mark.realdata
def test_every_city_postcode_finds_the_ward_the_source_names(city_of_london):
    _, rows, _ = city_of_london
    assert len(rows) > 1000
    for r in rows:
        found = selectors.postcode_lookup(r["Postcode"].lower().replace(" ", ""))
        assert found.ward_code == r["Admin_ward_code"], r["Postcode"]
        assert (found.force_id, found.neighbourhood_id) == ("city-of-london", r["Admin_ward_code"])


@pytest.mark.realdata
def test_postcode_points_locate_the_same_neighbourhood(city_of_london):
    features, _, points = city_of_london
    city = {
        f["properties"]["WD25CD"]: shapely.from_geojson(json.dumps(f["geometry"]))
        for f in features["features"]
        if f["properties"]["LAD25CD"] == CITY
    }
    # Only points clearly inside one ward (10 m from its edge): Code-Point puts some on the boundary line.
    circles = shapely.buffer(shapely.points(points), 0.00015)
    holds = {code: shapely.contains(shape, circles) for code, shape in city.items()}
    agree = checked = 0
    for i, (lng, lat) in enumerate(points):
        inside = [code for code, held in holds.items() if held[i]]
        if len(inside) != 1:
            continue
        checked += 1
        agree += selectors.locate_neighbourhood(lat, lng) == ("city-of-london", inside[0])
    assert checked > 500
    assert agree == checked


@pytest.mark.realdata
def test_borough_map_of_real_wards_stays_small(client, city_of_london):
    features, _, _ = city_of_london
    wards = [f for f in features["features"] if f["properties"]["LAD25CD"] == CITY]
    html = client.get(f"/boroughs/{CITY}/").content.decode()
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert svg.count("<path") == len(wards) == 25
    # Simplified to half a pixel, the whole map is a few tens of kilobytes, not the source's hundreds.
    assert len(svg) < 80_000
