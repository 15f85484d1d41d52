"""The crime picture for one Scope: trend, rolling 12 months against the previous 12, categories,
forces together and apart, outcomes, where crime concentrates, and stop and search.

Every number on a page, in a download and in the API comes from `crime_summary`, so they agree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Q

from openward.areas.models import Force
from openward.core.models import ImportRun

from .. import harm as harm_weights
from .. import stats
from ..models import Crime, CrimeCategory, DroppedDuplicate, Stop
from .scope import Scope

ASB = "anti-social-behaviour"
SOURCE_NAME = "data.police.uk"
SOURCE_URL = "https://data.police.uk/"
LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SNAP_POINT_CAVEAT = (
    "Locations are approximate: each crime is shown at an anonymised point covering at least 8 addresses"
)
IMPORTERS = ("police-uk",)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_label(month: dt.date) -> str:
    return month.strftime("%B %Y")


def period_label(first: dt.date, last: dt.date) -> str:
    return f"{month_label(first)} to {month_label(last)}"


def latest_crime_month() -> dt.date | None:
    """The newest month with street-level crime loaded (MAX on an indexed column: one index probe)."""
    return Crime.objects.aggregate(m=Max("month"))["m"]


def latest_stop_month() -> dt.date | None:
    return Stop.objects.aggregate(m=Max("month"))["m"]


def last_import() -> ImportRun | None:
    runs = ImportRun.objects.filter(status=ImportRun.Status.COMMITTED)
    return runs.filter(Q(importer__in=IMPORTERS) | Q(importer__icontains="crime")).order_by("-finished_at").first()


@dataclass
class Figure:
    """One line of figures: the recent 12 months against the 12 before, with a rate where known."""

    key: str
    label: str
    recent: int
    earlier: int
    change: stats.Change
    rate: float | None = None
    harm_weight: str = ""

    @property
    def recent_shown(self) -> str:
        return stats.shown_count(self.recent)

    @property
    def earlier_shown(self) -> str:
        return stats.shown_count(self.earlier)

    @property
    def rate_shown(self) -> str:
        if self.rate is None or stats.is_suppressed(self.recent):
            return ""
        return f"{self.rate:.1f}"


def _figure(key, label, recent, earlier, population) -> Figure:
    rate = stats.rate_per_thousand(recent, population) if not stats.is_suppressed(recent) else None
    return Figure(key, label, recent, earlier, stats.compare_counts(recent, earlier), rate)


@dataclass
class MonthRow:
    month: dt.date
    crimes: int
    asb: int

    @property
    def crimes_shown(self) -> str:
        return stats.shown_count(self.crimes)

    @property
    def asb_shown(self) -> str:
        return stats.shown_count(self.asb)


@dataclass
class SnapPoint:
    latitude: float
    longitude: float
    street: str
    count: int

    @property
    def count_shown(self) -> str:
        return stats.shown_count(self.count)


@dataclass
class Breakdown:
    label: str
    count: int
    share: float | None

    @property
    def count_shown(self) -> str:
        return stats.shown_count(self.count)

    @property
    def share_shown(self) -> str:
        return "" if self.share is None or stats.is_suppressed(self.count) else f"{100 * self.share:.0f}%"


@dataclass
class StopSummary:
    first: dt.date
    last: dt.date
    total: int
    by_month: list[tuple[dt.date, int]]
    breakdowns: dict[str, list[Breakdown]]
    arrests: int
    finds: int
    linked_recorded: int
    ethnicity_rate_note: str = (
        "Rates per 1,000 residents by ethnicity are not shown: Open Ward has no census population "
        "by ethnicity for this area."
    )

    @property
    def period(self) -> str:
        return period_label(self.first, self.last)

    @property
    def total_shown(self) -> str:
        return stats.shown_count(self.total)

    @property
    def months_shown(self) -> list[tuple[dt.date, str]]:
        return [(m, stats.shown_count(n)) for m, n in self.by_month]

    @property
    def arrest_rate(self) -> float | None:
        return None if stats.is_suppressed(self.total) or not self.total else self.arrests / self.total

    @property
    def find_rate(self) -> float | None:
        if stats.is_suppressed(self.linked_recorded) or not self.linked_recorded:
            return None
        return self.finds / self.linked_recorded


@dataclass
class Source:
    period: str
    last_updated: dt.datetime | None
    is_demo: bool
    name: str = SOURCE_NAME
    url: str = SOURCE_URL
    licence: str = LICENCE
    licence_url: str = LICENCE_URL


@dataclass
class Dropped:
    """Crime rows imports left out as copies of another, for one reason."""

    reason: str
    why: str
    count: int


def dropped_on_import(scope: Scope, force: Force | None, first: dt.date, last: dt.date) -> list[Dropped]:
    """The scope's crime rows left out on import as copies between two months, by reason."""
    rows = DroppedDuplicate.objects.filter(scope.placed_q(), month__gte=first, month__lte=last)
    if force is not None:
        rows = rows.filter(force=force)
    why = dict(DroppedDuplicate.Reason.choices)
    counts = scope.grouped(rows, "reason")
    return [Dropped(reason, why.get(reason, reason), n) for (reason,), n in sorted(counts.items())]


