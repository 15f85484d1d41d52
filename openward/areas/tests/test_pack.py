"""The London places pack: rebuilt from the official files it is the same, it is checked on load, it loads London."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from io import StringIO

import numpy as np
import pytest
import shapely
from django.conf import settings
from django.core.management import call_command
from pyproj import Transformer

from openward.areas import pack, selectors
from openward.areas.importers.pack import PlacesPackImporter
from openward.areas.models import Borough, LsoaWard, Postcode, Ward
from openward.core.importers.base import ImportFailed
from openward.core.models import ImportRun

PACK = settings.PLACES_PACK_DIR
FULL_WARDS = "boundaries/wards/london_wards_2025_WD25_drkane.geojson"
CODEPOINT = "lookups/postcodes/codepoint-open-2025.4_london-E09.csv.gz"
LSOAS = "boundaries/lsoa2021/london-2021-lsoa-gen20.shp"

# Checked by hand against the ward maps of each borough, not derived from the pack's own files.
HAND_CHECKED = {
    "SW1A 1AA": ("E05013806", "St James's", "E09000033", "metropolitan"),  # Buckingham Palace
    "SW1A 0AA": ("E05013806", "St James's", "E09000033", "metropolitan"),  # Houses of Parliament
    "EC2V 7HH": ("E05009290", "Bassishaw", "E09000001", "city-of-london"),  # Guildhall
    "BR1 1AA": ("E05013991", "Bromley Town", "E09000006", "metropolitan"),  # Bromley High Street
}


def manifest() -> dict:
    return json.loads((PACK / pack.MANIFEST).read_text())


def codepoint_points(shared_data) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Code-Point Open's postcodes, ward codes and WGS84 points, read with the csv module and pyproj alone."""
    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    with gzip.open(shared_data / CODEPOINT, "rt", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if int(r["Eastings"]) > 0]
    lngs, lats = to_wgs84.transform([float(r["Eastings"]) for r in rows], [float(r["Northings"]) for r in rows])
    return [r["Postcode"] for r in rows], [r["Admin_ward_code"] for r in rows], np.array(lngs), np.array(lats)


@pytest.fixture(scope="module")
def code_point(shared_data) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Code-Point Open read once for the tests that check the pack against it (they only read it)."""
    return codepoint_points(shared_data)


@pytest.fixture(scope="module")
def pack_postcodes() -> list[dict]:
    """The committed pack's postcode rows, read once with the csv module (the tests only read them)."""
    with gzip.open(PACK / pack.FILES["postcodes"], "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def ward_shapes(path) -> tuple[list[str], np.ndarray]:
    features = json.loads(path.read_text())["features"]
    codes = [f["properties"].get("code") or f["properties"].get("WD25CD") for f in features]
    return codes, np.array([shapely.geometry.shape(f["geometry"]) for f in features], dtype=object)


def containing(codes: list[str], shapes: np.ndarray, lngs, lats) -> list[str | None]:
    """The code of the shape covering each point (the first code in order when several do), by shapely's
    covered-by predicate over the candidates a tree offers: not the pack's own `locate`."""
    tree = shapely.STRtree(shapes)
    point_idx, shape_idx = tree.query(shapely.points(lngs, lats), predicate="covered_by")
    found: list[str | None] = [None] * len(lngs)
    for point, code in zip(point_idx.tolist(), np.array(codes, dtype=object)[shape_idx], strict=True):
        if found[point] is None or code < found[point]:
            found[point] = code
    return found


# -- the committed pack -----------------------------------------------------------------------------------
def test_committed_pack_passes_its_own_checksums():
    assert len(pack.verify(PACK)) == 64
    sums = dict(reversed(line.split("  ")) for line in (PACK / pack.CHECKSUMS).read_text().splitlines())
    assert set(sums) == set(pack.FILES.values())
    assert manifest()["simplify_tolerance_m"] == pack.SIMPLIFY_TOLERANCE_M
    size = sum((PACK / name).stat().st_size for name in pack.FILES.values())
    assert size < 6_000_000, f"the pack is {size:,} bytes; it should stay a few MB"


def test_no_crime_data_is_bundled():
    assert {p.name for p in PACK.iterdir()} == {*pack.FILES.values(), pack.CHECKSUMS, "README.md"}


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda folder: _flip_byte(folder / "postcodes.csv.gz"), "postcodes.csv.gz is damaged"),
        (lambda folder: _cut(folder / "wards.geojson"), "wards.geojson is damaged"),
        (lambda folder: (folder / "lsoa21_to_ward.csv").unlink(), "lsoa21_to_ward.csv is missing"),
        (lambda folder: (folder / pack.CHECKSUMS).unlink(), "SHA256SUMS is missing"),
    ],
)
def test_a_damaged_pack_is_refused_and_changes_nothing(db, tmp_path, damage, named):
    folder = tmp_path / "london"
    shutil.copytree(PACK, folder)
    damage(folder)
    with pytest.raises(ImportFailed) as failed:
        PlacesPackImporter(folder, commit=True).run()
    assert named in str(failed.value)
    assert "Restore the pack folder from git" in str(failed.value)
    assert not Ward.objects.exists() and not Postcode.objects.exists() and not Borough.objects.exists()
    run = ImportRun.objects.get()
    assert (run.importer, run.status) == ("places-pack", ImportRun.Status.FAILED)


def _flip_byte(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _cut(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 1000])


