"""LSOA → ward lookups, the forces reference file and neighbourhood team files."""

import json

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import box, mapping

from openward.areas import demo_data
from openward.areas.importers import (
    BoroughBoundaryImporter,
    ForceImporter,
    LsoaWardLookupImporter,
    NeighbourhoodTeamImporter,
    OnsWards,
)
from openward.areas.importers.lookups import generation_for_ward_column
from openward.areas.models import Force, Lsoa, LsoaWard, Neighbourhood, Station, TeamMember
from openward.core.importers.base import ImportFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def camden_2018_wards(tmp_path):
    features = [
        {
            "type": "Feature",
            "properties": {"WD18CD": code, "WD18NM": name, "LAD18CD": "E09000007", "LAD18NM": "Camden"},
            "geometry": mapping(box(-0.15 + i * 0.01, 51.54, -0.14 + i * 0.01, 51.55)),
        }
        for i, (code, name) in enumerate([("E05000128", "Bloomsbury"), ("E05000129", "Camden Town with Primrose Hill")])
    ]
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    OnsWards(path, generation="2018", commit=True).run()


ONS_LOOKUP = (
    "LSOA11CD,LSOA11NM,WD18CD,WD18NM,WD18NMW,LAD18CD,LAD18NM,FID\n"
    "E01000855,Camden 025A,E05000128,Bloomsbury,,E09000007,Camden,1\n"
    "E01000856,Camden 025B,E05000128,Bloomsbury,,E09000007,Camden,2\n"
    "E01000900,Camden 010A,E05000129,Camden Town with Primrose Hill,,E09000007,Camden,3\n"
    "E01000104,Barking and Dagenham 014B,E05000041,Village,,E09000002,Barking and Dagenham,4\n"
)


def test_ward_column_names_say_which_generation():
    assert [generation_for_ward_column(c) for c in ("WD14CD", "WD18CD", "WD19CD", "WD22CD", "WD25CD")] == [
        "2014",
        "2018",
        "2018",
        "2022",
        "2022",
    ]


def test_ons_lookup_links_lsoas_to_wards_of_its_generation_and_skips_other_boroughs(tmp_path, camden_2018_wards):
    path = tmp_path / "lookup.csv"
    path.write_text(ONS_LOOKUP)
    run = LsoaWardLookupImporter(path, commit=True).run()
    links = sorted(LsoaWard.objects.values_list("lsoa__gss_code", "ward__gss_code", "ward__generation__slug"))
    assert links == [
        ("E01000855", "E05000128", "2018"),
        ("E01000856", "E05000128", "2018"),
        ("E01000900", "E05000129", "2018"),
    ]
    assert Lsoa.objects.get(gss_code="E01000855").name == "Camden 025A"
    assert run.counts["rows_outside_our_boroughs"] == 1
    LsoaWardLookupImporter(path, commit=True).run()
    assert LsoaWard.objects.count() == 3


def test_derived_lookup_with_shares(tmp_path, camden_2018_wards):
    path = tmp_path / "derived.csv"
    path.write_text("lsoa11cd,ward_code,share_of_postcodes\nE01000855,E05000128,0.667\n")
    LsoaWardLookupImporter(path, generation="2018", commit=True).run()
    link = LsoaWard.objects.get()
    assert (link.share, link.lsoa.census_year, link.source) == (0.667, 2011, "derived.csv")


def test_a_lookup_naming_an_unknown_ward_imports_nothing(tmp_path, camden_2018_wards):
    path = tmp_path / "lookup.csv"
    path.write_text(ONS_LOOKUP + "E01000901,Camden 010B,E05009999,Nowhere,,E09000007,Camden,5\n")
    with pytest.raises(ImportFailed, match=r"lookup.csv, line 6: ward E05009999 is not among"):
        LsoaWardLookupImporter(path, commit=True).run()
    assert LsoaWard.objects.count() == 0 and Lsoa.objects.count() == 0


