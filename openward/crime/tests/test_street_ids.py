"""Crimes at one street: a CSV's street ids (derived from snap points) are found through the point index,
police.uk's own through the street index, which holds only those; either way exactly the rows with that id."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
import pytest
from django.db import connection

from openward.crime.importers import PoliceUkImporter
from openward.crime.importers.frames import STREET_HEADER, snap_point, street_id_expr
from openward.crime.models import DERIVED_STREET_IDS, Crime
from openward.crime.selectors import at_street
from openward.crime.tests.factories import CrimeFactory
from openward.crime.tests.fixtures import areas
from openward.crime.tests.test_precomputed_pages import scans, uses_one_of

pytestmark = pytest.mark.django_db

# Snap points a few micro-degrees apart, so that a search by point that were a little too wide would mix them.
POINTS = [("51.515000", "-0.095000"), ("51.515001", "-0.095000"), ("51.515000", "-0.094999"), ("51.516000", "-0.095")]


def test_a_derived_street_id_gives_back_its_snap_point():
    rng = random.Random(20261202)
    lats = [round(rng.uniform(49, 60.999999), 6) for _ in range(2_000)] + [49.0, 60.999999]
    lngs = [round(rng.uniform(-9, 2.999999), 6) for _ in range(2_000)] + [-9.0, 2.999999]
    ids = pl.DataFrame({"lat": lats, "lng": lngs}).select(street_id_expr(pl.col("lat"), pl.col("lng"))).to_series()
    for street, lat, lng in zip(ids.to_list(), lats, lngs, strict=True):
        back = snap_point(street)
        assert back is not None and abs(back[0] - lat) < 5e-7 and abs(back[1] - lng) < 5e-7
    assert snap_point(883498) is None and snap_point(DERIVED_STREET_IDS - 1) is None


@pytest.fixture
def imported(tmp_path):
    areas.force("city-of-london", "City of London Police")
    header = ",".join(STREET_HEADER)
    rows = [
        f"{i:064x},2023-03,City of London Police,City of London Police,{lng},{lat},On or near Moor Lane,"
        f"E01000001,City of London 001A,Burglary,Under investigation,"
        for i, (lat, lng) in enumerate(POINTS * 3)
    ]
    path = tmp_path / "2023-03-city-of-london-street.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    PoliceUkImporter(path, commit=True).run()
    # A saved API response's record keeps police.uk's own street id.
    api = CrimeFactory(month=dt.date(2023, 3, 1), street_id=883498, latitude=51.515, longitude=-0.095)
    return api


def test_crimes_at_a_street_are_those_with_its_id_whichever_kind(imported):
    month = Crime.objects.filter(month=dt.date(2023, 3, 1))
    streets = sorted(set(month.values_list("street_id", flat=True)))
    assert len(streets) == len(POINTS) + 1 and streets[0] == 883498
    for street in streets:
        expected = sorted(month.filter(street_id=street).values_list("pk", flat=True))
        assert sorted(at_street(month, street).values_list("pk", flat=True)) == expected
        assert len(expected) == (1 if street == 883498 else 3)
    assert not at_street(month, DERIVED_STREET_IDS + 5).exists()


def test_crimes_at_a_street_are_read_through_an_index(imported):
    month = Crime.objects.filter(month=dt.date(2023, 3, 1))
    derived = month.exclude(street_id=883498).values_list("street_id", flat=True).first()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The tables are tiny, so the planner would read them whole; off, it shows which index it can use.
            cursor.execute("SET LOCAL enable_seqscan = off")
    for street, index in ((derived, "crime_point"), (883498, "crime_street")):
        text = at_street(month, street).values_list("pk").explain()
        assert uses_one_of(text, {index}) and not scans(text, "crime_crime"), text
