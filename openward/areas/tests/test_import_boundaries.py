"""Boundary importers: GeoJSON and shapefiles in any CRS, neighbours, neighbourhoods, bad input."""

import json
from datetime import date

import pytest
import shapefile
import shapely
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pyproj import CRS, Transformer
from shapely.geometry import box, mapping

from openward.areas import demo_data
from openward.areas.importers import (
    BoroughBoundaryImporter,
    LsoaBoundaryImporter,
    OnsWards,
    WardBoundaryImporter,
)
from openward.areas.models import Borough, Lsoa, Neighbourhood, Ward
from openward.core.importers.base import ImportFailed

pytestmark = pytest.mark.django_db

to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
to_wgs = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": mapping(geometry)}


def write_geojson(path, features, crs=None):
    data = {"type": "FeatureCollection", "features": features}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(data))
    return path


def ward_props(code, name, borough="E09000007", borough_name="Camden"):
    return {"WD22CD": code, "WD22NM": name, "LAD22CD": borough, "LAD22NM": borough_name}


def squares(gap_degrees):
    """Two 0.01° squares side by side in Camden, `gap_degrees` apart."""
    a = box(-0.15, 51.54, -0.14, 51.55)
    b = box(-0.14 + gap_degrees, 51.54, -0.13 + gap_degrees, 51.55)
    return a, b


def test_demo_ward_geojson_stores_boundaries_boxes_and_centres(tmp_path):
    run = OnsWards(demo_data.write_ward_geojson(tmp_path / "w.geojson"), commit=True).run()
    assert run.counts["wards"] == len(demo_data.demo_wards())
    for demo_ward in demo_data.demo_wards():
        ward = Ward.objects.get(gss_code=demo_ward.code)
        stored = shapely.from_geojson(ward.boundary)
        expected = demo_ward.outline_wgs84
        assert stored.symmetric_difference(expected).area < expected.area * 1e-4
        assert (ward.min_lng, ward.min_lat, ward.max_lng, ward.max_lat) == pytest.approx(expected.bounds, abs=1e-6)
        assert stored.contains(shapely.Point(ward.centre_lng, ward.centre_lat))
        assert (ward.generation.slug, ward.valid_from, ward.valid_to) == ("2022", date(2022, 5, 5), None)


def test_neighbours_are_the_wards_that_share_an_edge(tmp_path):
    OnsWards(demo_data.write_ward_geojson(tmp_path / "w.geojson"), commit=True).run()
    outlines = {w.code: w.outline_bng for w in demo_data.demo_wards()}
    for code, outline in outlines.items():
        # Independent check in metres: a shared edge of more than a metre.
        expected = {other for other, o in outlines.items() if other != code and outline.intersection(o).length > 1}
        stored = set(Ward.objects.get(gss_code=code).neighbours.values_list("gss_code", flat=True))
        assert stored == expected, code


@pytest.mark.parametrize(("gap", "neighbours"), [(0.0, True), (0.00005, True), (0.001, False)])
def test_neighbours_tolerate_slivers_from_generalised_boundaries(tmp_path, gap, neighbours):
    a, b = squares(gap)
    source = write_geojson(
        tmp_path / "w.geojson", [feature(ward_props("E05000001", "A"), a), feature(ward_props("E05000002", "B"), b)]
    )
    OnsWards(source, commit=True).run()
    linked = Ward.objects.get(gss_code="E05000001").neighbours.filter(gss_code="E05000002").exists()
    assert linked is neighbours


def test_each_ward_becomes_a_police_uk_neighbourhood_city_wards_for_the_city_police(tmp_path):
    a, b = squares(0)
    source = write_geojson(
        tmp_path / "w.geojson",
        [
            feature(ward_props("E05000129", "Camden Town", "E09000007", "Camden"), a),
            feature(ward_props("E05009288", "Aldersgate", "E09000001", "City of London"), b),
        ],
    )
    OnsWards(source, commit=True).run()
    met = Neighbourhood.objects.get(code="E05000129")
    city = Neighbourhood.objects.get(code="E05009288")
    assert (met.force.slug, met.name, met.ward.gss_code) == ("metropolitan", "Camden Town", "E05000129")
    assert city.force.slug == "city-of-london"
    assert Borough.objects.get(gss_code="E09000001").force.slug == "city-of-london"


def test_a_ward_code_kept_across_generations_is_one_neighbourhood(tmp_path):
    a, _ = squares(0)
    old = write_geojson(
        tmp_path / "2014.geojson", [feature(ward_props("E05000129", "Camden Town with Primrose Hill"), a)]
    )
    new = write_geojson(tmp_path / "2022.geojson", [feature(ward_props("E05000129", "Camden Town"), a)])
    OnsWards(new, generation="2022", commit=True).run()
    OnsWards(old, generation="2014", commit=True).run()
    assert Ward.objects.filter(gss_code="E05000129").count() == 2
    nbhd = Neighbourhood.objects.get(code="E05000129")
    assert (nbhd.ward.generation.slug, nbhd.name) == ("2022", "Camden Town")
    assert (nbhd.valid_from, nbhd.valid_to) == (date(2014, 5, 22), None)


