"""A places pack: wards, boroughs, postcodes and an LSOA → ward look-up in one checked folder.

`build_pack` makes one from the official downloads (ONS ward and LSOA boundaries, OS Code-Point
Open), reading them with the same importers' readers, so the same checks apply. The folder holds
plain files (GeoJSON and CSV) that the ordinary importers load, a `pack.json` saying what was
built from what, and `SHA256SUMS` (the format `sha256sum -c` reads) that the loader verifies
before it changes anything.

Ward boundaries are simplified with shapely's coverage simplification (shared edges stay shared,
so no gaps or overlaps appear) to SIMPLIFY_TOLERANCE_M metres on the British National Grid; the
build refuses to write a pack whose wards place real postcodes differently from the source
boundaries more often than MIN_AGREEMENT allows.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import shapely
from pyproj import Transformer

from openward.core.importers.base import ImportFailed

SIMPLIFY_TOLERANCE_M = 10.0
MIN_AGREEMENT = 0.998
CHECKSUMS = "SHA256SUMS"
MANIFEST = "pack.json"
FILES = {
    "manifest": MANIFEST,
    "wards": "wards.geojson",
    "boroughs": "boroughs.geojson",
    "postcodes": "postcodes.csv.gz",
    "lsoa_wards": "lsoa21_to_ward.csv",
}
LONDON_PREFIX = "E09"
CITY_OF_LONDON = "E09000001"
LONDON_BOROUGHS = 33
# ONSPD's convention for a postcode without a grid reference, which the postcode importer understands.
NO_LATITUDE, NO_LONGITUDE = 99.999999, 0.0

_to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
_to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


class PackError(Exception):
    """The pack cannot be built or loaded; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class Sources:
    """The official downloads a pack is built from, and the releases they are."""

    wards: Path
    postcodes: Path
    lsoas: Path
    wards_release: str = "Wards (December 2025) Boundaries UK BGC"
    postcodes_release: str = "OS Code-Point Open 2025.4"
    lsoas_release: str = "Lower layer Super Output Areas (December 2021) Boundaries EW BGC"


# -- checksums ----------------------------------------------------------------------------------
def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_checksums(folder: Path) -> None:
    lines = [f"{sha256_file(folder / name)}  {name}\n" for name in sorted(FILES.values())]
    (folder / CHECKSUMS).write_text("".join(lines), encoding="utf-8")


