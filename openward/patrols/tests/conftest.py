"""A ward with crimes before and during a plan at known cells, and the people who plan and patrol."""

from __future__ import annotations

import datetime as dt

import pytest

from openward.accounts.models import Role
from openward.crime.analytics import hotspots
from openward.crime.tests.factories import import_run, rebuild_counts
from openward.crime.tests.hotspot_data import CENTRE, grid_ward, plant
from openward.priorities.models import Priority
from tests.personas import make_staff

BEFORE = [dt.date(2024, m, 1) for m in (1, 2, 3)]
DURING = [dt.date(2024, m, 1) for m in (4, 5, 6)]


def centre_of(dx: int, dy: int) -> tuple[float, float]:
    """The (lat, lng) of the cell dx, dy cells from the ward's centre cell."""
    ix, iy = hotspots.cells_of([CENTRE[0]], [CENTRE[1]])
    lat, lng = hotspots.cell_centres([int(ix[0]) + dx], [int(iy[0]) + dy])
    return float(lat[0]), float(lng[0])


def key_of(dx: int, dy: int) -> str:
    ix, iy = hotspots.cells_of([CENTRE[0]], [CENTRE[1]])
    return hotspots.cell_key(int(ix[0]) + dx, int(iy[0]) + dy)


# cell offset -> (crimes before, crimes during), spread evenly over the three months of each.
CELLS = {
    (0, 0): (21, 9),  # the hot spot the plan patrols
    (4, 4): (21, 18),  # three comparison places, matched on 21 before
    (-4, 4): (21, 24),
    (4, -4): (21, 21),
    (1, 0): (6, 9),  # inside the 300 m buffer
    (-4, -4): (3, 3),  # quieter places
    (-3, 2): (3, 0),
}


@pytest.fixture
def ward(db):
    ward = grid_ward()
    by_month: dict[dt.date, list[tuple[float, float, int]]] = {}
    for (dx, dy), (before, during) in CELLS.items():
        lat, lng = centre_of(dx, dy)
        for months, total in ((BEFORE, before), (DURING, during)):
            for i, month in enumerate(months):
                n = total // 3 + (1 if i < total % 3 else 0)
                if n:
                    by_month.setdefault(month, []).append((lat, lng, n))
    for month, points in by_month.items():
        plant(ward, month, points, rebuild=False)
    rebuild_counts()  # once, when every month is planted
    import_run()
    return ward


@pytest.fixture
def sergeant(ward):
    return make_staff(Role.SERGEANT, ward, email="sergeant@example.org")


@pytest.fixture
def officer(ward):
    return make_staff(Role.OFFICER, ward, email="officer@example.org")


@pytest.fixture
def panel_chair(ward):
    return make_staff(Role.PANEL_CHAIR, ward, email="chair@example.org")


@pytest.fixture
def priority(ward):
    return Priority.objects.create(
        ward=ward,
        statement="Cut burglary around the square",
        agreed_on=dt.date(2024, 3, 1),
        review_on=dt.date(2024, 9, 1),
        slot=1,
        evidence="Burglary is the ward's biggest concern.",
    )
