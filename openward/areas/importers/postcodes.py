"""Postcode importers: OS Code-Point Open (as downloaded) and ONS postcode directory style CSVs.

Both read the whole file into a polars table, check every row with column expressions, convert
British National Grid to WGS84 in one pyproj call, and upsert in batches with one
`INSERT … ON CONFLICT (compact) DO UPDATE` per batch, so 180,000 London postcodes take seconds.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.db import connection
from pyproj import Transformer

from openward.core.importers.base import BaseImporter, unterminated_last_line

from ..models import Postcode
from . import places
from .files import (
    CUT_SHORT,
    SourceError,
    decode_utf8,
    first_bad_csv_line,
    open_zip,
    read_bytes,
    read_zip_member,
    xlsx_code_names,
)

POSTCODE_PATTERN = r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"
GSS_PATTERN = r"^[EWSNL]\d{8}$"
# Code-Point Open's positional quality: 10 = within the building … 60 = postcode sector mean, 90 = none.
POSITIONAL_QUALITIES = [10, 20, 30, 40, 50, 60, 90]

_to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)

# What each model column is called in the table `read` builds.
POSTCODE_COLUMNS = [
    "positional_quality",
    "easting",
    "northing",
    "latitude",
    "longitude",
    "ward_code",
    "borough_code",
    "lsoa11_code",
    "lsoa21_code",
    "introduced",
    "terminated",
]


@dataclass
class PostcodeTable:
    """Checked rows of one source file, columns named as the Postcode model's, plus area names seen."""

    name: str
    frame: pl.DataFrame
    ward_names: dict[str, str] = field(default_factory=dict)
    borough_names: dict[str, str] = field(default_factory=dict)


def bng_to_wgs84(frame: pl.DataFrame) -> pl.DataFrame:
    """Add latitude/longitude from easting/northing; rows without a grid reference get none."""
    has_grid = (pl.col("easting") > 0) & (pl.col("northing") > 0)
    eastings = frame.select(pl.when(has_grid).then(pl.col("easting"))).to_series().cast(pl.Float64).to_numpy()
    northings = frame.select(pl.when(has_grid).then(pl.col("northing"))).to_series().cast(pl.Float64).to_numpy()
    lng, lat = _to_wgs84.transform(eastings, northings)
    return frame.with_columns(
        pl.when(has_grid).then(pl.Series("latitude", lat).round(6)).alias("latitude"),
        pl.when(has_grid).then(pl.Series("longitude", lng).round(6)).alias("longitude"),
    )