def test_a_lookup_cut_short_in_its_last_row_is_refused(tmp_path, camden_2018_wards):
    path = tmp_path / "derived.csv"
    path.write_text("lsoa11cd,ward_code,share_of_postcodes\nE01000855,E05000128,0.667\nE01000856,E05000128,0.6")
    with pytest.raises(CommandError, match=r"derived.csv, line 3: the last line does not end with a line break"):
        call_command("import_lsoa_ward_lookup", str(path), "--generation", "2018", "--commit")
    assert LsoaWard.objects.count() == 0


def test_a_file_with_nothing_to_import_is_refused(tmp_path, camden_2018_wards):
    path = tmp_path / "lookup.csv"
    path.write_text(ONS_LOOKUP.split("\n", 1)[0] + "\n")
    with pytest.raises(CommandError, match="lookup.csv: nothing in it can be imported, so nothing was changed"):
        call_command("import_lsoa_ward_lookup", str(path), "--commit")


def test_import_lsoa_ward_lookup_command(tmp_path, camden_2018_wards):
    path = tmp_path / "lookup.csv"
    path.write_text(ONS_LOOKUP)
    call_command("import_lsoa_ward_lookup", str(path))
    assert LsoaWard.objects.count() == 0
    call_command("import_lsoa_ward_lookup", str(path), "--commit")
    assert LsoaWard.objects.count() == 3
    path.write_text("code,ward\nE01000855,E05000128\n")
    with pytest.raises(CommandError, match="needs an LSOA code column"):
        call_command("import_lsoa_ward_lookup", str(path), "--commit")


# -- forces ----------------------------------------------------------------------------------------------------
def test_shipped_forces_are_the_43_territorial_forces_psni_and_btp():
    run = ForceImporter(commit=True).run()
    assert run.counts["forces_created"] == 45
    area_codes = set(Force.objects.exclude(gss_code="").values_list("gss_code", flat=True))
    # The 43 police force areas of England and Wales, as ONS numbers them (PFA19CD).
    assert area_codes == {f"E230000{n:02d}" for n in range(1, 40)} | {f"W1500000{n}" for n in range(1, 5)}
    assert Force.objects.get(slug="metropolitan").gss_code == "E23000001"
    assert Force.objects.get(slug="city-of-london").name == "City of London Police"
    btp = Force.objects.get(slug="btp")
    assert (btp.name, btp.listed) == ("British Transport Police", False)
    assert Force.objects.filter(listed=True).count() == 44
    assert (
        "Leicestershire Constabulary provides a policing service"
        in Force.objects.get(slug="leicestershire").description
    )


def test_import_forces_command_and_a_bad_forces_file(tmp_path):
    call_command("import_forces", "--commit")
    assert Force.objects.count() == 45
    bad = tmp_path / "forces.json"
    bad.write_text('[{"id": "a", "name": "A"}, {"name": "No id"}]')
    with pytest.raises(CommandError, match=r"forces.json, force 2: every force needs an \"id\""):
        call_command("import_forces", str(bad), "--commit")
    assert not Force.objects.filter(slug="a").exists()


# -- neighbourhood teams ------------------------------------------------------------------------------------------
@pytest.fixture
def demo_wards_loaded(tmp_path):
    ForceImporter(demo_data.write_forces_json(tmp_path / "f.json"), commit=True).run()
    BoroughBoundaryImporter(demo_data.write_borough_geojson(tmp_path / "b.geojson"), commit=True, demo=True).run()
    OnsWards(demo_data.write_ward_geojson(tmp_path / "w.geojson"), commit=True, demo=True).run()


def test_team_file_loads_people_and_stations(tmp_path, demo_wards_loaded):
    path = demo_data.write_teams_json(tmp_path / "teams.json")
    data = json.loads(path.read_text())
    NeighbourhoodTeamImporter(path, commit=True, demo=True).run()
    first = data["neighbourhoods"][0]
    nbhd = Neighbourhood.objects.get(code=first["id"])
    assert nbhd.contact_details == first["contact_details"]
    assert [(p.name, p.rank) for p in nbhd.people.all()] == [(p["name"], p["rank"]) for p in first["people"]]
    station = nbhd.stations.get()
    assert station.has_front_counter and station.opening_hours == first["locations"][0]["opening_hours"]
    NeighbourhoodTeamImporter(path, commit=True, demo=True).run()
    assert TeamMember.objects.count() == sum(len(n["people"]) for n in data["neighbourhoods"])
    assert Station.objects.count() == 2