def test_importing_the_same_wards_again_rewrites_no_neighbourhood_but_counts_them(tmp_path):
    a, b = squares(0)
    source = write_geojson(
        tmp_path / "w.geojson", [feature(ward_props("E05000001", "A"), a), feature(ward_props("E05000002", "B"), b)]
    )
    first = OnsWards(source, commit=True).run()
    with CaptureQueriesContext(connection) as captured:
        again = OnsWards(source, commit=True).run()
    assert first.counts["neighbourhoods"] == again.counts["neighbourhoods"] == 2
    assert not [q["sql"] for q in captured if q["sql"].startswith('UPDATE "areas_neighbourhood"')]
    renamed = write_geojson(
        tmp_path / "w2.geojson",
        [feature(ward_props("E05000001", "A renamed"), a), feature(ward_props("E05000002", "B"), b)],
    )
    OnsWards(renamed, commit=True).run()
    assert sorted(Neighbourhood.objects.values_list("code", "name")) == [("E05000001", "A renamed"), ("E05000002", "B")]


def write_shapefile(path, records, geometries, *, crs="EPSG:27700", encoding="utf-8", prj=True):
    with shapefile.Writer(str(path), shapeType=shapefile.POLYGON, encoding=encoding) as w:
        w.field("GSS_CODE", "C", size=9)
        w.field("NAME", "C", size=60)
        w.field("LAGSSCODE", "C", size=9)
        for record, geometry in zip(records, geometries, strict=True):
            w.record(*record)
            w.shape(mapping(geometry))
    if prj:
        path.with_suffix(".prj").write_text(CRS.from_user_input(crs).to_wkt("WKT1_ESRI"))
    return path.with_suffix(".shp")


def bng_square(e, n, size=500):
    return box(e, n, e + size, n + size)


def test_a_british_national_grid_shapefile_is_reprojected_from_its_prj(tmp_path):
    shp = write_shapefile(
        tmp_path / "London_Ward", [("E05000129", "Camden Town", "E09000007")], [bng_square(529000, 184000)]
    )
    WardBoundaryImporter(shp, generation="2018", commit=True).run()
    ward = Ward.objects.get(gss_code="E05000129")
    lng, lat = to_wgs.transform(529250, 184250)
    assert (ward.centre_lng, ward.centre_lat) == pytest.approx((lng, lat), abs=1e-6)
    assert ward.generation.slug == "2018" and ward.borough.gss_code == "E09000007"


def test_a_shapefile_without_its_prj_is_refused(tmp_path):
    shp = write_shapefile(
        tmp_path / "w", [("E05000129", "Camden Town", "E09000007")], [bng_square(529000, 184000)], prj=False
    )
    with pytest.raises(ImportFailed, match=r"w\.prj is missing, so the coordinate system is unknown"):
        WardBoundaryImporter(shp, commit=True).run()
    assert Ward.objects.count() == 0


def test_a_shapefile_with_latin1_names_and_no_cpg_is_refused_naming_the_feature(tmp_path):
    shp = write_shapefile(
        tmp_path / "w",
        [("E05000129", "Camden Town", "E09000007"), ("E05000130", "Café Quarter", "E09000007")],
        [bng_square(529000, 184000), bng_square(529500, 184000)],
        encoding="latin-1",
    )
    with pytest.raises(ImportFailed) as info:
        WardBoundaryImporter(shp, commit=True).run()
    assert "w.shp, feature 2" in str(info.value) and "not utf-8 text" in str(info.value) and ".cpg" in str(info.value)
    assert Ward.objects.count() == 0


def test_invalid_geometry_names_the_feature_and_imports_nothing(tmp_path):
    bow_tie = shapely.Polygon([(-0.15, 51.54), (-0.14, 51.55), (-0.14, 51.54), (-0.15, 51.55)])
    good, _ = squares(0)
    source = write_geojson(
        tmp_path / "w.geojson",
        [feature(ward_props("E05000001", "Good"), good), feature(ward_props("E05000002", "Twisted"), bow_tie)],
    )
    with pytest.raises(ImportFailed) as info:
        OnsWards(source, commit=True).run()
    [problem] = info.value.problems
    assert problem.where.endswith("w.geojson, feature 2 (E05000002 Twisted)")
    assert "Self-intersection" in problem.message
    assert Ward.objects.count() == 0
    OnsWards(source, commit=True, repair_geometry=True).run()
    assert Ward.objects.count() == 2