class PostcodeImporter(BaseImporter):
    """Shared checks and the batched upsert; subclasses turn one source format into PostcodeTables."""

    all_or_nothing = True
    source_label = ""
    # Which Postcode columns this source fills (an ONSPD import must not blank Code-Point's quality).
    provides: tuple[str, ...] = ()

    def __init__(
        self,
        path,
        *,
        generation: str = "2022",
        names: str | Path | None = None,
        districts: Iterable[str] = (),
        demo: bool = False,
        **kwargs,
    ):
        super().__init__(path, **kwargs)
        self.generation_slug = generation
        self.names_path = Path(names) if names else None
        self.district_prefixes = tuple(districts)
        self.demo = demo

    # -- reading helpers -------------------------------------------------------------
    def parse_csv(self, data: bytes, name: str, *, columns: list[str] | None, skip_header: bool) -> pl.DataFrame:
        """All fields as text; ragged or broken rows are reported by line and stop the import."""
        text = decode_utf8(data, name)
        expected = len(columns) if columns else len(next(csv.reader(io.StringIO(text.split("\n", 1)[0]))))
        try:
            frame = pl.read_csv(
                io.BytesIO(text.encode("utf-8")),
                has_header=skip_header,
                new_columns=columns,
                infer_schema=False,
                quote_char='"',
            )
        except (pl.exceptions.ComputeError, pl.exceptions.ShapeError) as exc:
            bad = first_bad_csv_line(text, expected, skip_header)
            if bad:
                raise SourceError(f"{name}, line {bad[0]}", f"this row {bad[1]}; the file may be cut short.") from None
            raise SourceError(name, f"the file cannot be read as CSV ({str(exc).splitlines()[0]}).") from None
        if frame.width and frame.height and frame[:, -1].null_count():
            bad = first_bad_csv_line(text, expected, skip_header)
            if bad:
                raise SourceError(f"{name}, line {bad[0]}", f"this row {bad[1]}; the file may be cut short.")
        if (last := unterminated_last_line(data)) is not None:
            # A row cut after its last comma still has every field; only the missing line break tells.
            raise SourceError(f"{name}, line {last}", CUT_SHORT)
        first_line = 2 if skip_header else 1
        return frame.with_row_index("line", offset=first_line)

    def report_bad_rows(self, name: str, frame: pl.DataFrame, checks: dict[str, pl.Expr]) -> None:
        """Record a problem for every row failing a check: `checks` maps message → 'row is bad' expression."""
        for message, bad in checks.items():
            for line, value in frame.filter(bad).select("line", "_shown").iter_rows():
                self.problem(f"{name}, line {line}", message.format(value=value))

    def report_duplicates(self, name: str, frame: pl.DataFrame) -> None:
        """A postcode on two lines: the second is reported, naming the first."""
        dupes = frame.filter(pl.col("compact").is_duplicated()).group_by("compact").agg(pl.col("line").sort())
        for compact, lines in dupes.sort("compact").iter_rows():
            self.problem(f"{name}, line {lines[1]}", f'postcode "{compact}" is also on line {lines[0]}.')

    def in_our_districts(self, frame: pl.DataFrame) -> pl.DataFrame:
        if not self.district_prefixes:
            return frame
        keep = pl.any_horizontal([pl.col("borough_code").str.starts_with(p) for p in self.district_prefixes])
        kept = frame.filter(keep)
        self.counts["rows_outside_districts"] += frame.height - kept.height
        return kept

    def load_names(self) -> tuple[dict[str, str], dict[str, str]]:
        """Ward and borough names from a names CSV (ward_code, ward_name, borough_code, borough_name)."""
        if not self.names_path:
            return {}, {}
        data = read_bytes(self.names_path)
        if self.names_path.suffix.lower() == ".xlsx":
            names = xlsx_code_names(data, str(self.names_path))
            return names, names
        rows = list(csv.DictReader(io.StringIO(decode_utf8(data, str(self.names_path)))))
        needed = {"ward_code", "ward_name", "borough_code", "borough_name"}
        if not rows or not needed <= set(rows[0]):
            raise SourceError(
                f"{self.names_path}, line 1",
                f"a names file needs the columns {', '.join(sorted(needed))}.",
            )
        wards = {r["ward_code"].strip(): r["ward_name"].strip() for r in rows if r["ward_code"].strip()}
        boroughs = {r["borough_code"].strip(): r["borough_name"].strip() for r in rows if r["borough_code"].strip()}
        return wards, boroughs

    def read(self):
        try:
            yield from self.read_tables()
        except SourceError as exc:
            self.fail(exc.where, exc.message)

    def read_tables(self) -> Iterable[PostcodeTable]:
        raise NotImplementedError

    # -- writing -----------------------------------------------------------------------
    def write(self, records: list[PostcodeTable]) -> None:
        if not records:
            return
        frame = pl.concat([r.frame for r in records], how="diagonal_relaxed")
        ward_names, borough_names = {}, {}
        for r in records:
            ward_names.update(r.ward_names)
            borough_names.update(r.borough_names)
        try:
            extra_wards, extra_boroughs = self.load_names()
        except SourceError as exc:
            self.fail(exc.where, exc.message)
        ward_names.update(extra_wards)
        borough_names.update(extra_boroughs)
        self.write_places(frame, ward_names, borough_names)
        self.upsert_postcodes(frame)

    def write_places(self, frame: pl.DataFrame, ward_names: dict, borough_names: dict) -> None:
        gen = places.generation(self.generation_slug)
        pairs = (
            frame.filter(pl.col("ward_code") != "")
            .select("ward_code", "borough_code")
            .unique()
            .sort("borough_code", "ward_code")
        )
        boroughs = {}
        for code in frame.filter(pl.col("borough_code") != "")["borough_code"].unique().sort():
            boroughs[code] = places.upsert_borough(
                code, borough_names.get(code), is_demo=self.demo, rename=False, counts=self.counts
            )
        places.upsert_wards(
            pairs.rows(), ward_names, boroughs, gen, is_demo=self.demo, rename=False, counts=self.counts
        )

    def upsert_postcodes(self, frame: pl.DataFrame) -> None:
        """Batched `INSERT … ON CONFLICT (compact) DO UPDATE` of the columns this source provides."""
        columns = ["compact", *self.provides]
        # Rows in key order keep the unique index's B-tree writes local.
        rows = frame.sort("compact").select(columns).rows()
        # Constants (and the defaults of columns this source does not fill) are written into the
        # statement once instead of bound on every row: fewer parameters, much faster on SQLite.
        constants = {"source": self.source_label, "is_demo": self.demo}
        constants |= {
            f.column: f.get_default()
            for f in Postcode._meta.concrete_fields
            if f.column is not None and f.column not in columns and f.column not in constants and not f.primary_key
        }
        q = connection.ops.quote_name
        insert_columns = ", ".join(q(c) for c in [*columns, *constants])
        row_sql = "(" + ", ".join(["%s"] * len(columns) + [_literal(v) for v in constants.values()]) + ")"
        updated = [c for c in [*columns[1:], "source", "is_demo"]]
        table = q(Postcode._meta.db_table)
        # Unchanged rows are left alone, so re-importing the same release writes almost nothing.
        differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
        conflict = (
            f"ON CONFLICT ({q('compact')}) DO UPDATE SET "
            + ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in updated)
            + " WHERE "
            + " OR ".join(f"{table}.{q(c)} {differs} EXCLUDED.{q(c)}" for c in updated)
        )
        before = Postcode.objects.count()
        written = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY into a scratch table, then one upsert from it: the fastest path PostgreSQL has.
                names = ", ".join(q(c) for c in columns)
                cursor.execute(f"CREATE TEMP TABLE postcode_import AS SELECT {names} FROM {table} WITH NO DATA")
                with cursor.cursor.copy(f"COPY postcode_import ({names}) FROM STDIN") as copy:
                    for row in self.bar(rows, total=len(rows), desc="postcodes"):
                        copy.write_row(row)
                cursor.execute(
                    f"INSERT INTO {table} ({insert_columns}) "
                    f"SELECT {names}, {', '.join(_literal(v) for v in constants.values())} FROM postcode_import "
                    f"{conflict}"
                )
                written += cursor.rowcount
                cursor.execute("DROP TABLE postcode_import")
            else:
                # SQLite is fastest with executemany: one prepared statement, bound row by row.
                sql = f"INSERT INTO {table} ({insert_columns}) VALUES {row_sql} {conflict}"
                batch = 5000
                for start in self.bar(range(0, len(rows), batch), total=-(-len(rows) // batch), desc="postcodes"):
                    cursor.executemany(sql, rows[start : start + batch])
                    written += cursor.rowcount
        created = Postcode.objects.count() - before
        self.counts["postcodes_created"] += created
        self.counts["postcodes_updated"] += written - created
        self.counts["postcodes_unchanged"] += len(rows) - written


def _literal(value) -> str:
    """SQL for a constant this module chooses itself (never user input): NULL, TRUE/FALSE, a number or text."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


# -- OS Code-Point Open ---------------------------------------------------------------------------------
CODEPOINT_COLUMNS = [
    "Postcode",
    "Positional_quality_indicator",
    "Eastings",
    "Northings",
    "Country_code",
    "NHS_regional_HA_code",
    "NHS_HA_code",
    "Admin_county_code",
    "Admin_district_code",
    "Admin_ward_code",
]
CODEPOINT_SHORT = dict(
    zip(["PC", "PQ", "EA", "NO", "CY", "RH", "LH", "CC", "DC", "WC"], CODEPOINT_COLUMNS, strict=True)
)
CODEPOINT_HEADERS_MEMBER = re.compile(r"(^|/)Doc/Code-Point_Open_Column_Headers\.csv$", re.I)
CODEPOINT_DATA_MEMBER = re.compile(r"(^|/)Data/CSV/[^/]+\.csv$", re.I)
CODELIST_MEMBER = re.compile(r"(^|/)Doc/Codelist\.xlsx$", re.I)


def _header_names(cells: list[str]) -> list[str]:
    return [CODEPOINT_SHORT.get(c.strip().upper(), c.strip()) for c in cells]


class CodePointOpenImporter(PostcodeImporter):
    """OS Code-Point Open: the product zip, its Data/CSV folder, or one CSV (headed or not, .gz too)."""

    name = "codepoint-open"
    source_label = "codepoint-open"
    provides = tuple(c for c in POSTCODE_COLUMNS if c not in {"lsoa11_code", "lsoa21_code", "introduced", "terminated"})

    def read_tables(self):
        path = self.path
        files: list[tuple[str, bytes]] = []
        header: list[str] | None = None
        codelist: dict[str, str] = {}
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                rel = p.relative_to(path).as_posix()
                if CODEPOINT_HEADERS_MEMBER.search("/" + rel):
                    header = self.headers_file(p.read_bytes(), str(p))
                elif CODELIST_MEMBER.search("/" + rel):
                    codelist = xlsx_code_names(p.read_bytes(), str(p))
                elif p.is_file() and (p.name.lower().endswith(".csv") or p.name.lower().endswith(".csv.gz")):
                    files.append((str(p), read_bytes(p)))
        elif path.suffix.lower() == ".zip":
            archive = open_zip(path)
            for member in sorted(archive.namelist()):
                where = f"{path} → {member}"
                if CODEPOINT_HEADERS_MEMBER.search(member):
                    header = self.headers_file(read_zip_member(archive, member, str(path)), where)
                elif CODELIST_MEMBER.search(member):
                    codelist = xlsx_code_names(read_zip_member(archive, member, str(path)), where)
                elif CODEPOINT_DATA_MEMBER.search(member):
                    files.append((where, read_zip_member(archive, member, str(path))))
            if not files:
                raise SourceError(
                    str(path),
                    "this zip has no Data/CSV/*.csv files. "
                    "Download Code-Point Open in CSV format from the OS Data Hub.",
                )
        else:
            files.append((str(path), read_bytes(path)))
        if not files:
            raise SourceError(str(path), "no CSV files found here.")
        for name, data in self.bar(files, total=len(files), desc="files"):
            yield self.read_file(name, data, header, codelist)

    def headers_file(self, data: bytes, name: str) -> list[str]:
        for row in csv.reader(io.StringIO(decode_utf8(data, name))):
            names = _header_names(row)
            if names == CODEPOINT_COLUMNS:
                return names
        raise SourceError(
            name, f"the column headers file does not list Code-Point Open's columns ({', '.join(CODEPOINT_COLUMNS)})."
        )

    def read_file(self, name: str, data: bytes, header: list[str] | None, codelist: dict) -> PostcodeTable:
        text_start = decode_utf8(data[:4096], name) if len(data) < 4096 else data[:4096].decode("utf-8", "ignore")
        first = next(csv.reader(io.StringIO(text_start.split("\n", 1)[0])), [])
        first_cell = re.sub(r"\s+", "", first[0]).upper() if first else ""
        has_header = first_cell in {"POSTCODE", "PC"}
        if has_header:
            columns = _header_names(first)
            missing = [c for c in CODEPOINT_COLUMNS if c not in columns]
            if missing:
                raise SourceError(
                    f"{name}, line 1",
                    f"the header is not Code-Point Open's: missing {', '.join(missing)} (found {', '.join(first)}).",
                )
        else:
            if first and not re.match(POSTCODE_PATTERN, first_cell):
                raise SourceError(
                    f"{name}, line 1",
                    f'"{first[0][:30]}" is neither a postcode nor Code-Point Open\'s header '
                    f"({', '.join(CODEPOINT_COLUMNS)}). Is this the right file?",
                )
            columns = header or CODEPOINT_COLUMNS
            if len(first) != len(columns):
                raise SourceError(
                    f"{name}, line 1", f"this row has {len(first)} fields; Code-Point Open rows have {len(columns)}."
                )
        raw = self.parse_csv(data, name, columns=None if has_header else columns, skip_header=has_header)
        if has_header:
            raw = raw.rename(dict(zip(raw.columns[1:], columns, strict=False)))
        self.counts["rows_read"] += raw.height
        frame = raw.select(
            "line",
            pl.col("Postcode").fill_null("").alias("_shown"),
            pl.col("Postcode").fill_null("").str.replace_all(r"\s+", "").str.to_uppercase().alias("compact"),
            pl.col("Positional_quality_indicator")
            .str.strip_chars()
            .cast(pl.Int64, strict=False)
            .alias("positional_quality"),
            pl.col("Eastings").str.strip_chars().cast(pl.Int64, strict=False).alias("easting"),
            pl.col("Northings").str.strip_chars().cast(pl.Int64, strict=False).alias("northing"),
            pl.col("Admin_ward_code").fill_null("").str.strip_chars().alias("ward_code"),
            pl.col("Admin_district_code").fill_null("").str.strip_chars().alias("borough_code"),
        )
        frame = self.in_our_districts(frame)
        checks = {
            '"{value}" is not a postcode.': ~pl.col("compact").str.contains(POSTCODE_PATTERN),
            'postcode "{value}": the positional quality is not one of 10, 20, 30, 40, 50, 60, 90.': ~pl.col(
                "positional_quality"
            )
            .is_in(POSITIONAL_QUALITIES)
            .fill_null(False),
            'postcode "{value}": the easting or northing is not a whole number.': pl.col("easting").is_null()
            | pl.col("northing").is_null(),
            'postcode "{value}": the district code is not a GSS code like E09000001.': ~pl.col(
                "borough_code"
            ).str.contains(GSS_PATTERN),
            'postcode "{value}": the ward code is not a GSS code like E05000001.': (pl.col("ward_code") != "")
            & ~pl.col("ward_code").str.contains(GSS_PATTERN),
        }
        self.report_bad_rows(name, frame, checks)
        self.report_duplicates(name, frame)
        frame = bng_to_wgs84(frame.with_columns(pl.col("easting").fill_null(0), pl.col("northing").fill_null(0)))
        frame = frame.with_columns(
            pl.when(pl.col("easting") > 0).then(pl.col("easting")).alias("easting"),
            pl.when(pl.col("northing") > 0).then(pl.col("northing")).alias("northing"),
        )
        return PostcodeTable(name, frame, ward_names=codelist, borough_names=codelist)


# -- ONS postcode directory style CSVs ---------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """A model column and the header names sources use for it (first found wins)."""

    target: str
    aliases: tuple[str, ...]
    required: bool = False


class OnsPostcodeDirectoryImporter(PostcodeImporter):
    """ONS Postcode Directory (ONSPD/NSPL) style CSV: pcds, lat, long, osward, oslaua, lsoa11/21, doterm."""

    name = "ons-postcode-directory"
    source_label = "onspd"
    columns = (
        Column("postcode", ("pcds", "pcd", "pcd2", "pcd7", "pcd8", "postcode"), required=True),
        Column("latitude", ("lat", "latitude"), required=True),
        Column("longitude", ("long", "lng", "longitude"), required=True),
        Column("easting", ("oseast1m", "easting", "eastings")),
        Column("northing", ("osnrth1m", "northing", "northings")),
        Column("ward_code", ("osward", "ward_code", "wd25cd", "wd24cd", "wd23cd", "wd22cd"), required=True),
        Column("borough_code", ("oslaua", "laua", "lad25cd", "lad23cd", "lad22cd", "borough_code"), required=True),
        Column("lsoa11_code", ("lsoa11", "lsoa11cd")),
        Column("lsoa21_code", ("lsoa21", "lsoa21cd")),
        Column("introduced", ("dointr", "date_introduced")),
        Column("terminated", ("doterm", "date_terminated")),
        Column("positional_quality", ("positional_quality",)),
        Column("ward_name", ("ward_name", "wd25nm", "wd22nm")),
        Column("borough_name", ("borough_name", "lad25nm", "lad22nm")),
    )

    def read_tables(self):
        data = read_bytes(self.path)
        name = str(self.path)
        text = decode_utf8(data, name)
        header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
        lower = {h.strip().lower(): h for h in header}
        found: dict[str, str] = {}
        for col in self.columns:
            match = next((lower[a] for a in col.aliases if a in lower), None)
            if match:
                found[col.target] = match
            elif col.required:
                raise SourceError(
                    f"{name}, line 1",
                    f"no {col.target.replace('_', ' ')} column: expected one of {', '.join(col.aliases)} "
                    f"(found {', '.join(header[:12])}{'…' if len(header) > 12 else ''}).",
                )
        self.provides = tuple(c for c in POSTCODE_COLUMNS if c in found and c not in {"ward_name", "borough_name"})
        self.provides = tuple(dict.fromkeys((*self.provides, "terminated")))
        raw = self.parse_csv(data, name, columns=None, skip_header=True)
        self.counts["rows_read"] += raw.height

        def text_col(target):
            return pl.col(found[target]).fill_null("").str.strip_chars() if target in found else pl.lit("")

        def yyyymm(target):
            value = text_col(target)
            return (
                pl.when(value.str.contains(r"^\d{6}$"))
                .then(pl.concat_str(value, pl.lit("01")).str.strptime(pl.Date, "%Y%m%d", strict=False))
                .otherwise(None)
                .alias(target)
            )

        frame = raw.select(
            "line",
            text_col("postcode").alias("_shown"),
            text_col("postcode").str.replace_all(r"\s+", "").str.to_uppercase().alias("compact"),
            text_col("latitude").cast(pl.Float64, strict=False).alias("latitude"),
            text_col("longitude").cast(pl.Float64, strict=False).alias("longitude"),
            text_col("easting").cast(pl.Int64, strict=False).alias("easting"),
            text_col("northing").cast(pl.Int64, strict=False).alias("northing"),
            text_col("positional_quality").cast(pl.Int64, strict=False).alias("positional_quality"),
            text_col("ward_code").alias("ward_code"),
            text_col("borough_code").alias("borough_code"),
            text_col("lsoa11_code").alias("lsoa11_code"),
            text_col("lsoa21_code").alias("lsoa21_code"),
            text_col("ward_name").alias("ward_name"),
            text_col("borough_name").alias("borough_name"),
            yyyymm("introduced"),
            yyyymm("terminated"),
            text_col("terminated").alias("_doterm"),
        )
        frame = self.in_our_districts(frame)
        # ONSPD writes 99.999999 / 0.000000 for postcodes with no grid reference.
        no_location = pl.col("latitude") > 90
        checks = {
            '"{value}" is not a postcode.': ~pl.col("compact").str.contains(POSTCODE_PATTERN),
            'postcode "{value}": the latitude or longitude is not a number.': pl.col("latitude").is_null()
            | pl.col("longitude").is_null(),
            'postcode "{value}": the ward code is not a GSS code like E05000001.': (pl.col("ward_code") != "")
            & ~pl.col("ward_code").str.contains(GSS_PATTERN),
            'postcode "{value}": the district code is not a GSS code like E09000001.': ~pl.col(
                "borough_code"
            ).str.contains(GSS_PATTERN),
            'postcode "{value}": the termination date is not YYYYMM.': (pl.col("_doterm") != "")
            & pl.col("terminated").is_null(),
        }
        self.report_bad_rows(name, frame, checks)
        frame = frame.with_columns(
            pl.when(no_location).then(None).otherwise(pl.col("latitude")).alias("latitude"),
            pl.when(no_location).then(None).otherwise(pl.col("longitude")).alias("longitude"),
        )
        self.report_duplicates(name, frame)
        ward_names = dict(
            frame.filter(pl.col("ward_name") != "").select("ward_code", "ward_name").unique("ward_code").rows()
        )
        borough_names = dict(
            frame.filter(pl.col("borough_name") != "")
            .select("borough_code", "borough_name")
            .unique("borough_code")
            .rows()
        )
        self.counts["terminated"] += frame.filter(pl.col("terminated").is_not_null()).height
        yield PostcodeTable(name, frame, ward_names=ward_names, borough_names=borough_names)
