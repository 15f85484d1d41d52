"""The crime picture for one Scope: trend, rolling 12 months against the previous 12, categories,
forces together and apart, outcomes, where crime concentrates, and stop and search.

Every number on a page, in a download and in the API comes from `crime_summary`, so they agree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Q, Sum

from openward.areas.models import Force
from openward.core.models import ImportRun

from .. import harm as harm_weights
from .. import selectors, stats
from ..models import Crime, CrimeCategory, DroppedDuplicate, OutcomeCount, PointCount, Stop
from .cache import data_version
from .coverage import Coverage, coverage
from .scope import Scope

ASB = "anti-social-behaviour"
SOURCE_NAME = "data.police.uk"
SOURCE_URL = "https://data.police.uk/"
LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SNAP_POINT_CAVEAT = (
    "Locations are approximate: each crime is shown at an anonymised point covering at least 8 addresses"
)
IMPORTERS = ("police-uk", "police-uk-sync")
NOT_AVAILABLE = "not available"
NOTHING_LOADED = "no data loaded"


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_label(month: dt.date) -> str:
    return month.strftime("%B %Y")


def period_label(first: dt.date, last: dt.date) -> str:
    return f"{month_label(first)} to {month_label(last)}"


def latest_crime_month() -> dt.date | None:
    """The newest month with street-level crime loaded by any force (from the forces' precomputed counts).

    Area figures end where the area's own forces' data ends (`coverage`), not here.
    """
    return selectors.latest_crime_month()


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
    def has_rate(self) -> bool:
        return self.rate is not None and not stats.is_suppressed(self.recent)

    @property
    def rate_shown(self) -> str:
        return f"{self.rate:.1f}" if self.has_rate else NOT_AVAILABLE


def _figure(key, label, recent, earlier, population) -> Figure:
    rate = stats.rate_per_thousand(recent, population) if not stats.is_suppressed(recent) else None
    return Figure(key, label, recent, earlier, stats.compare_counts(recent, earlier), rate)


@dataclass
class MonthRow:
    """One month's counts; None when no force of the area has that month loaded."""

    month: dt.date
    crimes: int | None
    asb: int | None
    missing: tuple[str, ...] = ()

    def _shown(self, count: int | None) -> str:
        if count is None:
            return NOTHING_LOADED
        if self.missing:
            return f"{stats.shown_count(count)} (no data loaded for {' or '.join(self.missing)})"
        return stats.shown_count(count)

    @property
    def crimes_shown(self) -> str:
        return self._shown(self.crimes)

    @property
    def asb_shown(self) -> str:
        return self._shown(self.asb)


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
        return NOT_AVAILABLE if self.share is None or stats.is_suppressed(self.count) else f"{100 * self.share:.0f}%"


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
    not_loaded: frozenset[dt.date] = frozenset()
    coverage_note: str = ""
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
        return [(m, NOTHING_LOADED if m in self.not_loaded else stats.shown_count(n)) for m, n in self.by_month]

    @property
    def arrest_rate_shown(self) -> str:
        """The arrest rate in words, or why it is not available."""
        if self.arrest_rate is not None:
            return f"{round(100 * self.arrest_rate)}% led to an arrest."
        why = "there were no searches" if not self.total else "there were fewer than 10 searches"
        return f"The share that led to an arrest is {NOT_AVAILABLE}: {why}."

    @property
    def find_rate_shown(self) -> str:
        """The find rate in words, or why it is not available."""
        if self.find_rate is not None:
            return (
                f"In {round(100 * self.find_rate)}% of the searches where it was recorded, the outcome was "
                "linked to what the officer was searching for."
            )
        if not self.linked_recorded:
            why = "no search here recorded it"
        else:
            why = "fewer than 10 searches here recorded it"
        return (
            "The share of searches whose outcome was linked to what the officer was searching for "
            f"(the find rate) is {NOT_AVAILABLE}: {why}."
        )

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
    places: int = 0  # locations with crime; `points` may hold only the busiest of them
    concentration_top: int = 0
    concentration_share: float | None = None
    stops: StopSummary | None = None
    source: Source | None = None
    comparable_note: str = ""
    coverage_note: str = ""
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

    @property
    def rate_unavailable(self) -> str:
        """Why crimes per 1,000 residents are not shown, in words."""
        if self.scope.population_note and not self.scope.population:
            return self.scope.population_note
        return "There were fewer than 10 crimes, too few to publish a rate."


def _categories() -> dict[int, CrimeCategory]:
    return {c.pk: c for c in CrimeCategory.objects.all()}


def _is_demo(scope: Scope, model, latest: dt.date) -> bool:
    if scope.is_demo_area:
        return True
    return model.objects.filter(scope.placed_q(), month=latest, is_demo=True).exists()


# A page draws this many of an area's busiest places (a force has tens of thousands); downloads carry them all.
PAGE_POINTS = 1_000


def crime_summary(
    scope: Scope,
    force_slug: str | None = None,
    *,
    with_detail: bool = True,
    points_limit: int | None = None,
    version: str | None = None,
) -> CrimeSummary:
    """Everything Open Ward publishes about crime in one area (all forces together, or one force).

    Figures end at the latest month loaded for every force with records in the area (see
    `coverage`). With no street-level crime loaded, stop and search is still summarised. `version` is
    the data version the page read once for all it shows (read here when not given).
    """
    version = version or data_version()
    force = Force.objects.filter(slug=force_slug).first() if force_slug else None
    cover = coverage(scope, Crime, force, version)
    summary = CrimeSummary(scope=scope, force=force, latest=cover.end, coverage_note=cover.note)
    if summary.latest is not None:
        _add_crime_figures(summary, cover, with_detail, points_limit, version)
    if with_detail or summary.latest is None:
        summary.stops = stop_summary(scope, force, version)
    run = last_import()
    if summary.latest is not None:
        # The period is the months actually loaded (up to three years), not a fixed window.
        first = summary.months[0].month if summary.months else summary.latest
        summary.source = Source(
            period=period_label(first, summary.latest),
            last_updated=run.finished_at if run else None,
            is_demo=_is_demo(scope, Crime, summary.latest),
        )
    elif summary.stops is not None:
        summary.source = Source(
            period=summary.stops.period,
            last_updated=run.finished_at if run else None,
            is_demo=_is_demo(scope, Stop, summary.stops.last),
        )
    return summary


def _add_crime_figures(
    summary: CrimeSummary, cover: Coverage, with_detail: bool, points_limit: int | None, version: str
) -> None:
    scope, force, latest = summary.scope, summary.force, summary.latest
    first = add_months(latest, -35)
    summary.recent_first = add_months(latest, -11)
    summary.earlier_first, summary.earlier_last = add_months(latest, -23), add_months(latest, -12)

    counts = scope.monthly_counts(first, latest)
    duplicates = scope.duplicate_counts(summary.earlier_first, latest, counts, version)
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

    months = []
    for m in (add_months(first, i) for i in range(36)):
        if cover.nothing_loaded(m):
            months.append(MonthRow(m, None, None))
        else:
            months.append(MonthRow(m, per_month[m]["crimes"], per_month[m]["asb"], tuple(cover.missing(m))))
    # The chart starts at the first month loaded: earlier months are not "no crime".
    while months and months[0].crimes is None:
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
    summary.comparable_note = _comparability(scope, summary, cover)
    if with_detail:
        _add_detail(summary, categories, points_limit)


def _comparability(scope: Scope, summary: CrimeSummary, cover: Coverage) -> str:
    notes = []
    ward = scope.area if scope.kind == "ward" else None
    if ward is not None and ward.valid_from and ward.valid_from > summary.earlier_first:
        notes.append(
            f"This ward's boundaries took effect on {ward.valid_from:%-d %B %Y}; crimes before then were "
            "placed in the wards of the time, so the earlier period is incomplete and the change is not comparable."
        )
    gaps = [m for m in (add_months(summary.earlier_first, i) for i in range(24)) if cover.missing(m)]
    if gaps:
        names = sorted({name for m in gaps for name in cover.missing(m)})
        notes.append(
            f"No data is loaded for {' or '.join(names)} in {len(gaps)} of these 24 months "
            f"({', '.join(f'{m:%b %Y}' for m in gaps)}), so the two periods are incomplete and the change "
            "is not comparable."
        )
    return " ".join(notes)


def _crimes_in_window(summary: CrimeSummary):
    crimes = Crime.objects.filter(summary.scope.placed_q(), month__gte=summary.recent_first, month__lte=summary.latest)
    if summary.force is not None:
        crimes = crimes.filter(force=summary.force)
    return crimes


def _add_detail(summary: CrimeSummary, categories: dict[int, CrimeCategory], points_limit: int | None) -> None:
    """Outcomes per category and the busiest snap points in the recent 12 months: from the counts precomputed at
    import (OutcomeCount, PointCount) for wards, boroughs, clusters and forces; from the crimes for a drawn area.

    With `points_limit`, only that many of the busiest points are kept (the database ranks them and works out
    how concentrated crime is over all of them), so a force's page does not carry its every location.
    """
    scope = summary.scope
    q = scope.counts_q()
    if q is None or (rollup := scope.rollup_q()) is None:
        crimes = _crimes_in_window(summary).exclude(category__slug=ASB)
        outcomes = scope.grouped(crimes, "category_id", "outcome_category")
        points = scope.grouped(crimes.exclude(latitude=None), "latitude", "longitude", "street_name")
        summary.points = sorted(
            (SnapPoint(lat, lng, street, n) for (lat, lng, street), n in points.items()),
            key=lambda p: (-p.count, p.street, p.latitude, p.longitude),
        )
        summary.places = len(summary.points)
        summary.concentration_top, summary.concentration_share = stats.concentration_share(
            [p.count for p in summary.points]
        )
    else:
        window = {"month__gte": summary.recent_first, "month__lte": summary.latest}
        if summary.force is not None:
            window["force"] = summary.force
        asb_ids = [pk for pk, c in categories.items() if c.slug == ASB]
        outcomes = _summed(
            OutcomeCount.objects.filter(rollup, **window).exclude(category_id__in=asb_ids),
            "category_id",
            "outcome_category",
        )
        _busiest_points(summary, PointCount.objects.filter(q, **window), points_limit)
    per_category: dict[int, Counter] = defaultdict(Counter)
    for (category_id, outcome), n in outcomes.items():
        per_category[category_id][outcome or "No outcome recorded"] += n
    summary.outcomes = []
    for category_id, counter in sorted(per_category.items(), key=lambda kv: -sum(kv[1].values())):
        total = sum(counter.values())
        name = categories[category_id].name if category_id in categories else str(category_id)
        summary.outcomes.append((name, [Breakdown(label, n, n / total) for label, n in counter.most_common()]))


def _busiest_points(summary: CrimeSummary, counts, limit: int | None) -> None:
    """The busiest snap points of `counts` (PointCount rows), how many places there are, and the share of
    crime in the busiest 5% of them (as `stats.concentration_share`), worked out by the database."""
    points = counts.values("latitude", "longitude", "street_name").annotate(n=Sum("count")).order_by()
    sql, params = points.query.sql_with_params()
    order = "n DESC, street_name, latitude, longitude"
    # The busiest 5%: ceil(places / 20), in integer arithmetic both databases share.
    ranked = (
        f"SELECT latitude, longitude, street_name, n, places, total, running, rank FROM ("
        f"SELECT *, COUNT(*) OVER () AS places, SUM(n) OVER () AS total, ROW_NUMBER() OVER (ORDER BY {order}) AS rank, "
        f"SUM(n) OVER (ORDER BY {order} ROWS UNBOUNDED PRECEDING) AS running FROM ({sql}) AS points) AS ranked "
        "WHERE rank <= %s OR rank = (places + 19) / 20 ORDER BY rank"
    )
    with connections[counts.db].cursor() as cursor:  # the replica when pages read one
        cursor.execute(ranked, [*params, limit if limit is not None else 2**62])
        rows = cursor.fetchall()
    if not rows:
        summary.points, summary.places, summary.concentration_top, summary.concentration_share = [], 0, 0, None
        return
    # PostgreSQL sums bigints as numeric: back to whole numbers.
    places, total = int(rows[0][4]), int(rows[0][5])
    top = max(1, -(-places // 20))
    summary.places = places
    summary.concentration_top = top
    summary.concentration_share = int(next(r[6] for r in rows if r[7] == top)) / total if total else None
    kept = [r for r in rows if limit is None or r[7] <= limit]
    summary.points = sorted(
        (SnapPoint(lat, lng, street, int(n)) for lat, lng, street, n, *_ in kept),
        key=lambda p: (-p.count, p.street, p.latitude, p.longitude),
    )


def _summed(queryset, *dims: str) -> Counter:
    """The precomputed counts summed by `dims`, as one GROUP BY."""
    rows = queryset.values_list(*dims).annotate(n=Sum("count")).order_by()
    return Counter({tuple(r[:-1]): r[-1] for r in rows})


STOP_DIMENSIONS = (
    ("officer_defined_ethnicity", "Ethnicity (as the officer recorded it)"),
    ("age_range", "Age"),
    ("gender", "Gender"),
    ("legislation", "Legislation"),
    ("object_of_search", "Object of search"),
    ("outcome", "Outcome"),
)


def stop_summary(scope: Scope, force: Force | None = None, version: str | None = None) -> StopSummary | None:
    """Stop and search in the 12 months to the latest month loaded for the area's forces: breakdowns,
    arrest and find rates."""
    cover = coverage(scope, Stop, force, version)
    last = cover.end
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
        not_loaded=frozenset(m for m in (add_months(first, i) for i in range(12)) if cover.nothing_loaded(m)),
        coverage_note=cover.note,
    )
