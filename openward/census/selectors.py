"""Census denominators for an area: the newest census loaded for it, labelled with what it is.

A ward sums the 2021 LSOAs (TS021) that best fit it; a borough sums its 2021 LSOAs, and where
any is missing uses its 2011 local-authority table (QS201EW); a force uses its 2011 police force
area table. A denominator is whole or absent: a partial sum would understate the population and
overstate every rate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Sum

from openward.areas.models import Lsoa, LsoaWard

from .models import ALL_PEOPLE, EthnicGroup, EthnicPopulation, Geography


@dataclass(frozen=True)
class Denominator:
    """People per ethnic group in one area, from one census table, with a label saying which."""

    people: dict[str, int]
    total: int
    census_year: int
    table: str
    source: str

    def of(self, group: str) -> int:
        return self.people.get(group, 0)


def _sum_lsoas(codes: list[str]) -> Counter | None:
    if not codes:
        return None
    rows = (
        EthnicPopulation.objects.filter(census_year=2021, geography=Geography.LSOA, area_code__in=codes)
        .values("group")
        .annotate(n=Sum("people"))
        .order_by()
    )
    loaded = EthnicPopulation.objects.filter(
        census_year=2021, geography=Geography.LSOA, area_code__in=codes, group=ALL_PEOPLE
    ).count()
    if loaded != len(set(codes)):
        return None
    return Counter({r["group"]: r["n"] for r in rows})


def _denominator(counts: Counter, year: int, table: str, source: str) -> Denominator:
    return Denominator(
        people={g.value: counts.get(g.value, 0) for g in EthnicGroup},
        total=counts.get(ALL_PEOPLE, 0),
        census_year=year,
        table=table,
        source=source,
    )


def table_rows(geography: str, code: str, census_year: int) -> Counter:
    rows = EthnicPopulation.objects.for_area(geography, code, census_year).values_list("group", "people")
    return Counter(dict(rows))


def ward_denominator(ward) -> Denominator | None:
    """The ward's 2021 LSOAs (best fit) summed, or None when any is not loaded."""
    codes = list(LsoaWard.objects.filter(ward=ward, lsoa__census_year=2021).values_list("lsoa__gss_code", flat=True))
    counts = _sum_lsoas(codes)
    if counts is None:
        return None
    return _denominator(counts, 2021, "TS021", f"Census 2021 (TS021), sum of the {len(codes)} LSOAs in this ward")


def borough_denominator(code: str) -> Denominator | None:
    """The borough's 2021 LSOAs summed, else its 2011 local-authority table, else None."""
    lsoas = list(Lsoa.objects.filter(census_year=2021, borough_code=code).values_list("gss_code", flat=True))
    counts = _sum_lsoas(lsoas)
    if counts is not None:
        return _denominator(counts, 2021, "TS021", f"Census 2021 (TS021), sum of the {len(lsoas)} LSOAs")
    counts = table_rows(Geography.LOCAL_AUTHORITY, code, 2011)
    if counts.get(ALL_PEOPLE):
        return _denominator(
            counts, 2011, "QS201EW", "Census 2011 (QS201EW) by local authority: Census 2021 is not loaded for it"
        )
    return None


def force_denominator(slug: str) -> Denominator | None:
    """The force's 2011 police force area table, else None."""
    counts = table_rows(Geography.POLICE_FORCE_AREA, slug, 2011)
    if counts.get(ALL_PEOPLE):
        return _denominator(
            counts, 2011, "QS201EW", "Census 2011 (QS201EW) by police force area: Census 2021 is not loaded for it"
        )
    return None


def area_tables(geography: str, code: str) -> list[tuple[int, str, Counter]]:
    """Every census table loaded for one area: (year, table, counts by group), newest first."""
    rows = EthnicPopulation.objects.for_area(geography, code).values_list("census_year", "table", "group", "people")
    tables: dict[tuple[int, str], Counter] = {}
    for year, table, group, people in rows:
        tables.setdefault((year, table), Counter())[group] = people
    return [(year, table, counts) for (year, table), counts in sorted(tables.items(), reverse=True)]
