"""Stop-and-search disproportionality the Home Office way, for a ward, borough or force and a period.

Searches per 1,000 people of each ethnic group (self-defined ethnicity, as the Home Office's
"Police powers and procedures" statistics use; searches where it was not stated are counted
apart), over the census population of that group (`census.selectors`: 2021 where loaded, else
2011, labelled); each group's rate against White's as a rate ratio with its exact 95% interval
(`core.stats.compare_rates`, R's `poisson.test`); the monthly ratio as a trend. Outcome parity:
the arrest rate and the find rate (outcome linked to the object of search) by ethnic group, and
the same by legislation and by object of search, with exact (Clopper–Pearson) intervals; the
share of searches that removed more than outer clothing. Counts of 1 to 9 are shown as "fewer
than 10" and nothing is derived from them; a figure that cannot be computed says why.

Every figure on the page, in the CSV and in the API comes from one `disproportionality()` call:
one GROUP BY over the area's stops, then arithmetic.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from openward.census.models import EthnicGroup
from openward.census.selectors import Denominator, borough_denominator, force_denominator, ward_denominator
from openward.core import stats as core_stats

from .. import stats
from ..models import Stop
from .coverage import coverage
from .scope import Scope
from .summary import NOT_AVAILABLE, add_months, period_label

NOT_STATED = "not-stated"
GROUP_LABELS = {g.value: g.label for g in EthnicGroup} | {NOT_STATED: "Not stated"}
# police.uk's self-defined ethnicity is "<high-level group> - <detail>"; the high-level names as published.
SELF_DEFINED_PREFIXES = {
    "White": EthnicGroup.WHITE.value,
    "Black/African/Caribbean/Black British": EthnicGroup.BLACK.value,
    "Asian/Asian British": EthnicGroup.ASIAN.value,
    "Mixed/Multiple ethnic groups": EthnicGroup.MIXED.value,
    "Other ethnic group": EthnicGroup.OTHER.value,
}
LEGISLATION = {
    "Police and Criminal Evidence Act 1984 (section 1)": "PACE section 1",
    "Misuse of Drugs Act 1971 (section 23)": "Misuse of Drugs Act section 23",
    "Criminal Justice and Public Order Act 1994 (section 60)": "Section 60 (no suspicion needed)",
}
REFERENCE = EthnicGroup.WHITE.value
LINKED = "whether the outcome was linked to the search"
DIMENSIONS = (
    "month",
    "self_defined_ethnicity",
    "legislation",
    "object_of_search",
    "outcome",
    "outcome_linked_to_object_of_search",
    "removal_of_more_than_outer_clothing",
)


def ethnic_group(self_defined: str) -> str:
    """The high-level group of a police.uk self-defined ethnicity; "not-stated" when it was not given."""
    head, _, detail = (self_defined or "").partition(" - ")
    group = SELF_DEFINED_PREFIXES.get(head.strip())
    if group is None or detail.strip().lower() == "not stated":
        return NOT_STATED
    return group


def is_arrest(outcome: str) -> bool:
    return "arrest" in (outcome or "").lower()


@dataclass
class Tally:
    """Searches and their outcomes for one group of stops."""

    searches: int = 0
    arrests: int = 0
    linked_recorded: int = 0
    finds: int = 0
    removal_recorded: int = 0
    removals: int = 0

    def add(self, n: int, outcome: str, linked: bool | None, removal: bool | None) -> None:
        self.searches += n
        self.arrests += n if is_arrest(outcome) else 0
        if linked is not None:
            self.linked_recorded += n
            self.finds += n if linked else 0
        if removal is not None:
            self.removal_recorded += n
            self.removals += n if removal else 0


@dataclass(frozen=True)
class Proportion:
    """k of n as a share with its exact interval, or why it is not available."""

    k: int
    n: int
    why_not: str = ""

    @classmethod
    def of(cls, k: int, n: int, what: str) -> Proportion:
        if n == 0:
            return cls(k, n, f"{NOT_AVAILABLE}: no search here recorded {what}")
        if stats.is_suppressed(n):
            return cls(k, n, f"{NOT_AVAILABLE}: fewer than 10 searches here recorded {what}")
        return cls(k, n)

    @property
    def value(self) -> float | None:
        return None if self.why_not else self.k / self.n

    @property
    def interval(self) -> tuple[float, float] | None:
        return None if self.why_not else core_stats.clopper_pearson(self.k, self.n)

    @property
    def shown(self) -> str:
        if self.why_not:
            return self.why_not
        low, high = self.interval
        return f"{100 * self.value:.0f}% ({100 * low:.0f}% to {100 * high:.0f}%)"


@dataclass
class GroupRow:
    """One ethnic group: searches, the rate per 1,000 people, the ratio to White and outcomes."""

    group: str
    tally: Tally
    population: int | None
    rate: float | None = None
    ratio: float | None = None
    ratio_low: float | None = None
    ratio_high: float | None = None
    why_no_rate: str = ""
    why_no_ratio: str = ""

    @property
    def label(self) -> str:
        return GROUP_LABELS[self.group]

    @property
    def searches_shown(self) -> str:
        return stats.shown_count(self.tally.searches)

    @property
    def rate_shown(self) -> str:
        return f"{self.rate:.1f}" if self.rate is not None else self.why_no_rate

    @property
    def ratio_shown(self) -> str:
        if self.ratio is None:
            return self.why_no_ratio
        high = f"{self.ratio_high:.2f}" if self.ratio_high is not None else "no upper limit"
        return f"{self.ratio:.2f} (95% interval {self.ratio_low:.2f} to {high})"

    @property
    def ratio_words(self) -> str:
        """E.g. "3.1 times as likely to be searched as White people"."""
        if self.ratio is None or self.group == REFERENCE:
            return ""
        if self.ratio_high is not None and self.ratio_low <= 1 <= self.ratio_high:
            return "no clear difference from White people (the interval includes 1)"
        if self.ratio >= 1:
            return f"{self.ratio:.1f} times as likely to be searched as White people"
        return f"{1 / self.ratio:.1f} times less likely to be searched than White people"

    @property
    def arrest_rate(self) -> Proportion:
        return Proportion.of(self.tally.arrests, self.tally.searches, "an outcome")

    @property
    def find_rate(self) -> Proportion:
        return Proportion.of(self.tally.finds, self.tally.linked_recorded, LINKED)

    @property
    def removal_share(self) -> Proportion:
        return Proportion.of(
            self.tally.removals, self.tally.removal_recorded, "whether more than outer clothing was removed"
        )


@dataclass
class Breakdown:
    """Groups within one legislation or one object of search."""

    key: str
    label: str
    total: Tally
    rows: list[GroupRow]

    @property
    def searches_shown(self) -> str:
        return stats.shown_count(self.total.searches)

    @property
    def arrest_rate(self) -> Proportion:
        return Proportion.of(self.total.arrests, self.total.searches, "an outcome")

    @property
    def find_rate(self) -> Proportion:
        return Proportion.of(self.total.finds, self.total.linked_recorded, LINKED)


@dataclass
class TrendPoint:
    month: dt.date
    searches: dict[str, int]
    ratios: dict[str, float | None]
    loaded: bool = True

    def ratio_shown(self, group: str) -> str:
        if not self.loaded:
            return "no data loaded"
        value = self.ratios.get(group)
        return f"{value:.2f}" if value is not None else NOT_AVAILABLE


@dataclass
class Disproportionality:
    scope: Scope
    first: dt.date | None
    last: dt.date | None
    denominator: Denominator | None
    why_no_denominator: str = ""
    total: Tally = field(default_factory=Tally)
    groups: list[GroupRow] = field(default_factory=list)
    legislation: list[Breakdown] = field(default_factory=list)
    objects: list[Breakdown] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    coverage_note: str = ""
    months_loaded: int = 0

    @property
    def has_data(self) -> bool:
        return self.last is not None

    @property
    def period(self) -> str:
        return period_label(self.first, self.last) if self.last else ""

    @property
    def total_shown(self) -> str:
        return stats.shown_count(self.total.searches)

    @property
    def not_stated(self) -> GroupRow | None:
        return next((g for g in self.groups if g.group == NOT_STATED), None)

    @property
    def stated_groups(self) -> list[GroupRow]:
        return [g for g in self.groups if g.group != NOT_STATED]


def denominator_for(scope: Scope) -> tuple[Denominator | None, str]:
    """The census population by ethnic group of a ward, borough or force, or why there is none."""
    if scope.kind == "ward":
        found = ward_denominator(scope.area)
    elif scope.kind == "borough":
        found = borough_denominator(scope.code)
    elif scope.kind == "force":
        found = force_denominator(scope.code)
    else:
        return None, (
            "Rates per 1,000 people by ethnicity are given for wards, boroughs and forces only: there is no "
            "census population by ethnic group for this kind of area."
        )
    if found is None:
        return None, (
            f"Rates per 1,000 people by ethnicity are {NOT_AVAILABLE}: no census population by ethnic group is "
            f"loaded for {scope.name} (manage.py import_census_ethnicity)."
        )
    return found, ""


def rate_ratio(n1: int, n2: int, e1: float, e2: float) -> tuple[float, float, float | None]:
    """(n1/e1) / (n2/e2) with its exact interval, as `core.stats.compare_rates` gives it (R's
    `poisson.test`), without the p-value these pages do not show (the slow part, at thousands of searches)."""
    low_p, high_p = core_stats.clopper_pearson(n1, n1 + n2)
    scale = e2 / e1
    return (n1 / e1) / (n2 / e2), low_p / (1 - low_p) * scale, None if high_p >= 1 else high_p / (1 - high_p) * scale


def group_rows(tallies: dict[str, Tally], denominator: Denominator | None, why_no_denominator: str) -> list[GroupRow]:
    """One row per ethnic group (and "not stated"), with rates and ratios to White where they can be given."""
    rows = []
    white = tallies.get(REFERENCE, Tally()).searches
    white_population = denominator.of(REFERENCE) if denominator else 0
    for group in [*(g.value for g in EthnicGroup), NOT_STATED]:
        tally = tallies.get(group, Tally())
        population = denominator.of(group) if denominator and group != NOT_STATED else None
        row = GroupRow(group, tally, population)
        if group == NOT_STATED:
            row.why_no_rate = row.why_no_ratio = "not applicable: ethnicity not stated"
        elif denominator is None:
            row.why_no_rate = row.why_no_ratio = why_no_denominator or NOT_AVAILABLE
        elif not population:
            row.why_no_rate = row.why_no_ratio = f"{NOT_AVAILABLE}: the census counts no one in this group here"
        elif stats.is_suppressed(tally.searches):
            row.why_no_rate = row.why_no_ratio = f"{NOT_AVAILABLE}: fewer than 10 searches"
        else:
            row.rate = 1000.0 * tally.searches / population
            if group == REFERENCE:
                row.why_no_ratio = "1 (the comparison group)"
            elif stats.is_suppressed(white) or white == 0 or not white_population:
                row.why_no_ratio = f"{NOT_AVAILABLE}: fewer than 10 searches of White people"
            else:
                row.ratio, row.ratio_low, row.ratio_high = rate_ratio(
                    tally.searches, white, population, white_population
                )
        rows.append(row)
    return rows


def _breakdowns(per_key: dict[str, dict[str, Tally]], labels, denominator, why) -> list[Breakdown]:
    out = []
    for key, tallies in per_key.items():
        total = Tally()
        for t in tallies.values():
            for name in ("searches", "arrests", "linked_recorded", "finds", "removal_recorded", "removals"):
                setattr(total, name, getattr(total, name) + getattr(t, name))
        out.append(Breakdown(key, labels(key), total, group_rows(tallies, denominator, why)))
    return sorted(out, key=lambda b: (-b.total.searches, b.label))


def counts(scope: Scope, first: dt.date, last: dt.date) -> Counter:
    """The area's stops between two months, grouped by DIMENSIONS (one GROUP BY)."""
    stops = Stop.objects.filter(scope.placed_q(), month__gte=first, month__lte=last)
    return scope.grouped(stops, *DIMENSIONS)


