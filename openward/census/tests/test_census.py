"""Census ethnic-group tables: the official layouts load, a wrong layout or bad row changes nothing,
and the denominators pages use come from the right census with a label saying which."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from openward.areas.models import Lsoa
from openward.census.importers import Qs201LocalAuthority, Qs201PoliceForceArea, Ts021Lsoa
from openward.census.models import EthnicPopulation
from openward.census.selectors import borough_denominator, force_denominator
from openward.core.importers.base import ImportFailed
from openward.core.models import ImportRun

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
TS021 = FIXTURES / "ts021_lsoa_small.csv"
LA_2011 = "census/census2011_qs201ew_ethnic-group_local-authority_EW.csv"
PFA_2011 = "census/census2011_qs201ew_ethnic-group_by-police-force-area_resistancelab.csv"


def fixture_rows() -> dict[str, dict]:
    with TS021.open(encoding="utf-8", newline="") as fh:
        return {r["geography code"]: r for r in csv.DictReader(fh)}


def test_ts021_official_layout_loads_each_lsoa_and_group():
    run = Ts021Lsoa(TS021, commit=True).run()
    assert run.status == ImportRun.Status.COMMITTED and run.counts["areas"] == 3
    for code, r in fixture_rows().items():
        stored = dict(EthnicPopulation.objects.filter(area_code=code, census_year=2021).values_list("group", "people"))
        assert stored == {
            "all": int(r["Ethnic group: Total: All usual residents"]),
            "asian": int(r["Ethnic group: Asian, Asian British or Asian Welsh"]),
            "black": int(r["Ethnic group: Black, Black British, Black Welsh, Caribbean or African"]),
            "mixed": int(r["Ethnic group: Mixed or Multiple ethnic groups"]),
            "white": int(r["Ethnic group: White"]),
            "other": int(r["Ethnic group: Other ethnic group"]),
        }
    # Importing again replaces the same areas instead of adding to them.
    Ts021Lsoa(TS021, commit=True).run()
    assert EthnicPopulation.objects.count() == 3 * 6


def test_dry_run_records_the_run_and_keeps_nothing():
    run = Ts021Lsoa(TS021).run()
    assert run.status == ImportRun.Status.DRY_RUN and run.counts["areas"] == 3
    assert not EthnicPopulation.objects.exists()


def test_a_file_in_the_wrong_layout_is_refused_and_changes_nothing(shared_data, db_snapshot):
    before = db_snapshot()
    with pytest.raises(ImportFailed) as refused:
        Ts021Lsoa(shared_data / LA_2011, commit=True).run()
    message = str(refused.value)
    assert "line 1" in message and "not the Census 2021 TS021 by LSOA layout" in message
    assert '"Ethnic group: Total: All usual residents"' in message
    after = db_snapshot()
    runs = after.pop("core.ImportRun")
    assert len(runs) == len(before.pop("core.ImportRun")) + 1 and "'failed'" in runs[-1]
    assert after == before


def test_a_row_whose_groups_do_not_add_up_is_named_by_line_and_nothing_is_imported():
    with pytest.raises(ImportFailed) as refused:
        Ts021Lsoa(FIXTURES / "ts021_lsoa_groups_do_not_add_up.csv", commit=True).run()
    assert "line 3: the five groups add up to 1,455, not the total of 1,462" in str(refused.value)
    assert not EthnicPopulation.objects.exists()


def test_import_command_refuses_wrong_layout_with_the_reason(shared_data):
    with pytest.raises(CommandError, match="not the Census 2011 QS201EW by police force area layout"):
        call_command(
            "import_census_ethnicity", str(TS021), "--layout", "census-2011-qs201ew-police-force-area", "--commit"
        )
    out = io.StringIO()
    call_command("import_census_ethnicity", str(TS021), "--layout", "census-2021-ts021-lsoa", stdout=out)
    assert "dry run" in out.getvalue() and not EthnicPopulation.objects.exists()


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_2011_tables_by_local_authority_and_force_area(shared_data):
    la = Qs201LocalAuthority(shared_data / LA_2011, commit=True).run()
    pfa = Qs201PoliceForceArea(shared_data / PFA_2011, commit=True).run()
    la_rows = read_csv(shared_data / LA_2011)
    pfa_rows = read_csv(shared_data / PFA_2011)
    assert la.counts["areas"] == len(la_rows) and pfa.counts["areas"] == len(pfa_rows) == 43
    westminster = next(r for r in la_rows if r["geography code"] == "E09000033")
    denominator = borough_denominator("E09000033")
    assert denominator.census_year == 2011 and "Census 2021 is not loaded" in denominator.source
    assert denominator.total == int(westminster["Ethnic Group: All categories: Ethnic group; measures: Value"])
    assert denominator.of("black") == int(westminster["Ethnic Group: Black; measures: Value"])
    met = next(r for r in pfa_rows if r["PFA16NM"] == "Metropolitan")
    total = "Ethnic Group: All categories: Ethnic group; measures: Value"
    assert force_denominator("metropolitan").total == int(met[total]) == 8_166_566
    assert force_denominator("metropolitan").of("asian") == int(met["Ethnic Group: Asian; measures: Value"])
    assert force_denominator("avon-and-somerset") is not None


def test_a_borough_uses_2021_lsoas_only_when_every_one_is_loaded(shared_data):
    Qs201LocalAuthority(shared_data / LA_2011, commit=True).run()
    Ts021Lsoa(TS021, commit=True).run()
    rows = fixture_rows()
    for code in rows:
        Lsoa.objects.create(gss_code=code, census_year=2021, borough_code="E09000001", name=code)
    denominator = borough_denominator("E09000001")
    assert denominator.census_year == 2021
    assert denominator.of("white") == sum(int(r["Ethnic group: White"]) for r in rows.values())
    Lsoa.objects.create(gss_code="E01000004", census_year=2021, borough_code="E09000001", name="not loaded")
    assert borough_denominator("E09000001").census_year == 2011


def test_census_page_and_api_show_the_same_figures(client):
    Ts021Lsoa(TS021, commit=True).run()
    page = client.get("/census/lsoa/E01000003/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "City of London 001C" in text and "Census 2021 (TS021)" in text and "<td>720</td>" in text
    api = client.get("/api/v1/census/lsoa/E01000003").json()
    white = next(g for g in api["tables"][0]["groups"] if g["group"] == "white")
    assert white["people"] == 720 and white["share"] == round(720 / 1252, 4)
    missing = client.get("/api/v1/census/lsoa/E01999999")
    assert missing.status_code == 404 and "No census population" in missing.json()["detail"]
    assert client.get("/census/nowhere/X/").status_code == 404
