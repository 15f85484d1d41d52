"""The demo area: generated in official formats, loaded by the importers, deterministic and idempotent."""

import io

import pytest
import shapely
from django.core.management import call_command

from openward.areas import demo_data
from openward.areas.models import Borough, Cluster, Neighbourhood, Postcode, Station, TeamMember, Ward
from openward.core import demo

pytestmark = pytest.mark.django_db


def census():
    return {
        "wards": sorted(Ward.objects.values_list("gss_code", "name", "boundary")),
        "postcodes": sorted(
            Postcode.objects.values_list("compact", "latitude", "longitude", "ward_code", "terminated")
        ),
        "neighbours": sorted(Ward.neighbours.through.objects.values_list("from_ward__gss_code", "to_ward__gss_code")),
        "people": sorted(TeamMember.objects.values_list("neighbourhood__code", "name", "rank", "bio")),
        "stations": sorted(Station.objects.values_list("name", "postcode", "has_front_counter")),
        "clusters": sorted(Cluster.objects.values_list("slug", "wards__gss_code")),
        "neighbourhoods": sorted(Neighbourhood.objects.values_list("force__slug", "code", "name")),
    }


@pytest.fixture
def loaded(tmp_path):
    demo_data.load_demo_area(tmp_path / "one", io.StringIO())
    return census()


def test_the_areas_step_is_registered_first():
    step = next(s for s in demo.steps() if s.name == "areas")
    assert step.order == 10 and step.step is demo_data.load_demo_area


def test_generation_is_deterministic(tmp_path):
    a = demo_data.write_demo_files(tmp_path / "a")
    b = demo_data.write_demo_files(tmp_path / "b")
    assert all(a[k].read_bytes() == b[k].read_bytes() for k in a)


def test_running_the_demo_twice_leaves_the_same_rows(tmp_path, loaded):
    demo_data.load_demo_area(tmp_path / "two", io.StringIO())
    assert census() == loaded


def test_demo_borough_wards_and_clusters(loaded):
    borough = Borough.objects.get(gss_code=demo_data.DEMO_BOROUGH_CODE)
    assert borough.name == "Demo Borough (generated)" and borough.is_demo and borough.force.slug == "demo-police"
    wards = Ward.objects.filter(borough=borough)
    assert wards.count() >= 6 and all(w.is_demo and w.gss_code.startswith("E05999") for w in wards)
    assert all(w.neighbours.exists() for w in wards)
    clusters = Cluster.objects.filter(borough=borough)
    assert clusters.count() == 2 and all(c.is_demo and c.wards.count() >= 2 for c in clusters)
    in_clusters = [code for c in clusters for code in c.wards.values_list("gss_code", flat=True)]
    assert sorted(in_clusters) == sorted(wards.values_list("gss_code", flat=True))


def test_every_ward_has_a_team_of_two_to_four(loaded):
    for ward in Ward.objects.filter(is_demo=True):
        nbhd = Neighbourhood.objects.get(ward=ward)
        people = list(nbhd.people.all())
        assert 2 <= len(people) <= 4
        assert all(p.name and p.rank and p.bio and p.contact_details.get("email") and p.is_demo for p in people)
        assert nbhd.stations.filter(has_front_counter=True).exists()
    assert Station.objects.filter(is_demo=True, has_front_counter=True).count() == 2
    assert all(s.opening_hours["mon"] for s in Station.objects.all())


def test_every_demo_postcode_falls_inside_its_own_ward(loaded):
    boundaries = {w.gss_code: shapely.from_geojson(w.boundary) for w in Ward.objects.filter(is_demo=True)}
    postcodes = list(Postcode.objects.filter(is_demo=True, terminated__isnull=True))
    assert len(postcodes) >= 300
    outside = [
        p.compact for p in postcodes if not boundaries[p.ward_code].contains(shapely.Point(p.longitude, p.latitude))
    ]
    assert outside == []
    assert Postcode.objects.filter(is_demo=True, terminated__isnull=False).count() == 3


def test_load_demo_command_runs_the_areas_step(tmp_path):
    call_command("load_demo", "--workdir", str(tmp_path), "--only", "areas", stdout=io.StringIO())
    assert Ward.objects.filter(is_demo=True).count() == len(demo_data.demo_wards())
