"""Fixtures shared by the crime import tests."""

import pytest

from openward.crime.tests.fixtures import areas

from .monthfiles import MONTH, STOPS_NAME, STREET_NAME, stops_file, street_file
from .plain import ids, manage, monthly_total


@pytest.fixture
def stored(tmp_path, monkeypatch):
    """A month as first imported by the command: 40 crimes and 30 stops (primary keys, read back with SQL)."""
    areas.force("city-of-london", "City of London Police")
    first = tmp_path / "first"
    first.mkdir()
    (first / STREET_NAME).write_bytes(street_file())
    (first / STOPS_NAME).write_bytes(stops_file())
    code, _, err = manage(monkeypatch, "import_crime", str(first), "--commit", "--no-progress")
    assert code == 0, err
    crimes, stops = ids("crime", MONTH), ids("stop", MONTH)
    assert len(crimes) == 40 and len(stops) == 30 and monthly_total(MONTH) == 40
    return {"crime": crimes, "stop": stops}
