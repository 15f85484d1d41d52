"""Harm weights for police.uk categories, and harm totals that say when they cannot be computed.

A category's weight is the ONS Crime Severity Score (CSS) offence weights averaged over the
Home Office offences the category contains, weighted by how many of each were recorded (see
docs/harm-weights.md). A category gets a weight only when every offence it contains that was
recorded at all has a published weight; otherwise it has none, and every figure that would
need it says so in words. Weights are never estimated or filled in.

The shipped table is `data/harm_weights.csv` (slug, weight, source); `derive_category_weights`
makes it from the published files with `manage.py derive_harm_weights`.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from openward.core import stats as core_stats

from . import stats
from .importers.categories import CATEGORY_NAMES

WEIGHTS_FILE = Path(__file__).parent / "data" / "harm_weights.csv"
NO_WEIGHT = "no sourced weight"


@dataclass(frozen=True)
class CategoryWeight:
    slug: str
    weight: float | None
    source: str

    @property
    def shown(self) -> str:
        return NO_WEIGHT if self.weight is None else f"{self.weight:,.1f}"


@functools.cache
def _read(path: str) -> dict[str, CategoryWeight]:
    out = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            weight = row["weight"].strip()
            out[row["slug"]] = CategoryWeight(row["slug"], float(weight) if weight else None, row["source"].strip())
    return out


def category_weights(path: Path | None = None) -> dict[str, CategoryWeight]:
    """Every police.uk category with its weight (None where there is no sourced weight)."""
    table = dict(_read(str(path or WEIGHTS_FILE)))
    for slug in CATEGORY_NAMES:
        table.setdefault(slug, CategoryWeight(slug, None, "not in the weights table"))
    return table


@dataclass(frozen=True)
class Harm:
    """Harm of some crimes: the weighted total, or None with the categories that have no weight."""

    total: float | None
    unweighted: tuple[str, ...]

    @property
    def available(self) -> bool:
        return self.total is not None

    @property
    def shown(self) -> str:
        if self.total is not None:
            return f"{self.total:,.0f}"
        names = ", ".join(CATEGORY_NAMES.get(s, s) for s in self.unweighted)
        return f"not available ({NO_WEIGHT} for {names})"


def harm_of(counts: Mapping[str, int], weights: Mapping[str, CategoryWeight] | None = None) -> Harm:
    """Harm of crimes counted by category slug: Σ count × weight, only if every counted category has a weight."""
    weights = category_weights() if weights is None else weights
    missing = tuple(sorted(s for s, n in counts.items() if n and (s not in weights or weights[s].weight is None)))
    if missing:
        return Harm(None, missing)
    return Harm(float(sum(n * weights[s].weight for s, n in counts.items() if n)), ())


@dataclass(frozen=True)
class HarmChange:
    """Harm in the recent period against the earlier one, with a bootstrap interval for the ratio."""

    recent: Harm
    earlier: Harm
    crimes: int
    low: float | None = None
    high: float | None = None

    @property
    def statement(self) -> str:
        if not self.recent.available or not self.earlier.available:
            return self.recent.shown if not self.recent.available else self.earlier.shown
        if stats.is_suppressed(self.crimes):
            return "too few crimes to compare"
        if not self.earlier.total:
            return f"{self.recent.shown}; no harm recorded in the earlier period"
        pct = 100 * (self.recent.total / self.earlier.total - 1)
        high = "an unbounded rise" if self.high is None else f"{100 * (self.high - 1):+.0f}%"
        return (
            f"{self.recent.shown} against {self.earlier.shown} ({pct:+.0f}%; 95% bootstrap interval "
            f"{100 * (self.low - 1):+.0f}% to {high})"
        )


def harm_change(recent: Mapping[str, int], earlier: Mapping[str, int], weights=None) -> HarmChange:
    """Harm of two periods' counts by category, with an interval when both are available."""
    weights = category_weights() if weights is None else weights
    now, before = harm_of(recent, weights), harm_of(earlier, weights)
    crimes = sum(recent.values())
    if not (now.available and before.available) or stats.is_suppressed(crimes):
        return HarmChange(now, before, crimes)
    slugs = sorted(set(recent) | set(earlier))
    low, high = core_stats.weighted_ratio_interval(
        [weights[s].weight if s in weights and weights[s].weight is not None else 0.0 for s in slugs],
        [recent.get(s, 0) for s in slugs],
        [earlier.get(s, 0) for s in slugs],
    )
    return HarmChange(now, before, crimes, low, high)


@dataclass(frozen=True)
class Derived:
    slug: str
    weight: float | None
    offences: int
    recorded: int
    reason: str


def derive_category_weights(
    offence_weights: Mapping[str, float],
    volumes: Iterable[tuple[str, str, int]],
) -> dict[str, Derived]:
    """Volume-weighted mean CSS weight per police.uk category.

    `offence_weights`: Home Office offence code → CSS weight, as ONS publishes them.
    `volumes`: (offence code, police.uk category slug, offences recorded) rows, e.g. a year of
    the Home Office's police recorded crime open data. A category with any recorded offence
    lacking a weight gets None, with the codes and their share of the category in `reason`.
    """
    by_category: dict[str, dict[str, int]] = {}
    for code, slug, n in volumes:
        if n > 0:
            by_category.setdefault(slug, {}).setdefault(code, 0)
            by_category[slug][code] += n
    out = {}
    for slug, offences in sorted(by_category.items()):
        recorded = sum(offences.values())
        missing = sorted(code for code in offences if code not in offence_weights)
        if missing:
            share = sum(offences[c] for c in missing) / recorded
            reason = f"{NO_WEIGHT} for offence codes {', '.join(missing)} ({100 * share:.1f}% of recorded offences)"
            out[slug] = Derived(slug, None, len(offences), recorded, reason)
            continue
        weight = sum(offence_weights[c] * n for c, n in offences.items()) / recorded
        out[slug] = Derived(slug, weight, len(offences), recorded, "volume-weighted mean of CSS offence weights")
    return out