def verify(folder: Path) -> str:
    """Check every file of the pack against SHA256SUMS; return the pack's checksum or raise PackError."""
    sums = folder / CHECKSUMS
    if not sums.is_file():
        raise PackError(f"{sums} is missing, so the pack cannot be checked. Restore the pack folder from git.")
    expected = {}
    for number, line in enumerate(sums.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            raise PackError(f"{sums}, line {number}: not a checksum line. Restore the pack folder from git.")
        expected[name] = digest
    if missing := sorted(set(FILES.values()) - set(expected)):
        raise PackError(f"{sums} does not list {', '.join(missing)}. Restore the pack folder from git.")
    for name in sorted(FILES.values()):
        path = folder / name
        if not path.is_file():
            raise PackError(f"{path} is missing. Restore the pack folder from git (or rebuild it).")
        if sha256_file(path) != expected[name]:
            raise PackError(
                f"{path} is damaged: its SHA-256 is not the one in {CHECKSUMS}. "
                "Restore the pack folder from git (git checkout -- <folder>) or rebuild it with "
                "scripts/build_london_pack.py."
            )
    return hashlib.sha256(sums.read_bytes()).hexdigest()


# -- building -----------------------------------------------------------------------------------
def _reproject(geometries: np.ndarray, transformer: Transformer) -> np.ndarray:
    return shapely.transform(geometries, lambda c: np.column_stack(transformer.transform(c[:, 0], c[:, 1])))


def _rounded(geometry) -> dict:
    return json.loads(shapely.to_geojson(shapely.transform(geometry, lambda c: np.round(c, 6))))


def simplify_wards(geometries: np.ndarray, tolerance_m: float = SIMPLIFY_TOLERANCE_M) -> np.ndarray:
    """Simplify a coverage of WGS84 polygons by `tolerance_m` metres, keeping shared edges shared."""
    simplified = shapely.coverage_simplify(_reproject(geometries, _to_bng), tolerance_m)
    return shapely.make_valid(_reproject(simplified, _to_wgs84))


def locate(geometries: np.ndarray, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Index of the polygon holding each point (-1 for none; on a shared edge, the lowest index)."""
    points = shapely.points(lngs, lats)
    out = np.full(len(points), -1, dtype=np.int64)
    point_idx, geom_idx = shapely.STRtree(geometries).query(points, predicate="intersects")
    order = np.lexsort((-geom_idx, point_idx))
    out[point_idx[order]] = geom_idx[order]
    return out


def _read(importer) -> list:
    """Records from an importer's reader; its problems stop the build with their locations."""

    try:
        records = list(importer.read())
    except ImportFailed as exc:
        raise PackError(str(exc)) from None
    if importer.problems:
        shown = "; ".join(str(p) for p in importer.problems[:5])
        raise PackError(f"{importer.path}: {len(importer.problems)} problem(s): {shown}")
    return records


def _geojson(features: list[dict]) -> bytes:
    # One feature per line keeps git diffs of a new release readable.
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    return ('{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n").encode("utf-8")


def _gzip(data: bytes) -> bytes:
    out = io.BytesIO()
    # mtime=0 and no file name: the same input always gives the same bytes (the pack is compared in a test).
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as fh:
        fh.write(data)
    return out.getvalue()


def build_pack(sources: Sources, out: Path, *, log: Callable[[str], None] = print) -> dict:
    """Build the London pack into `out` from the official downloads; return its manifest."""
    from .importers.boundaries import LsoaBoundaryImporter, OnsWards
    from .importers.postcodes import CodePointOpenImporter

    log(f"Reading wards from {sources.wards}")
    wards = sorted(
        (f for f in _read(OnsWards(sources.wards, progress=False)) if f.parent_code.startswith(LONDON_PREFIX)),
        key=lambda f: f.code,
    )
    boroughs = sorted({f.parent_code: f.parent_name for f in wards}.items())
    if len(boroughs) != LONDON_BOROUGHS:
        raise PackError(
            f"{sources.wards} has wards in {len(boroughs)} London boroughs, not {LONDON_BOROUGHS}. "
            "Is it the whole UK (or London) ward file?"
        )
    full = np.array([f.geometry for f in wards], dtype=object)
    log(f"Simplifying {len(wards)} wards to {SIMPLIFY_TOLERANCE_M:g} m")
    simple = simplify_wards(full)

    log(f"Reading postcodes from {sources.postcodes}")
    tables = _read(CodePointOpenImporter(sources.postcodes, districts=[LONDON_PREFIX], progress=False))
    postcodes = pl.concat([t.frame for t in tables], how="diagonal_relaxed").sort("compact")
    ward_codes = [f.code for f in wards]
    unknown = postcodes.filter(~pl.col("ward_code").is_in(ward_codes))
    if unknown.height:
        example = unknown.row(0, named=True)
        raise PackError(
            f"{unknown.height} postcodes name a ward that is not in {sources.wards} (e.g. {example['compact']} → "
            f"{example['ward_code']}). Use ward boundaries of the same year as the postcode release."
        )
    placed = postcodes.filter(pl.col("latitude").is_not_null())
    lngs, lats = placed["longitude"].to_numpy(), placed["latitude"].to_numpy()
    in_full, in_simple = locate(full, lngs, lats), locate(simple, lngs, lats)
    agreement = float((in_full == in_simple).mean())
    log(f"Simplified wards place {agreement:.4%} of {len(lngs):,} postcodes as the source boundaries do")
    if agreement < MIN_AGREEMENT:
        raise PackError(
            f"The simplified wards agree with the source on {agreement:.4%} of postcodes, below {MIN_AGREEMENT:.1%}. "
            "Lower SIMPLIFY_TOLERANCE_M."
        )

    log(f"Reading LSOAs from {sources.lsoas}")
    lsoa_features = _read(LsoaBoundaryImporter(sources.lsoas, census_year=2021, progress=False))
    london = shapely.union_all(full)
    shapely.prepare(london)
    lsoa_features = sorted(
        (f for f in lsoa_features if london.contains(f.geometry.representative_point())), key=lambda f: f.code
    )
    lsoa_shapes = np.array([f.geometry for f in lsoa_features], dtype=object)
    lsoa_index = locate(lsoa_shapes, lngs, lats)
    # Generalised LSOA edges leave a few postcodes (on the river bank, at the edge of London) outside
    # every LSOA: those take the nearest one.
    if (outside := np.flatnonzero(lsoa_index < 0)).size:
        tree = shapely.STRtree(lsoa_shapes)
        lsoa_index[outside] = tree.query_nearest(shapely.points(lngs[outside], lats[outside]), all_matches=False)[1]
    lsoa_codes = np.array([f.code for f in lsoa_features], dtype=object)
    placed = placed.with_columns(pl.Series("lsoa21_code", lsoa_codes[lsoa_index], dtype=pl.String))
    postcodes = postcodes.join(placed.select("compact", "lsoa21_code"), on="compact", how="left")

    lookup = _lsoa_ward_lookup(lsoa_features, placed, wards, full)
    manifest = {
        "name": "London places",
        "sources": {
            "wards": {"release": sources.wards_release, "file": sources.wards.name},
            "postcodes": {"release": sources.postcodes_release, "file": sources.postcodes.name},
            "lsoas": {"release": sources.lsoas_release, "file": sources.lsoas.name},
        },
        "source_sha256": {
            "wards": sha256_file(sources.wards),
            "postcodes": sha256_file(sources.postcodes),
            "lsoas": sha256_file(sources.lsoas),
        },
        "simplify_tolerance_m": SIMPLIFY_TOLERANCE_M,
        "postcode_agreement": round(agreement, 6),
        "counts": {
            "boroughs": len(boroughs),
            "wards": len(wards),
            "postcodes": postcodes.height,
            "postcodes_without_position": postcodes.height - placed.height,
            "lsoas": lookup.height,
        },
    }
    _write(out, manifest, wards, simple, boroughs, postcodes, lookup)
    log(f"Wrote the pack to {out}")
    return manifest


def _lsoa_ward_lookup(lsoa_features, placed: pl.DataFrame, wards, full: np.ndarray) -> pl.DataFrame:
    """Each LSOA's best-fit ward: the ward holding most of its postcodes, else most of its area."""
    counts = placed.group_by("lsoa21_code", "ward_code").agg(pl.len().alias("n"))
    totals = counts.group_by("lsoa21_code").agg(pl.col("n").sum().alias("total"))
    best = (
        counts.sort(["lsoa21_code", "n", "ward_code"], descending=[False, True, False])
        .unique("lsoa21_code", keep="first", maintain_order=True)
        .join(totals, on="lsoa21_code")
    )
    by_lsoa = {code: (ward, n / total) for code, ward, n, total in best.iter_rows()}
    borough_of = {f.code: f.parent_code for f in wards}
    ward_tree = shapely.STRtree(full)
    rows = []
    for f in lsoa_features:
        if f.code in by_lsoa:
            ward, share = by_lsoa[f.code]
            share = round(share, 3)
        else:
            candidates = ward_tree.query(f.geometry, predicate="intersects")
            areas = shapely.area(shapely.intersection(full[candidates], f.geometry))
            ward, share = wards[int(candidates[int(np.argmax(areas))])].code, None
        rows.append((f.code, f.name, ward, borough_of[ward], share))
    return pl.DataFrame(
        rows,
        schema={
            "LSOA21CD": pl.String,
            "LSOA21NM": pl.String,
            "ward_code": pl.String,
            "borough_code": pl.String,
            "share_of_postcodes": pl.Float64,
        },
        orient="row",
    )


def _write(out: Path, manifest, wards, simple, boroughs, postcodes: pl.DataFrame, lookup: pl.DataFrame) -> None:
    out.mkdir(parents=True, exist_ok=True)
    ward_features = [
        {
            "type": "Feature",
            "properties": {
                "code": f.code,
                "name": f.name,
                "borough_code": f.parent_code,
                "borough_name": f.parent_name,
            },
            "geometry": _rounded(geometry),
        }
        for f, geometry in zip(wards, simple, strict=True)
    ]
    (out / FILES["wards"]).write_bytes(_geojson(ward_features))
    parents = np.array([f.parent_code for f in wards])
    borough_features = [
        {
            "type": "Feature",
            "properties": {
                "code": code,
                "name": name,
                "force": "city-of-london" if code == CITY_OF_LONDON else "metropolitan",
            },
            "geometry": _rounded(shapely.coverage_union_all(simple[parents == code])),
        }
        for code, name in boroughs
    ]
    (out / FILES["boroughs"]).write_bytes(_geojson(borough_features))
    table = postcodes.select(
        (
            pl.col("compact").str.slice(0, pl.col("compact").str.len_chars() - 3)
            + pl.lit(" ")
            + pl.col("compact").str.slice(-3)
        ).alias("pcds"),
        pl.col("latitude").fill_null(NO_LATITUDE).round(6).alias("lat"),
        pl.col("longitude").fill_null(NO_LONGITUDE).round(6).alias("long"),
        pl.col("easting").alias("oseast1m"),
        pl.col("northing").alias("osnrth1m"),
        "positional_quality",
        pl.col("ward_code").alias("osward"),
        pl.col("borough_code").alias("oslaua"),
        pl.col("lsoa21_code").fill_null("").alias("lsoa21"),
    )
    (out / FILES["postcodes"]).write_bytes(_gzip(table.write_csv(float_precision=6).encode("utf-8")))
    (out / FILES["lsoa_wards"]).write_text(lookup.write_csv(float_precision=3), encoding="utf-8")
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_checksums(out)
