"""Ward census profiles from LSOA and borough files (tiny generated files, and the real ones)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from openward.areas.models import Lsoa, LsoaWard
from openward.priorities.importers.census import AGE_COLUMNS, ETHNICITY_COLUMNS
from openward.priorities.models import PopulationGroup


def _write(path, header, rows):
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def files(tmp_path, ward):
    pop = _write(
        tmp_path / "pop.csv",
        ["LSOA11CD", "LAD11CD", *AGE_COLUMNS.values()],
        [
            ["E01000001", ward.borough.gss_code, 100, 200, 300, 400],
            ["E01000002", ward.borough.gss_code, 10, 20, 30, 40],
            ["E01000003", ward.borough.gss_code, 1000, 1000, 1000, 1000],
        ],
    )
    eth = _write(
        tmp_path / "eth.csv",
        ["geography code", *ETHNICITY_COLUMNS.values()],
        [[ward.borough.gss_code, "5,000", 500, 2000, 2000, 500]],
    )
    for code, share in (("E01000001", None), ("E01000002", 0.5)):
        lsoa = Lsoa.objects.create(gss_code=code, census_year=2011)
        LsoaWard.objects.create(lsoa=lsoa, ward=ward, share=share)
    return pop, eth


def test_ward_profile_sums_its_lsoas_and_splits_by_borough_ethnicity(files, ward):
    pop, eth = files
    out = io.StringIO()
    call_command("import_ward_profiles", population=str(pop), ethnicity=str(eth), commit=True, stdout=out)
    ages = dict(PopulationGroup.objects.filter(ward=ward, dimension="age").values_list("group", "count"))
    assert ages == {"16-29": 105, "30-44": 210, "45-64": 315, "65+": 420}
    eth_counts = dict(PopulationGroup.objects.filter(ward=ward, dimension="ethnicity").values_list("group", "count"))
    assert eth_counts == {"white": 525, "mixed": 52, "asian": 210, "black": 210, "other": 52}


def test_dry_run_saves_nothing_and_bad_files_explain(files, tmp_path):
    pop, eth = files
    call_command("import_ward_profiles", population=str(pop), ethnicity=str(eth), stdout=io.StringIO())
    assert not PopulationGroup.objects.exists()
    bad = _write(tmp_path / "bad.csv", ["LSOA11CD"], [["E01000001"]])
    with pytest.raises(CommandError, match="Missing columns"):
        call_command("import_ward_profiles", population=str(bad), ethnicity=str(eth), commit=True)
    assert not PopulationGroup.objects.exists()


@pytest.mark.realdata
def test_real_files_give_the_city_of_london_lsoas_their_published_figures(shared_data, ward):
    population = shared_data / "population" / "london-lsoa11-mid2020-pop.csv"
    ethnicity = shared_data / "census" / "census2011_qs201ew_ethnic-group_local-authority_EW.csv"
    with population.open() as fh:
        published = {r["LSOA11CD"]: r for r in csv.DictReader(fh) if r["LSOA11CD"] in {"E01000001", "E01000002"}}
    for code in published:
        LsoaWard.objects.create(lsoa=Lsoa.objects.create(gss_code=code, census_year=2011), ward=ward)
    ward.borough.gss_code = "E09000001"
    ward.borough.save()
    call_command(
        "import_ward_profiles", population=str(population), ethnicity=str(ethnicity), commit=True, stdout=io.StringIO()
    )
    ages = dict(PopulationGroup.objects.filter(ward=ward, dimension="age").values_list("group", "count"))
    for band, column in AGE_COLUMNS.items():
        assert ages[band] == sum(int(r[column]) for r in published.values())
    assert PopulationGroup.objects.filter(ward=ward, dimension="ethnicity").count() == 5
