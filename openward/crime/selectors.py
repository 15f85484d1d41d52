"""Which months of street-level crime are loaded, read from the forces' counts precomputed at import.

The crime table is the largest there is (18 million rows for three national years) and, on
PostgreSQL, one partition a month; these answers never read it. Every import rebuilds the counts
of the (force, month) it writes (`importers/store.py`), so they are current when it commits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Max

from .models import AreaCount, Level


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