@dataclass
class CrimeSummary:
    scope: Scope
    force: Force | None
    latest: dt.date | None
    months: list[MonthRow] = field(default_factory=list)
    recent_first: dt.date | None = None
    earlier_first: dt.date | None = None
    earlier_last: dt.date | None = None
    total: Figure | None = None
    asb: Figure | None = None
    categories: list[Figure] = field(default_factory=list)
    by_force: list[Figure] = field(default_factory=list)
    duplicates_removed: int = 0
    dropped_on_import: list[Dropped] = field(default_factory=list)
    outcomes: list[tuple[str, list[Breakdown]]] = field(default_factory=list)
    points: list[SnapPoint] = field(default_factory=list)
    concentration_top: int = 0
    concentration_share: float | None = None
    stops: StopSummary | None = None
    source: Source | None = None
    comparable_note: str = ""
    harm: harm_weights.HarmChange | None = None

    @property
    def has_data(self) -> bool:
        return self.latest is not None and self.total is not None

    @property
    def recent_period(self) -> str:
        return period_label(self.recent_first, self.latest) if self.latest else ""

    @property
    def earlier_period(self) -> str:
        return period_label(self.earlier_first, self.earlier_last) if self.latest else ""

    @property
    def population(self) -> int | None:
        return self.scope.population


def _categories() -> dict[int, CrimeCategory]:
    return {c.pk: c for c in CrimeCategory.objects.all()}


def _is_demo(scope: Scope, latest: dt.date) -> bool:
    if scope.is_demo_area:
        return True
    return Crime.objects.filter(scope.placed_q(), month=latest, is_demo=True).exists()


def crime_summary(scope: Scope, force_slug: str | None = None, *, with_detail: bool = True) -> CrimeSummary:
    """Everything Open Ward publishes about crime in one area (all forces together, or one force)."""
    force = Force.objects.filter(slug=force_slug).first() if force_slug else None
    latest = latest_crime_month()
    summary = CrimeSummary(scope=scope, force=force, latest=latest)
    if latest is None:
        return summary
    first = add_months(latest, -35)
    summary.recent_first = add_months(latest, -11)
    summary.earlier_first, summary.earlier_last = add_months(latest, -23), add_months(latest, -12)

    counts = scope.monthly_counts(first, latest)
    duplicates = scope.duplicate_counts(summary.earlier_first, latest, counts)
    categories = _categories()
    asb_ids = {pk for pk, c in categories.items() if c.slug == ASB}

    def window(month):
        if month >= summary.recent_first:
            return "recent"
        if month >= summary.earlier_first:
            return "earlier"
        return None

    by_force: dict[int, Counter] = defaultdict(Counter)
    by_category: dict[int, Counter] = defaultdict(Counter)
    per_month: dict[dt.date, Counter] = defaultdict(Counter)
    for (month, category_id, force_id), n in counts.items():
        is_asb = category_id in asb_ids
        w = window(month)
        if w and not is_asb:
            by_force[force_id][w] += n
        if force is not None and force_id != force.pk:
            continue
        if force is None:
            n -= duplicates.get((month, category_id, force_id), 0)
        per_month[month]["asb" if is_asb else "crimes"] += n
        if w:
            by_category[category_id][w] += n
    summary.duplicates_removed = sum(duplicates.values()) if force is None else 0
    summary.dropped_on_import = dropped_on_import(scope, force, summary.earlier_first, latest)

    months = [
        MonthRow(m, per_month[m]["crimes"], per_month[m]["asb"]) for m in (add_months(first, i) for i in range(36))
    ]
    # Months before the area's first record are "no data loaded", not "no crime": leave them off the chart.
    while months and not (months[0].crimes or months[0].asb):
        months.pop(0)
    summary.months = months
    population = scope.population
    recent = sum(c["recent"] for pk, c in by_category.items() if pk not in asb_ids)
    earlier = sum(c["earlier"] for pk, c in by_category.items() if pk not in asb_ids)
    summary.total = _figure("all-crime", "All crime (excluding anti-social behaviour)", recent, earlier, population)
    asb = Counter()
    for pk in asb_ids:
        asb.update(by_category.get(pk, Counter()))
    summary.asb = _figure(ASB, "Anti-social behaviour", asb["recent"], asb["earlier"], population)
    summary.categories = sorted(
        (
            _figure(categories[pk].slug, categories[pk].name, c["recent"], c["earlier"], population)
            for pk, c in by_category.items()
            if pk not in asb_ids and pk in categories
        ),
        key=lambda f: (-f.recent, f.label),
    )
    # Harm beside the counts: each category's weight, and the total's harm where every category has one.
    weights = harm_weights.category_weights()
    for f in summary.categories:
        f.harm_weight = weights[f.key].shown if f.key in weights else harm_weights.NO_WEIGHT
    summary.harm = harm_weights.harm_change(
        {f.key: f.recent for f in summary.categories}, {f.key: f.earlier for f in summary.categories}, weights
    )
    forces = {f.pk: f for f in Force.objects.filter(pk__in=list(by_force))}
    summary.by_force = sorted(
        (
            _figure(forces[pk].slug, forces[pk].name, c["recent"], c["earlier"], None)
            for pk, c in by_force.items()
            if pk in forces
        ),
        key=lambda f: -f.recent,
    )
    summary.comparable_note = _comparability(scope, summary)
    if with_detail:
        _add_detail(summary, categories)
        summary.stops = stop_summary(scope, force)
    run = last_import()
    summary.source = Source(
        period=period_label(first, latest),
        last_updated=run.finished_at if run else None,
        is_demo=_is_demo(scope, latest),
    )
    return summary


