"""Demand per officer for a borough: crime and harm per ward, per officer of the ward's neighbourhood team.

Team sizes are the people police.uk lists for the ward's neighbourhood (areas.TeamMember), so a
ward whose team is not loaded has no per-officer figure, and says so. Counts come from
MonthlyCount (anti-social behaviour left out), as the crime pages' do.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from openward.areas.geo import generation_for
from openward.areas.models import Borough, TeamMember, Ward

from .. import harm as harm_weights
from .. import stats
from ..models import MonthlyCount
from .hotspots import Period
from .scope import ScopeError
from .summary import ASB


@dataclass
class WardDemand:
    code: str
    name: str
    crimes: int
    harm: harm_weights.Harm
    officers: int | None

    @property
    def crimes_shown(self) -> str:
        return stats.shown_count(self.crimes)

    @property
    def crimes_per_officer(self) -> float | None:
        if not self.officers or stats.is_suppressed(self.crimes):
            return None
        return self.crimes / self.officers

    @property
    def harm_per_officer(self) -> float | None:
        if not self.officers or self.harm.total is None or stats.is_suppressed(self.crimes):
            return None
        return self.harm.total / self.officers


@dataclass
class Demand:
    borough: str
    code: str
    period: Period | None
    wards: list[WardDemand] = field(default_factory=list)
    ranked_by: str = "crimes per officer"
    notes: list[str] = field(default_factory=list)


def borough_demand(code: str, period: Period | None, weights=None) -> Demand:
    """Each ward of a borough (current boundaries): crimes, harm, team size and both per officer, busiest first."""
    borough = Borough.objects.filter(gss_code=code).first()
    if borough is None:
        raise ScopeError(f'There is no borough with the code "{code[:20]}". Borough codes look like E09000001.')
    result = Demand(borough.name, borough.gss_code, period)
    wards = list(Ward.objects.filter(borough=borough, generation=generation_for()).order_by("name"))
    if period is None or not wards:
        return result
    weights = harm_weights.category_weights() if weights is None else weights
    rows = (
        MonthlyCount.objects.filter(ward__in=wards, month__gte=period.first, month__lte=period.last)
        .exclude(category__slug=ASB)
        .values("ward_id", "category__slug")
        .annotate(n=Sum("count"))
        .order_by()
    )
    by_ward: dict[int, Counter] = defaultdict(Counter)
    for r in rows:
        by_ward[r["ward_id"]][r["category__slug"]] += r["n"]
    teams = dict(
        TeamMember.objects.filter(neighbourhood__ward__in=wards)
        .values("neighbourhood__ward_id")
        .annotate(n=Count("pk"))
        .values_list("neighbourhood__ward_id", "n")
    )
    for ward in wards:
        counts = by_ward.get(ward.pk, Counter())
        result.wards.append(
            WardDemand(
                ward.gss_code,
                ward.name,
                sum(counts.values()),
                harm_weights.harm_of(counts, weights),
                teams.get(ward.pk),
            )
        )
    without_team = [w.name for w in result.wards if not w.officers]
    if without_team:
        result.notes.append(
            f"No neighbourhood team is loaded for {', '.join(without_team)}, so there is no per-officer figure there."
        )
    if all(w.harm.total is not None for w in result.wards if w.crimes):
        result.ranked_by = "harm per officer"
        result.wards.sort(key=lambda w: (w.harm_per_officer is None, -(w.harm_per_officer or 0), w.name))
    else:
        missing = sorted({s for w in result.wards for s in w.harm.unweighted})
        result.notes.append(
            "Harm per officer is not available: "
            + harm_weights.Harm(None, tuple(missing)).shown.removeprefix("not available (").rstrip(")")
            + ". Wards are ranked by crimes per officer instead."
        )
        result.wards.sort(key=lambda w: (w.crimes_per_officer is None, -(w.crimes_per_officer or 0), w.name))
    return result
