"""Before and after: two crime counts over known periods, compared exactly and told in words.

The arithmetic is `openward.core.stats.compare_rates` (scipy; R's `poisson.test`): conditional on
the total, the after count is binomial when the rate has not changed. This module only turns its
answer into what a panel reads: a verdict in words first, the numbers behind it for anyone who
wants them.
"""

from __future__ import annotations

from dataclasses import dataclass

from openward.core import stats as core_stats

# Below this many crimes in both periods together, a change is easily chance: say so.
SMALL_NUMBERS = 20
# A change whose exact test gives less than this is called "real, most likely".
SIGNIFICANT = 0.05


@dataclass(frozen=True)
class Comparison:
    before: int
    after: int
    before_months: int
    after_months: int
    rate_ratio: float | None  # after rate ÷ before rate; None when nothing before
    ratio_low: float | None
    ratio_high: float | None  # None: no upper limit
    p_value: float
    small_numbers: bool

    @property
    def change_percent(self) -> float | None:
        return None if self.rate_ratio is None else (self.rate_ratio - 1) * 100

    @property
    def verdict(self) -> str:
        """The reading in plain words: is this a real change or could it be chance?"""
        if self.before + self.after == 0:
            return "nothing to compare"
        if self.small_numbers:
            return "too few crimes to tell, so this could easily be chance"
        if self.p_value >= SIGNIFICANT:
            return "this could easily be chance"
        fell = self.after * self.before_months < self.before * self.after_months
        return "a real fall, most likely" if fell else "a real rise, most likely"

    def change(self) -> str:
        """ "down 30%", "up 12%", "about the same", or why there is no percentage."""
        if self.before + self.after == 0:
            return "none in either period"
        if self.rate_ratio is None:
            return f"none before, {self.after} after"
        pct = round(self.change_percent or 0)
        return "about the same" if pct == 0 else f"{'up' if pct > 0 else 'down'} {abs(pct)}%"

    def short(self) -> str:
        """A table cell, without a p-value: "down 30%: a real fall, most likely"."""
        if self.before + self.after == 0 or self.rate_ratio is None:
            return self.change()
        return f"{self.change()}: {self.verdict}"

    def in_words(self) -> str:
        if self.before + self.after == 0:
            return "No recorded crimes in either period: nothing to compare."
        if self.rate_ratio is None:
            return f"None before and {self.after} after, so there is no rate before to compare with."
        pct = round(abs(self.change_percent or 0))
        if pct == 0:
            text = "The monthly rate after is about the same as before"
        else:
            direction = "lower" if (self.change_percent or 0) < 0 else "higher"
            text = f"The monthly rate after is {pct}% {direction} than before"
        return f"{text}: {self.verdict}."

    def numbers(self) -> str:
        """The figures behind the words, for a <details> element."""
        p = _format_p(self.p_value)
        if self.rate_ratio is None:
            return f"{self.before} before, {self.after} after; exact test {p}."
        high = "no upper limit" if self.ratio_high is None else f"{self.ratio_high:.2f}"
        return (
            f"{self.before} before over {self.before_months} months, "
            f"{self.after} after over {self.after_months} months. "
            f"Rate after ÷ rate before: {self.rate_ratio:.2f} (95% interval {self.ratio_low:.2f} to {high}); "
            f"exact Poisson comparison, {p}."
            + (f" Fewer than {SMALL_NUMBERS} crimes in both periods together." if self.small_numbers else "")
        )


def _format_p(p: float) -> str:
    if p < 0.001:
        return "p < 0.001"
    if p < 0.01:
        return f"p = {p:.3f}"
    return f"p = {p:.2f}"


def compare_counts(before: int, after: int, before_months: int, after_months: int) -> Comparison:
    """Compare a count after with one before, over periods of the given lengths in months."""
    result = core_stats.compare_rates(after, before, after_months, before_months)
    ratio = result.ratio
    return Comparison(
        before,
        after,
        before_months,
        after_months,
        ratio,
        None if ratio is None else result.ratio_low,
        None if ratio is None else result.ratio_high,
        result.p_value,
        before + after < SMALL_NUMBERS,
    )
