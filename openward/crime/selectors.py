"""Which months of street-level crime are loaded, read from the forces' counts precomputed at import; the
crimes at one street.

The crime table is the largest there is (18 million rows for three national years) and, on
PostgreSQL, one partition a month; these answers never read it. Every import rebuilds the counts
of the (force, month) it writes (`importers/store.py`), so they are current when it commits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Max, QuerySet

from .importers.frames import snap_point
from .models import DERIVED_STREET_IDS, AreaCount, Level

# Half a micro-degree is a derived street id's rounding; a little more allows for the floats' own.
_SNAP = 1e-6


def _forces():
    return AreaCount.objects.filter(level=Level.FORCE)


def latest_crime_month() -> dt.date | None:
    """The newest month with street-level crime loaded by any force."""
    return _forces().aggregate(m=Max("month"))["m"]


def crime_months() -> list[dt.date]:
    """The months with street-level crime loaded by some force, newest first."""
    return list(_forces().values_list("month", flat=True).distinct().order_by("-month"))


def crime_months_by_force() -> dict[int, frozenset[dt.date]]:
    """The months each force (by id) has street-level crime loaded for."""
    months: dict[int, set[dt.date]] = defaultdict(set)
    for force_id, month in _forces().values_list("force_id", "month").distinct().order_by():
        months[force_id].add(month)
    return {force_id: frozenset(m) for force_id, m in months.items()}


def categories_in(month: dt.date) -> set[int]:
    """Ids of the categories with crimes in a month."""
    return set(_forces().filter(month=month).values_list("category_id", flat=True).distinct().order_by())


def at_street(rows: QuerySet, street: int) -> QuerySet:
    """`rows` (crimes) at one street, through an index either way.

    A street id derived from a snap point (every CSV record's) is found by its point, through the
    point index; the street index holds only police.uk's own ids (saved API responses), so that an
    import of CSVs does not build a second index of the points it already has.
    """
    point = snap_point(street)
    if point is None:
        # The second term names the index's condition, so that SQLite can use it (PostgreSQL sees it implied).
        return rows.filter(street_id=street, street_id__lt=DERIVED_STREET_IDS)
    lat, lng = point
    return rows.filter(
        latitude__range=(lat - _SNAP, lat + _SNAP), longitude__range=(lng - _SNAP, lng + _SNAP), street_id=street
    )
