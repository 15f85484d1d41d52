"""Which months each force has loaded, so an area's figures end where its forces' data ends and a month
with nothing loaded says so instead of showing 0.

Forces publish (and Open Ward imports) month by month, and not in step: British Transport Police or
another force may have a newer month loaded than the Met. An area's windows therefore end at the
latest month loaded for every force that has records there (one force's own latest month when one
force is asked for), never at the newest month of some other force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Q

from openward.areas.models import Force

from ..models import AreaCount, Crime, Level
from ..selectors import crime_months_by_force
from .cache import cached
from .scope import Scope, wards_near


def loaded_months(model, version: str | None = None) -> dict[int, frozenset[dt.date]]:
    """Months with at least one record of `model` (Crime or Stop), per force id.

    Crimes from the forces' precomputed counts; stops as index probes on (force, month): MAX(month)
    below the last month found, force by force, so no request scans the table; cached per data version
    (`version` as the page read it, else read here).
    """

    def compute():
        if model is Crime:
            return crime_months_by_force()
        out = {}
        for force_id in Force.objects.values_list("pk", flat=True):
            months, below = [], None
            while True:
                rows = model.objects.filter(force_id=force_id)
                if below is not None:
                    rows = rows.filter(month__lt=below)
                month = rows.aggregate(m=Max("month"))["m"]
                if month is None:
                    break
                months.append(month)
                below = month
            if months:
                out[force_id] = frozenset(months)
        return out

    return cached(f"loaded-months|{model._meta.label}", compute, version=version)


def forces_with_records(scope: Scope, model, since: dt.date) -> set[int]:
    """Forces with records of `model` in the area since a month (for a drawn area, in the wards around it).

    Crimes are read from the counts rolled up to the area, stops through the (ward, month) index.
    """
    if model is Crime:
        q = scope.rollup_q() or Q(level=Level.WARD, area__in=[str(w) for w in wards_near(scope.polygon.bounds)])
        rows = AreaCount.objects.filter(q, month__gte=since)
    else:
        rows = model.objects.filter(scope.placed_q(), month__gte=since)
    return set(rows.values_list("force_id", flat=True).distinct().order_by())


@dataclass
class Coverage:
    """The forces an area's figures draw on, the months each has loaded, and where the figures end."""

    end: dt.date | None
    loaded: dict[int, frozenset[dt.date]]
    forces: dict[int, str] = field(default_factory=dict)
    note: str = ""

    def missing(self, month: dt.date) -> list[str]:
        """Names of the area's forces with nothing loaded for `month`."""
        return [name for pk, name in self.forces.items() if month not in self.loaded.get(pk, ())]

    def nothing_loaded(self, month: dt.date) -> bool:
        """No force of the area (or, for an area with no records at all, no force anywhere) has `month`."""
        if self.forces:
            return len(self.missing(month)) == len(self.forces)
        return not any(month in months for months in self.loaded.values())


def coverage(scope: Scope, model, force: Force | None = None, version: str | None = None) -> Coverage:
    """Where an area's figures of `model` end: the latest month loaded for every force with records there
    (`version`: the data version the page read)."""
    loaded = loaded_months(model, version)
    one_force = force.pk if force is not None else scope.force_id
    if one_force is not None:
        months = loaded.get(one_force)
        if not months:
            return Coverage(None, loaded)
        return Coverage(max(months), loaded, dict(Force.objects.filter(pk=one_force).values_list("pk", "name")))
    newest = max((max(m) for m in loaded.values()), default=None)
    if newest is None:
        return Coverage(None, loaded)
    # Forces with records here in the three years the figures can cover; older records set no window.
    since = newest.replace(year=newest.year - 3)
    ids = {pk for pk in forces_with_records(scope, model, since) if pk in loaded}
    if not ids:
        # Nothing recorded here: the figures are zeros up to the newest month any force has loaded.
        return Coverage(newest, loaded)
    ends = {pk: max(loaded[pk]) for pk in ids}
    end = min(ends.values())
    names = dict(Force.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name"))
    note = ""
    if len(set(ends.values())) > 1:
        behind = " and ".join(names[pk] for pk in names if ends[pk] == end)
        ahead = "; ".join(f"{names[pk]} to {ends[pk]:%B %Y}" for pk in names if ends[pk] > end)
        note = (
            f"Figures end in {end:%B %Y}, the latest month loaded for every force here "
            f"({behind}); newer months are loaded for {ahead}."
        )
    return Coverage(end, loaded, names, note)
