"""The importers on the real London files (shared data): Code-Point Open 2025.4, ward boundaries, lookups."""

import csv
import gzip
import io
import random

import numpy as np
import pytest
import shapefile

from openward.areas import geo
from openward.areas.importers import (
    BoroughBoundaryImporter,
    CodePointOpenImporter,
    ForceImporter,
    LondonBoroughsGeoJson,
    LondonWards2014Esri,
    LondonWards2018Esri,
    LsoaBoundaryImporter,
    LsoaWardLookupImporter,
    OnsPostcodeDirectoryImporter,
    OnsWards,
)
from openward.areas.models import (
    Borough,
    Cluster,
    Force,
    Lsoa,
    LsoaWard,
    Neighbourhood,
    Postcode,
    Station,
    TeamMember,
    Ward,
    WardGeneration,
)
from openward.core.models import ImportRun

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]

CODEPOINT = "lookups/postcodes/codepoint-open-2025.4_london-E09.csv.gz"
WARDS_2025 = "boundaries/wards/london_wards_2025_WD25_drkane.geojson"
SAMPLE_SEED = 20251020


def codepoint_rows(shared_data):
    """The Code-Point rows read with the csv module, independently of the importer."""
    with gzip.open(shared_data / CODEPOINT, "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


MODELS = (
    LsoaWard,
    Lsoa,
    TeamMember,
    Station,
    Neighbourhood,
    Cluster,
    Postcode,
    Ward.neighbours.through,
    Ward,
    Borough,
    WardGeneration,
    Force,
    ImportRun,
)


def remove_rows_added_since(before: dict) -> None:
    """Delete what this module committed, leaving anything that was there before it."""
    for model in MODELS:
        model.objects.exclude(pk__in=before[model]).delete()
    geo.boundaries_changed()


@pytest.fixture(scope="module")
def london(django_db_setup, django_db_blocker, shared_data):
    """All 180,446 London postcodes and the 704 wards of 2025, imported once for this module."""
    with django_db_blocker.unblock():
        before = {model: list(model.objects.values_list("pk", flat=True)) for model in MODELS}
        try:
            yield {
                "forces": ForceImporter(commit=True, progress=False).run(),
                "codepoint": CodePointOpenImporter(
                    shared_data / CODEPOINT, names=shared_data / "geo/london_wards.csv", commit=True, progress=False
                ).run(),
                "wards": OnsWards(shared_data / WARDS_2025, generation="2022", commit=True, progress=False).run(),
            }
        finally:
            remove_rows_added_since(before)


def test_every_ward_and_borough_of_the_code_point_file_is_imported(london, shared_data):
    rows = codepoint_rows(shared_data)
    assert london["codepoint"].counts["postcodes_created"] == len(rows) == 180_446
    ward_codes = {r["Admin_ward_code"] for r in rows}
    borough_codes = {r["Admin_district_code"] for r in rows}
    assert len(ward_codes) == 704 and len(borough_codes) == 33
    current = Ward.objects.filter(generation__slug="2022")
    assert set(current.values_list("gss_code", flat=True)) == ward_codes
    assert set(Borough.objects.values_list("gss_code", flat=True)) == borough_codes
    # The 2025 boundary file covers exactly the same wards, so nothing was added or left without a boundary.
    assert london["wards"].counts["wards"] == 704 and not current.filter(boundary="").exists()
    assert Ward.objects.get(gss_code="E05009288").name == "Aldersgate"
    assert Borough.objects.get(gss_code="E09000001").name == "City of London"


def test_postcode_to_ward_matches_the_code_point_row_for_2000_random_postcodes(london, shared_data):
    sample = random.Random(SAMPLE_SEED).sample(codepoint_rows(shared_data), 2000)
    stored = {
        p.compact: p for p in Postcode.objects.filter(compact__in=[r["Postcode"].replace(" ", "") for r in sample])
    }
    wards = {w.gss_code: w for w in Ward.objects.filter(generation__slug="2022").select_related("borough")}
    agree = 0
    for row in sample:
        pc = stored[row["Postcode"].replace(" ", "")]
        ward = wards[pc.ward_code]
        agree += (ward.gss_code, ward.borough.gss_code, pc.easting) == (
            row["Admin_ward_code"],
            row["Admin_district_code"],
            int(row["Eastings"]),
        )
    assert agree == 2000


def test_point_in_ward_agrees_with_the_postcode_ward_for_quality_10_postcodes(london):
    rows = list(Postcode.objects.filter(positional_quality=10).values_list("latitude", "longitude", "ward_code"))
    lats, lngs, codes = (np.array(c) for c in zip(*rows, strict=True))
    generation = WardGeneration.objects.get(slug="2022")
    ward_ids = geo.locate_ward_ids(lats, lngs, generation=generation)
    code_of = dict(Ward.objects.filter(generation=generation).values_list("id", "gss_code"))
    located = np.array([code_of.get(int(i), "") for i in ward_ids])
    share = float((located == codes).mean())
    print(f"\npoint → ward agrees with the postcode's ward for {share:.2%} of {len(rows):,} quality-10 postcodes")
    assert share >= 0.99
    # And the police.uk neighbourhood of that ward is the Met's (or the City's) with the same code.
    nbhd = dict(Neighbourhood.objects.values_list("code", "force__slug"))
    assert {nbhd[c] for c in set(codes)} == {"metropolitan", "city-of-london"}
    assert sum(1 for c in nbhd if nbhd[c] == "city-of-london") == 25


def test_every_london_ward_has_neighbours_within_its_borough_or_across(london):
    counts = [w.neighbours.count() for w in Ward.objects.filter(generation__slug="2022")]
    assert min(counts) >= 1
    assert 4 <= sum(counts) / len(counts) <= 8
    through = Ward.neighbours.through.objects
    assert through.count() == 2 * london["wards"].counts["neighbour_pairs"]


def test_onspd_style_file_adds_lsoas_and_keeps_code_point_quality(london, shared_data):
    run = OnsPostcodeDirectoryImporter(shared_data / "geo/london_postcodes.csv.gz", commit=True, progress=False).run()
    assert not run.problems and run.counts["rows_read"] == 180_754
    pc = Postcode.objects.get(compact="SW1A1AA")
    assert (pc.ward_code, pc.lsoa11_code, pc.positional_quality, pc.source) == ("E05013806", "E01004736", 10, "onspd")
    with gzip.open(shared_data / "geo/london_postcodes.csv.gz", "rt", encoding="utf-8") as fh:
        with_lsoa = sum(1 for r in csv.DictReader(fh) if r["lsoa11cd"])
    assert Postcode.objects.filter(source="onspd").exclude(lsoa11_code="").count() == with_lsoa


def test_2014_and_2018_ward_shapefiles_with_their_prj(london, shared_data):
    for importer, folder, slug in (
        (LondonWards2014Esri, "london-wards-2014", "2014"),
        (LondonWards2018Esri, "london-wards-2018", "2018"),
    ):
        path = shared_data / "boundaries/wards" / folder / "London_Ward.shp"
        with shapefile.Reader(str(path)) as reader:
            expected = {r["GSS_CODE"] for r in reader.records()}
        run = importer(path, progress=False).run()
        assert run.status == ImportRun.Status.DRY_RUN, run.problems
        assert run.counts["wards"] == len(expected)
        # Only the 2014 file needs its declared repair (two rings touching themselves in Kensington and Chelsea).
        assert run.counts.get("geometries_repaired", 0) == (2 if slug == "2014" else 0)


def test_ons_lsoa11_to_ward2018_lookup(london, shared_data):
    LondonWards2018Esri(
        shared_data / "boundaries/wards/london-wards-2018/London_Ward.shp", commit=True, progress=False
    ).run()
    path = shared_data / "lookups/ons_lsoa11_to_ward2018_to_lad2018_EW_v3.csv.gz"
    run = LsoaWardLookupImporter(path, commit=True, progress=False).run()
    with gzip.open(path, "rt") as fh:
        london_rows = [r for r in csv.DictReader(fh) if r["LAD18CD"].startswith("E09")]
    assert run.counts["links"] == len(london_rows) == 4835
    assert LsoaWard.objects.filter(ward__generation__slug="2018").count() == 4835


def test_forces_cover_every_police_force_area(shared_data):
    ForceImporter(commit=True, progress=False).run()
    with open(shared_data / "lookups/ons_pfa2019_names_codes_UK.csv", encoding="utf-8") as fh:
        areas = {r["PFA19CD"]: r["PFA19NM"] for r in csv.DictReader(io.StringIO(fh.read()))}
    england_wales = {code: name for code, name in areas.items() if code[0] in "EW"}
    ours = dict(Force.objects.exclude(gss_code="").values_list("gss_code", "name"))
    assert set(ours) == set(england_wales)
    for code, name in england_wales.items():
        assert name.split()[0] in ours[code], (code, name, ours[code])


def test_borough_boundaries_replace_code_list_names(london, shared_data):
    assert Borough.objects.get(gss_code="E09000006").name == "Bromley"  # from the 2025 ward file's LAD25NM
    run = LondonBoroughsGeoJson(shared_data / "boundaries/boroughs/london_boroughs.geojson", commit=True).run()
    assert run.counts["boroughs"] == 33 and run.counts["geometries_repaired"] == 2
    shp = BoroughBoundaryImporter(shared_data / "boundaries/boroughs/london-2021-lad22-gen20.shp", commit=True).run()
    assert shp.counts["boroughs"] == 33 and "geometries_repaired" not in shp.counts
    city = Borough.objects.get(gss_code="E09000001")
    assert city.name == "City of London" and city.force.slug == "city-of-london"
    assert city.min_lat < 51.515 < city.max_lat and city.min_lng < -0.09 < city.max_lng


def test_lsoa_2011_boundaries_from_their_shapefile(london, shared_data):
    path = shared_data / "boundaries/lsoa2011/london-2011-lsoa-gen20.shp"
    run = LsoaBoundaryImporter(path, census_year=2011, progress=False).run()
    assert run.counts["lsoas_created"] == 4835 and not run.problems


def test_derived_lsoa11_to_2025_ward_lookup(london, shared_data):
    path = shared_data / "geo/london_lsoa11_to_ward.csv"
    run = LsoaWardLookupImporter(path, commit=True, progress=False).run()
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert run.counts["links"] == len(rows)
    first = rows[0]
    link = LsoaWard.objects.get(lsoa__gss_code=first["lsoa11cd"], ward__generation__slug="2022")
    assert (link.ward.gss_code, link.share) == (first["ward_code"], float(first["share_of_postcodes"]))