def test_the_pack_loads_real_london_in_one_recorded_run(db):
    expected = manifest()["counts"]
    call_command("load_places_pack", str(PACK), "--commit", stdout=StringIO())
    run = ImportRun.objects.get(importer="places-pack")
    assert run.status == ImportRun.Status.COMMITTED
    assert run.counts["postcodes_postcodes_created"] == expected["postcodes"]

    boroughs = Borough.objects.filter(gss_code__startswith="E09").select_related("force")
    assert boroughs.count() == 33
    forces = {b.gss_code: b.force.slug for b in boroughs}
    assert forces.pop("E09000001") == "city-of-london"
    assert set(forces.values()) == {"metropolitan"}
    assert Ward.objects.filter(generation__slug="2022").count() == expected["wards"]
    # Every ward is a police.uk neighbourhood of its borough's force, and has neighbours.
    for ward in Ward.objects.select_related("borough__force").prefetch_related("neighbourhoods__force"):
        assert [n.force.slug for n in ward.neighbourhoods.all()] == [ward.borough.force.slug], ward.gss_code
    assert not Ward.objects.filter(neighbours__isnull=True).exists()
    assert Postcode.objects.live().filter(is_demo=False).count() == expected["postcodes"]
    assert not Postcode.objects.filter(lsoa21_code="").exclude(latitude__isnull=True).exists()
    assert LsoaWard.objects.filter(lsoa__census_year=2021).count() == expected["lsoas"]

    for written, (ward_code, ward_name, borough_code, force) in HAND_CHECKED.items():
        found = selectors.postcode_lookup(written.lower().replace(" ", ""))
        assert (found.ward_code, found.ward_name, found.borough_code, found.force_id) == (
            ward_code,
            ward_name,
            borough_code,
            force,
        ), written
        assert found.neighbourhood_id == ward_code and not found.is_demo
        assert selectors.locate_neighbourhood(found.latitude, found.longitude) == (force, ward_code), written

    out = StringIO()
    call_command("load_places_pack", str(PACK), "--commit", "--unless-loaded", stdout=out)
    assert "already loaded" in out.getvalue()
    assert ImportRun.objects.filter(importer="places-pack").count() == 1


# -- against the official files in ../shared/data ---------------------------------------------------------
@pytest.mark.realdata
def test_rebuilding_the_pack_from_the_official_files_gives_the_committed_pack(shared_data, tmp_path):
    sources = pack.Sources(shared_data / FULL_WARDS, shared_data / CODEPOINT, shared_data / LSOAS)
    built = pack.build_pack(sources, tmp_path / "london", log=lambda message: None)
    assert built == manifest()
    for name in [*pack.FILES.values(), pack.CHECKSUMS]:
        assert (tmp_path / "london" / name).read_bytes() == (PACK / name).read_bytes(), name


@pytest.mark.realdata
def test_simplified_wards_place_real_postcodes_as_the_full_boundaries_do(shared_data, code_point):
    _, _, lngs, lats = code_point
    full = containing(*ward_shapes(shared_data / FULL_WARDS), lngs, lats)
    simple = containing(*ward_shapes(PACK / pack.FILES["wards"]), lngs, lats)
    agreement = np.mean([a == b for a, b in zip(full, simple, strict=True)])
    assert len(lngs) > 180_000
    assert agreement >= pack.MIN_AGREEMENT
    assert agreement == pytest.approx(manifest()["postcode_agreement"], abs=2e-6)


@pytest.mark.realdata
def test_pack_postcodes_keep_code_point_positions_and_wards(code_point, pack_postcodes):
    names, wards, lngs, lats = code_point
    rows = {r["pcds"]: r for r in pack_postcodes}
    assert len(rows) == len(names)
    packed = [rows[name] for name in names]
    moved_ward = [
        (name, row["osward"], ward)
        for name, ward, row in zip(names, wards, packed, strict=True)
        if row["osward"] != ward
    ]
    assert not moved_ward, moved_ward[:10]
    # Within 2e-6 degrees of Code-Point's own position, compared as whole columns (a NaN is never within).
    lat = np.array([float(row["lat"]) for row in packed])
    lng = np.array([float(row["long"]) for row in packed])
    moved = np.flatnonzero(~((np.abs(lat - lats) <= 2e-6) & (np.abs(lng - lngs) <= 2e-6)))
    assert not moved.size, [(names[i], (lat[i], lng[i]), (lats[i], lngs[i])) for i in moved[:10]]


@pytest.mark.realdata
def test_pack_lsoas_are_the_lsoas_holding_the_postcodes(shared_data, pack_postcodes):
    import shapefile

    reader = shapefile.Reader(str(shared_data / LSOAS))
    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    codes, shapes = [], []
    for record, shp in zip(reader.records(), reader.shapes(), strict=True):
        geometry = shapely.geometry.shape(shp.__geo_interface__)
        codes.append(record["LSOA21CD"])
        shapes.append(shapely.transform(geometry, lambda c: np.column_stack(to_wgs84.transform(c[:, 0], c[:, 1]))))
    sample = pack_postcodes[::97]
    found = containing(
        codes, np.array(shapes, dtype=object), [float(r["long"]) for r in sample], [float(r["lat"]) for r in sample]
    )
    inside = [(r["lsoa21"], f) for r, f in zip(sample, found, strict=True) if f is not None]
    assert len(inside) > 0.99 * len(sample)
    assert all(pack_lsoa == lsoa for pack_lsoa, lsoa in inside)
