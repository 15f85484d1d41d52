"""Place records in an LSOA and a ward of the boundary generation valid in their month.

London's wards changed in May 2022 (and some boroughs' in 2014 and 2018), so a crime of
2016 belongs to a 2014-pattern ward and one of 2023 to a 2022-pattern ward. A ward is
valid in a month when its own validity dates (or, when it has none, its generation's)
cover the first day of that month; where two loaded patterns both claim a month, the
later-starting one wins. When no ward of the right pattern is loaded, the ward stays empty
rather than borrowing another pattern's ward: figures stay honest, just incomplete.

How a record is placed:
1. LSOA: the file's LSOA code when it has one; otherwise the LSOA (loaded boundaries:
   census 2021 from 2023 on, else 2011) containing its snap point.
2. Ward: the ward of the month's pattern whose boundary contains the snap point; for a
   record without a point, or when the month's wards have no boundaries, the best-fit
   ward of its LSOA (areas.LsoaWard, largest share).
3. Borough: the ward's borough, else the LSOA's.

Everything is computed once per distinct snap point and LSOA code, then joined back, so
a million rows cost the same as their few tens of thousands of distinct places.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl
import shapely

from openward.areas.models import Lsoa, LsoaWard, Ward

LSOA_2021_FROM = dt.date(2023, 1, 1)


@dataclass(frozen=True)
class _Ward:
    id: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    borough_code: str
    boundary: str

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)


class Placer:
    """Places records for one import run (areas are read once, then cached in memory)."""

    def __init__(self):
        self._wards: list[_Ward] | None = None
        self._trees: dict[tuple[int, ...], tuple[shapely.STRtree, np.ndarray]] = {}
        self._lsoa_trees: dict[int, tuple[shapely.STRtree, np.ndarray] | None] = {}
        self._lsoa_links: dict[int, list[tuple[str, int, float]]] | None = None
        self._lsoa_borough: dict[str, str] | None = None

    # -- areas, loaded lazily ------------------------------------------------------
    def wards(self) -> list[_Ward]:
        if self._wards is None:
            rows = Ward.objects.select_related("borough", "generation").order_by("id")
            self._wards = [
                _Ward(
                    w.id,
                    w.valid_from or (w.generation.valid_from if w.generation else None),
                    w.valid_to or (w.generation.valid_to if w.generation else None),
                    w.borough.gss_code if w.borough_id else "",
                    w.boundary,
                )
                for w in rows
            ]
        return self._wards

    def wards_valid_in(self, month: dt.date) -> list[_Ward]:
        valid = [w for w in self.wards() if w.valid_on(month)]
        # Later patterns first, so that where two overlap the newer one wins.
        return sorted(valid, key=lambda w: (w.valid_from or dt.date.min, w.id), reverse=True)

    def _ward_tree(self, wards: list[_Ward]) -> tuple[shapely.STRtree, np.ndarray] | None:
        with_shape = [w for w in wards if w.boundary]
        if not with_shape:
            return None
        key = tuple(w.id for w in with_shape)
        if key not in self._trees:
            geoms = shapely.from_geojson([w.boundary for w in with_shape])
            self._trees[key] = (shapely.STRtree(geoms), np.array(key, dtype=np.int64))
        return self._trees[key]

    def _lsoa_tree(self, census_year: int) -> tuple[shapely.STRtree, np.ndarray] | None:
        if census_year not in self._lsoa_trees:
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

    def _links(self) -> dict[int, list[tuple[str, int, float]]]:
        """ward id -> [(lsoa code, ward id, share)]; read once."""
        if self._lsoa_links is None:
            self._lsoa_links = {}
            for code, ward_id, share in LsoaWard.objects.values_list("lsoa__gss_code", "ward_id", "share"):
                self._lsoa_links.setdefault(ward_id, []).append((code, ward_id, share if share is not None else 1.0))
        return self._lsoa_links

    def _boroughs_of_lsoas(self) -> dict[str, str]:
        if self._lsoa_borough is None:
            self._lsoa_borough = dict(
                Lsoa.objects.exclude(borough_code="").order_by("census_year").values_list("gss_code", "borough_code")
            )
        return self._lsoa_borough

    # -- placing -------------------------------------------------------------------
    def place(self, frame: pl.DataFrame, month: dt.date) -> pl.DataFrame:
        """Fill `lsoa_code`, `ward_id` and `borough_code` of `frame` (which has latitude, longitude, lsoa_code)."""
        wards = self.wards_valid_in(month)
        points = (
            frame.select("latitude", "longitude").drop_nulls().unique(maintain_order=True)
            if frame.height
            else pl.DataFrame(schema={"latitude": pl.Float64, "longitude": pl.Float64})
        )
        lats, lngs = points["latitude"].to_numpy(), points["longitude"].to_numpy()
        geoms = shapely.points(lngs, lats) if len(points) else np.array([], dtype=object)
        point_ward = np.full(len(points), -1, dtype=np.int64)
        tree = self._ward_tree(wards)
        if tree is not None and len(points):
            point_ward = _first_hit(tree, geoms, len(points), fill=-1)
        needs_lsoa = frame.filter(pl.col("lsoa_code") == "").height > 0
        point_lsoa = np.full(len(points), "", dtype=object)
        if needs_lsoa and len(points):
            lsoa_tree = self._lsoa_tree(2021 if month >= LSOA_2021_FROM else 2011) or self._lsoa_tree(2011)
            if lsoa_tree is not None:
                point_lsoa = _first_hit(lsoa_tree, geoms, len(points), fill="")
        by_point = points.with_columns(
            _point_ward=pl.Series(point_ward).replace(-1, None), _point_lsoa=pl.Series(point_lsoa, dtype=pl.Utf8)
        )
        out = frame.join(by_point, on=["latitude", "longitude"], how="left", nulls_equal=False).with_columns(
            lsoa_code=pl.when(pl.col("lsoa_code") == "")
            .then(pl.col("_point_lsoa").fill_null(""))
            .otherwise(pl.col("lsoa_code"))
        )
        lsoa_ward = self._lsoa_ward_table(wards)
        borough_of_ward = {w.id: w.borough_code for w in wards}
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

    def _lsoa_ward_table(self, wards: list[_Ward]) -> pl.DataFrame:
        links = self._links()
        best: dict[str, tuple[float, int]] = {}
        rank = {w.id: i for i, w in enumerate(wards)}
        for w in wards:
            for code, ward_id, share in links.get(w.id, ()):
                current = best.get(code)
                # Largest share wins; among equals, the newer pattern (listed first).
                if current is None or (share, -rank[ward_id]) > (current[0], -rank[current[1]]):
                    best[code] = (share, ward_id)
        return pl.DataFrame(
            {"lsoa_code": list(best), "_lsoa_ward": [v[1] for v in best.values()]},
            schema={"lsoa_code": pl.Utf8, "_lsoa_ward": pl.Int64},
        )


def _first_hit(tree: tuple[shapely.STRtree, np.ndarray], geoms, n: int, fill):
    """For each point, the value of the first (lowest-index) tree geometry that contains it."""
    strtree, values = tree
    hits = strtree.query(geoms, predicate="intersects")
    out = np.full(n, fill, dtype=values.dtype)
    if hits.shape[1]:
        order = np.lexsort((hits[1], hits[0]))
        pts, idx = hits[0][order], hits[1][order]
        first = np.concatenate(([True], pts[1:] != pts[:-1]))
        out[pts[first]] = values[idx[first]]
    return out