def _comparability(scope: Scope, summary: CrimeSummary) -> str:
    ward = scope.area if scope.kind == "ward" else None
    if ward is not None and ward.valid_from and ward.valid_from > summary.earlier_first:
        return (
            f"This ward's boundaries took effect on {ward.valid_from:%-d %B %Y}; crimes before then were "
            "placed in the wards of the time, so the earlier period is incomplete and the change is not comparable."
        )
    return ""


def _crimes_in_window(summary: CrimeSummary):
    crimes = Crime.objects.filter(summary.scope.placed_q(), month__gte=summary.recent_first, month__lte=summary.latest)
    if summary.force is not None:
        crimes = crimes.filter(force=summary.force)
    return crimes


def _add_detail(summary: CrimeSummary, categories: dict[int, CrimeCategory]) -> None:
    scope = summary.scope
    crimes = _crimes_in_window(summary)
    crimes = crimes.exclude(category__slug=ASB)
    outcomes = scope.grouped(crimes, "category_id", "outcome_category")
    per_category: dict[int, Counter] = defaultdict(Counter)
    for (category_id, outcome), n in outcomes.items():
        per_category[category_id][outcome or "No outcome recorded"] += n
    summary.outcomes = []
    for category_id, counter in sorted(per_category.items(), key=lambda kv: -sum(kv[1].values())):
        total = sum(counter.values())
        name = categories[category_id].name if category_id in categories else str(category_id)
        summary.outcomes.append((name, [Breakdown(label, n, n / total) for label, n in counter.most_common()]))
    points = scope.grouped(crimes.exclude(latitude=None), "latitude", "longitude", "street_name")
    summary.points = sorted(
        (SnapPoint(lat, lng, street, n) for (lat, lng, street), n in points.items()),
        key=lambda p: (-p.count, p.street, p.latitude, p.longitude),
    )
    summary.concentration_top, summary.concentration_share = stats.concentration_share(
        [p.count for p in summary.points]
    )


STOP_DIMENSIONS = (
    ("officer_defined_ethnicity", "Ethnicity (as the officer recorded it)"),
    ("age_range", "Age"),
    ("gender", "Gender"),
    ("legislation", "Legislation"),
    ("object_of_search", "Object of search"),
    ("outcome", "Outcome"),
)


def stop_summary(scope: Scope, force: Force | None = None) -> StopSummary | None:
    """Stop and search in the 12 months to the latest month loaded: breakdowns, arrest and find rates."""
    last = latest_stop_month()
    if last is None:
        return None
    first = add_months(last, -11)
    stops = Stop.objects.filter(scope.placed_q(), month__gte=first, month__lte=last)
    if force is not None:
        stops = stops.filter(force=force)
    dims = ["month", *(d for d, _ in STOP_DIMENSIONS), "outcome_linked_to_object_of_search"]
    groups = scope.grouped(stops, *dims)
    total = sum(groups.values())
    by_month: Counter = Counter()
    breakdowns: dict[str, Counter] = {d: Counter() for d, _ in STOP_DIMENSIONS}
    arrests = finds = linked_recorded = 0
    for key, n in groups.items():
        by_month[key[0]] += n
        for (d, _), value in zip(STOP_DIMENSIONS, key[1:-1], strict=True):
            breakdowns[d][value or "Not recorded"] += n
        outcome, linked = key[-2], key[-1]
        if "arrest" in (outcome or "").lower():
            arrests += n
        if linked is not None:
            linked_recorded += n
            finds += n if linked else 0
    return StopSummary(
        first=first,
        last=last,
        total=total,
        by_month=[(m, by_month[m]) for m in (add_months(first, i) for i in range(12))],
        breakdowns={
            label: [Breakdown(v, n, n / total if total else None) for v, n in breakdowns[d].most_common()]
            for d, label in STOP_DIMENSIONS
        },
        arrests=arrests,
        finds=finds,
        linked_recorded=linked_recorded,
    )