def test_a_truncated_geojson_is_refused_with_its_line(tmp_path):
    text = demo_data.write_ward_geojson(tmp_path / "w.geojson").read_text()
    cut = tmp_path / "cut.geojson"
    cut.write_text(text[: len(text) // 2])
    with pytest.raises(ImportFailed, match=r"cut\.geojson, line \d+: this is not valid JSON"):
        OnsWards(cut, commit=True).run()
    assert Ward.objects.count() == 0


def test_metres_in_a_geojson_without_a_crs_are_refused(tmp_path):
    source = write_geojson(tmp_path / "w.geojson", [feature(ward_props("E05000001", "A"), bng_square(529000, 184000))])
    with pytest.raises(ImportFailed, match="do not say its CRS|does not say its CRS"):
        OnsWards(source, commit=True).run()
    projected = write_geojson(
        tmp_path / "bng.geojson", [feature(ward_props("E05000001", "A"), bng_square(529000, 184000))], crs="EPSG:27700"
    )
    OnsWards(projected, commit=True).run()
    corners_lng, corners_lat = to_wgs.transform([529000, 529500, 529500, 529000], [184000, 184000, 184500, 184500])
    assert Ward.objects.get().min_lat == pytest.approx(min(corners_lat), abs=1e-6)


def test_missing_code_attribute_is_refused_saying_which_names_were_expected(tmp_path):
    a, _ = squares(0)
    source = write_geojson(tmp_path / "w.geojson", [feature({"ward": "E05000001", "LAD22CD": "E09000007"}, a)])
    with pytest.raises(ImportFailed, match=r"no code attribute: expected one of WD\\d\\dCD"):
        OnsWards(source, commit=True).run()


def test_borough_geojson_sets_names_and_force(tmp_path):
    call_command("import_forces", demo_data.write_forces_json(tmp_path / "forces.json"), "--commit")
    BoroughBoundaryImporter(demo_data.write_borough_geojson(tmp_path / "b.geojson"), commit=True, demo=True).run()
    borough = Borough.objects.get(gss_code=demo_data.DEMO_BOROUGH_CODE)
    assert (borough.name, borough.force.slug, borough.is_demo) == (demo_data.DEMO_BOROUGH_NAME, "demo-police", True)
    assert borough.boundary and borough.min_lat < borough.centre_lat < borough.max_lat


def test_lsoa_shapefile_for_a_census_year(tmp_path):
    path = tmp_path / "lsoa"
    with shapefile.Writer(str(path), shapeType=shapefile.POLYGON) as w:
        w.field("LSOA11CD", "C", size=9)
        w.field("LSOA11NM", "C", size=40)
        w.field("LAD11CD", "C", size=9)
        w.record("E01000001", "City of London 001A", "E09000001")
        w.shape(mapping(bng_square(532000, 181500, 300)))
    path.with_suffix(".prj").write_text(CRS.from_epsg(27700).to_wkt("WKT1_ESRI"))
    run = LsoaBoundaryImporter(path.with_suffix(".shp"), census_year=2011, commit=True).run()
    lsoa = Lsoa.objects.get()
    assert (lsoa.gss_code, lsoa.census_year, lsoa.name, lsoa.borough_code) == (
        "E01000001",
        2011,
        "City of London 001A",
        "E09000001",
    )
    assert run.counts["lsoas_created"] == 1


def test_import_boundaries_command(tmp_path, capsys):
    source = demo_data.write_ward_geojson(tmp_path / "w.geojson")
    call_command("import_boundaries", str(source), "--source", "ons-wards")
    assert "dry run" in capsys.readouterr().out and Ward.objects.count() == 0
    call_command("import_boundaries", str(source), "--source", "ons-wards", "--commit")
    assert Ward.objects.count() == len(demo_data.demo_wards())
    with pytest.raises(CommandError, match="no code attribute"):
        call_command("import_boundaries", str(source), "--source", "boroughs", "--code-field", "nope")


def test_a_truncated_shapefile_is_refused_and_existing_wards_are_untouched(tmp_path):
    OnsWards(demo_data.write_ward_geojson(tmp_path / "w.geojson"), commit=True).run()
    before = sorted(Ward.objects.values_list("gss_code", "name", "boundary"))
    shp = write_shapefile(
        tmp_path / "cut",
        [("E05000129", "Camden Town", "E09000007"), ("E05000130", "Kentish Town", "E09000007")],
        [bng_square(529000, 184000), bng_square(529500, 184000)],
    )
    whole = shp.read_bytes()
    shp.write_bytes(whole[: len(whole) - 40])
    with pytest.raises(ImportFailed) as info:
        WardBoundaryImporter(shp, commit=True).run()
    assert "cut.shp" in str(info.value) and ("cut short" in str(info.value) or "cannot be opened" in str(info.value))
    assert sorted(Ward.objects.values_list("gss_code", "name", "boundary")) == before
