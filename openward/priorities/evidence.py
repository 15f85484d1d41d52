"""Recorded crime for wards, categories and months: exact counts from street-level crime records.

Counts come straight from `openward.crime.models.Crime` with one aggregate query, so a test
(or a sceptical resident with the CSVs) can recompute every figure.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Max

from openward.crime.models import Crime, CrimeCategory


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """Months from `start` to `end`, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def crime_count(wards, categories, start: date, end: date) -> int:
    """Crimes in `wards` in `categories` (police.uk slugs) recorded in months `start`..`end` inclusive."""
    return Crime.objects.filter(
        ward__in=list(wards), category__slug__in=list(categories), month__gte=start, month__lte=end
    ).count()


def counts_by_category(wards, start: date, end: date) -> dict[str, int]:
    """Crimes per police.uk category slug in `wards` over months `start`..`end` inclusive."""
    rows = (
        Crime.objects.filter(ward__in=list(wards), month__gte=start, month__lte=end)
        .values("category__slug")
        .annotate(n=Count("id"))
    )
    return {r["category__slug"]: r["n"] for r in rows}


def latest_month(wards) -> date | None:
    """The latest month with any recorded crime in `wards`."""
    return Crime.objects.filter(ward__in=list(wards)).aggregate(m=Max("month"))["m"]


def category_names(slugs) -> list[str]:
    """police.uk categories as people read them ("burglary", "bicycle theft"), never as slugs."""
    slugs = list(slugs)
    names = dict(CrimeCategory.objects.filter(slug__in=slugs).values_list("slug", "name"))
    return [(names.get(s) or s.replace("-", " ")).lower() for s in slugs]


def noun(slugs) -> str:
    """What the counted records are: anti-social behaviour is recorded as incidents, not crimes."""
    slugs = set(slugs)
    if slugs == {"anti-social-behaviour"}:
        return "incidents"
    return "crimes and incidents" if "anti-social-behaviour" in slugs else "crimes"
