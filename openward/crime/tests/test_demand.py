"""Demand per officer: crimes per ward ÷ the ward's team, ranked; missing teams and weights said in words."""

from __future__ import annotations

import datetime as dt

import pytest

from openward.areas.models import Force, Neighbourhood, TeamMember
from openward.crime.analytics.demand import borough_demand
from openward.crime.analytics.hotspots import period_for
from openward.crime.harm import CategoryWeight
from openward.crime.tests.factories import BoroughFactory, WardFactory, import_run
from openward.crime.tests.hotspot_data import plant

pytestmark = pytest.mark.django_db


@pytest.fixture
def borough():
    borough = BoroughFactory(gss_code="E09000077", name="Demandshire")
    force = Force.objects.get_or_create(slug="metropolitan", defaults={"name": "Metropolitan Police Service"})[0]
    busy = WardFactory(borough=borough, name="Busy", gss_code="E05077001")
    quiet = WardFactory(borough=borough, name="Quiet", gss_code="E05077002")
    lonely = WardFactory(borough=borough, name="Lonely", gss_code="E05077003")
    plant(busy, dt.date(2024, 5, 1), [(51.515, -0.09, 60)])
    plant(busy, dt.date(2024, 5, 1), [(51.515, -0.09, 4)], slug="robbery")
    plant(quiet, dt.date(2024, 5, 1), [(51.515, -0.09, 30)])
    plant(lonely, dt.date(2024, 5, 1), [(51.515, -0.09, 12)])
    for ward, size in ((busy, 6), (quiet, 2)):
        hood = Neighbourhood.objects.create(force=force, code=ward.gss_code, name=ward.name, ward=ward)
        for i in range(size):
            TeamMember.objects.create(force=force, neighbourhood=hood, name=f"Officer {i}", rank="PC")
    import_run()
    return borough


def test_crimes_per_officer_ranked_with_reasons(client, borough):
    demand = borough_demand(borough.gss_code, period_for("2024-01", "2024-06"))
    rows = {w.name: w for w in demand.wards}
    assert (rows["Busy"].crimes, rows["Busy"].officers) == (64, 6)
    assert rows["Quiet"].crimes_per_officer == 15.0 and rows["Busy"].crimes_per_officer == pytest.approx(64 / 6)
    assert [w.name for w in demand.wards] == ["Quiet", "Busy", "Lonely"]
    assert rows["Lonely"].crimes_per_officer is None
    assert any("No neighbourhood team is loaded for Lonely" in n for n in demand.notes)
    assert any("Harm per officer is not available" in n and "Burglary" in n for n in demand.notes)
    api = client.get(f"/api/v1/demand/boroughs/{borough.gss_code}?from=2024-01&to=2024-06").json()
    assert [w["name"] for w in api["wards"]] == ["Quiet", "Busy", "Lonely"] and api["wards"][0]["officers"] == 2
    page = client.get(f"/crime/demand/boroughs/{borough.gss_code}/?from=2024-01&to=2024-06").content.decode()
    assert "Where an officer meets the most crime in Demandshire" in page and "not loaded" in page


def test_with_weights_for_every_category_wards_rank_by_harm_per_officer(borough):
    weights = {"burglary": CategoryWeight("burglary", 1.0, "test"), "robbery": CategoryWeight("robbery", 100.0, "t")}
    demand = borough_demand(borough.gss_code, period_for("2024-01", "2024-06"), weights=weights)
    assert demand.ranked_by == "harm per officer"
    rows = {w.name: w for w in demand.wards}
    assert rows["Busy"].harm_per_officer == pytest.approx((60 + 400) / 6)
    assert [w.name for w in demand.wards][:2] == ["Busy", "Quiet"]
