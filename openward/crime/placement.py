"""Place records in an LSOA and a ward of the boundary generation valid in their month.

London's wards changed in May 2022 (and in some boroughs in 2014 and 2018), so a crime of
2016 belongs to a 2014/2018-pattern ward and one of 2023 to a 2022-pattern ward. The
generation is the one in force on the first day of the record's month
(`areas.geo.generation_for`). When that generation's wards are not loaded the ward stays
empty rather than borrowing another pattern's ward: figures stay honest, just incomplete.

How a record is placed:
1. LSOA: the file's LSOA code when it has one; otherwise the LSOA whose loaded boundary
   (census 2021 from 2023 on, else 2011) contains its snap point.
2. Ward: the ward of that generation whose boundary contains the snap point
   (`areas.geo`, a cached STRtree); for a record without a point, or when the
   generation's wards have no boundaries, the best-fit ward of its LSOA in that
   generation (areas.LsoaWard, largest share).
3. Borough: the ward's borough, else the LSOA's.

Everything is computed once per distinct snap point and LSOA code, then joined back, so a
million rows cost about as much as their few tens of thousands of distinct places.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import polars as pl
import shapely

from openward.areas import geo
from openward.areas.models import Lsoa, LsoaWard, Ward

LSOA_2021_FROM = dt.date(2023, 1, 1)


class Placer:
    """Places records for one import run (areas are read once per run, then kept in memory)."""

    def __init__(self, before_query: Callable[[], None] | None = None):
        # Called before any read of areas, so that a caller streaming rows into the database can pause.
        self.before_query = before_query
        self._generations: dict[dt.date, object] = {}
        self._by_generation: dict[object, tuple[pl.DataFrame, dict[int, str]]] = {}
        self._lsoa_trees: dict[int, tuple[shapely.STRtree, np.ndarray] | None] = {}
        self._lsoa_borough: dict[str, str] | None = None

    def _querying(self) -> None:
        if self.before_query is not None:
            self.before_query()

    def generation(self, month: dt.date):
        if month not in self._generations:
            self._querying()
            self._generations[month] = geo.generation_for(month)
        return self._generations[month]

    def _generation_tables(self, generation) -> tuple[pl.DataFrame, dict[int, str]]:
        """(LSOA code -> best-fit ward id, ward id -> borough code) for one generation."""
        key = generation.pk if generation else None
        if key not in self._by_generation:
            self._querying()
            geo.ward_index(generation)  # built now, so that placing rows later reads nothing
            wards = Ward.objects.filter(generation_id=key)
            borough_of = dict(wards.values_list("id", "borough__gss_code"))
            best: dict[str, tuple[float, int]] = {}
            links = LsoaWard.objects.filter(ward__generation_id=key).values_list("lsoa__gss_code", "ward_id", "share")
            for code, ward_id, share in links.order_by("ward_id"):
                share = 1.0 if share is None else share
                if code not in best or share > best[code][0]:
                    best[code] = (share, ward_id)
            table = pl.DataFrame(
                {"lsoa_code": list(best), "_lsoa_ward": [v[1] for v in best.values()]},
                schema={"lsoa_code": pl.Utf8, "_lsoa_ward": pl.Int64},
            )
            self._by_generation[key] = (table, borough_of)
        return self._by_generation[key]

    def _lsoa_tree(self, census_year: int) -> tuple[shapely.STRtree, np.ndarray] | None:
        if census_year not in self._lsoa_trees:
            self._querying()
            rows = list(
                Lsoa.objects.filter(census_year=census_year).exclude(boundary="").values_list("gss_code", "boundary")
            )
            self._lsoa_trees[census_year] = (
                (
                    shapely.STRtree(shapely.from_geojson([b for _, b in rows])),
                    np.array([c for c, _ in rows], dtype=object),
                )
                if rows
                else None
            )
        return self._lsoa_trees[census_year]

    def _boroughs_of_lsoas(self) -> dict[str, str]:
        if self._lsoa_borough is None:
            self._querying()
            self._lsoa_borough = dict(
                Lsoa.objects.exclude(borough_code="").order_by("census_year").values_list("gss_code", "borough_code")
            )
        return self._lsoa_borough

    def place(self, frame: pl.DataFrame, month: dt.date) -> pl.DataFrame:
        """Fill `lsoa_code`, `ward_id` and `borough_code` of `frame` (which has latitude, longitude, lsoa_code)."""
        generation = self.generation(month)
        lsoa_ward, borough_of_ward = self._generation_tables(generation)
        points = frame.select("latitude", "longitude").drop_nulls().unique(maintain_order=True)
        lats, lngs = points["latitude"].to_numpy(), points["longitude"].to_numpy()
        point_ward = geo.locate_ward_ids(lats, lngs, generation=generation) if len(points) and borough_of_ward else None
        point_lsoa = np.full(len(points), "", dtype=object)
        if len(points) and (frame["lsoa_code"] == "").any():
            tree = self._lsoa_tree(2021 if month >= LSOA_2021_FROM else 2011) or self._lsoa_tree(2011)
            if tree is not None:
                point_lsoa = _first_hit(tree, shapely.points(lngs, lats), len(points))
        by_point = points.with_columns(
            _point_ward=pl.Series(point_ward if point_ward is not None else np.zeros(len(points), np.int64)).replace(
                0, None
            ),
            _point_lsoa=pl.Series(point_lsoa, dtype=pl.Utf8),
        )
        out = frame.join(by_point, on=["latitude", "longitude"], how="left").with_columns(
            lsoa_code=pl.when(pl.col("lsoa_code") == "")
            .then(pl.col("_point_lsoa").fill_null(""))
            .otherwise(pl.col("lsoa_code"))
        )
        out = out.join(lsoa_ward, on="lsoa_code", how="left").with_columns(
            ward_id=pl.coalesce("_point_ward", "_lsoa_ward")
        )
        out = out.with_columns(
            borough_code=pl.coalesce(
                pl.col("ward_id").replace_strict(borough_of_ward, default=None, return_dtype=pl.Utf8),
                pl.col("lsoa_code").replace_strict(self._boroughs_of_lsoas(), default=None, return_dtype=pl.Utf8),
                pl.lit(""),
            )
        )
        return out.drop("_point_ward", "_point_lsoa", "_lsoa_ward")


def _first_hit(tree: tuple[shapely.STRtree, np.ndarray], geoms, n: int) -> np.ndarray:
    """For each point, the code of the first (lowest-index) area that contains it ("" for none)."""
    strtree, codes = tree
    point_idx, area_idx = strtree.query(geoms, predicate="intersects")
    out = np.full(n, "", dtype=object)
    out[point_idx[::-1]] = codes[area_idx[::-1]]
    return out