def disproportionality(scope: Scope, months: int = 12, version: str | None = None) -> Disproportionality:
    """Disproportionality and outcome parity over the `months` to the latest month loaded for the area
    (`version`: the data version the page read)."""
    cover = coverage(scope, Stop, None, version)
    denominator, why = denominator_for(scope)
    if cover.end is None:
        return Disproportionality(scope, None, None, denominator, why)
    last = cover.end
    first = add_months(last, -(months - 1))
    result = Disproportionality(scope, first, last, denominator, why, coverage_note=cover.note)
    by_group: dict[str, Tally] = defaultdict(Tally)
    by_legislation: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    by_object: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    by_month: dict[dt.date, Counter] = defaultdict(Counter)
    for (month, self_defined, legislation, obj, outcome, linked, removal), n in counts(scope, first, last).items():
        group = ethnic_group(self_defined)
        for tally in (
            result.total,
            by_group[group],
            by_legislation[legislation or ""][group],
            by_object[obj or ""][group],
        ):
            tally.add(n, outcome, linked, removal)
        by_month[month][group] += n
    result.groups = group_rows(by_group, denominator, why)
    result.legislation = _breakdowns(
        by_legislation, lambda k: LEGISLATION.get(k, k or "Not recorded"), denominator, why
    )
    result.objects = _breakdowns(by_object, lambda k: k or "Not recorded", denominator, why)
    for month in (add_months(first, i) for i in range(months)):
        loaded = not cover.nothing_loaded(month)
        result.months_loaded += loaded
        searches = by_month.get(month, Counter())
        ratios = {}
        for group in (g.value for g in EthnicGroup if g.value != REFERENCE):
            n, w = searches.get(group, 0), searches.get(REFERENCE, 0)
            usable = denominator and not stats.is_suppressed(n) and n and w >= stats.SUPPRESS_BELOW
            usable = usable and denominator.of(group) and denominator.of(REFERENCE)
            ratios[group] = (n / denominator.of(group)) / (w / denominator.of(REFERENCE)) if usable else None
        result.trend.append(TrendPoint(month, dict(searches), ratios, loaded))
    return result