def test_bad_opening_hours_are_refused(tmp_path, demo_wards_loaded):
    path = demo_data.write_teams_json(tmp_path / "teams.json")
    data = json.loads(path.read_text())
    data["neighbourhoods"][1]["locations"][0]["opening_hours"]["mon"] = [["8am", "8pm"]]
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match=r"neighbourhood 2 \(E05999002\), location 1: opening hours for \"mon\""):
        call_command("import_neighbourhood_teams", str(path), "--commit")
    assert TeamMember.objects.count() == 0


def test_import_neighbourhood_teams_command(tmp_path, demo_wards_loaded):
    path = demo_data.write_teams_json(tmp_path / "teams.json")
    call_command("import_neighbourhood_teams", str(path))
    assert TeamMember.objects.count() == 0
    call_command("import_neighbourhood_teams", str(path), "--commit")
    assert TeamMember.objects.count() > 0


def test_a_team_file_may_give_a_neighbourhood_a_boundary_of_its_own(tmp_path, demo_wards_loaded):
    path = demo_data.write_teams_json(tmp_path / "teams.json")
    data = json.loads(path.read_text())
    first = data["neighbourhoods"][0]
    first["boundary"] = [{"latitude": lat, "longitude": lng} for lat, lng in (("51.5", "-0.1"), ("51.5", "-0.09"),
                                                                             ("51.51", "-0.09"))]  # fmt: skip
    path.write_text(json.dumps(data))
    NeighbourhoodTeamImporter(path, commit=True, demo=True).run()
    ring = [[-0.1, 51.5], [-0.09, 51.5], [-0.09, 51.51], [-0.1, 51.5]]
    assert json.loads(Neighbourhood.objects.get(code=first["id"]).boundary) == {
        "type": "Polygon",
        "coordinates": [ring],
    }
    assert (
        Neighbourhood.objects.exclude(code=first["id"]).filter(boundary="").count() == len(data["neighbourhoods"]) - 1
    )
    # Left out, a stored boundary is kept; an empty list removes it.
    del first["boundary"]
    path.write_text(json.dumps(data))
    NeighbourhoodTeamImporter(path, commit=True, demo=True).run()
    assert json.loads(Neighbourhood.objects.get(code=first["id"]).boundary)["coordinates"] == [ring]
    first["boundary"] = []
    path.write_text(json.dumps(data))
    NeighbourhoodTeamImporter(path, commit=True, demo=True).run()
    assert Neighbourhood.objects.get(code=first["id"]).boundary == ""


def test_a_boundary_that_is_not_one_is_refused_and_nothing_is_imported(tmp_path, demo_wards_loaded):
    path = demo_data.write_teams_json(tmp_path / "teams.json")
    data = json.loads(path.read_text())
    data["neighbourhoods"][1]["boundary"] = [{"latitude": "51.5", "longitude": "-0.1"}, {"latitude": "north"}]
    path.write_text(json.dumps(data))
    with pytest.raises(ImportFailed, match=r"neighbourhood 2 \(E05999002\), boundary: point 2 is not a latitude"):
        NeighbourhoodTeamImporter(path, commit=True).run()
    data["neighbourhoods"][1]["boundary"] = [{"latitude": "91", "longitude": "0"}] * 3
    path.write_text(json.dumps(data))
    with pytest.raises(ImportFailed, match=r"boundary: point 1 \(91.0, 0.0\) is not on the map"):
        NeighbourhoodTeamImporter(path, commit=True).run()
    assert TeamMember.objects.count() == 0 and not Neighbourhood.objects.exclude(boundary="").exists()
