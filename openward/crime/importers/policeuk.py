"""The data.police.uk importer: street crime, outcomes and stop and search, from CSVs or API dumps."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import groupby
from typing import NamedTuple, TypedDict

import polars as pl
from django.db import connection

from openward.areas.models import Force
from openward.core.importers import BaseImporter
from openward.core.importers.base import Problem
from openward.core.values import Month

from ..models import CrimeCategory, DroppedDuplicate
from ..placement import Placer
from . import frames, store
from .categories import CATEGORY_NAMES
from .csvtable import FileProblem, read_table
from .sources import API_STOPS, API_STREET, NAMING_HELP, OUTCOMES, STOPS, STREET, SourceFile, Unreadable, find_sources

COLUMNS = {"crime": frames.CRIME_COLUMNS, "outcome": frames.OUTCOME_COLUMNS, "stop": frames.STOP_COLUMNS}
NOUNS = {"crime": "crimes", "outcome": "outcomes", "stop": "stops and searches"}
BTP = "btp"
SOURCE_LENGTH = DroppedDuplicate._meta.get_field("source").max_length
# Outcomes and stops have no copies to record.
NO_COPIES = pl.DataFrame(schema={"force_id": pl.Int64})


class PoliceUkImporter(BaseImporter):
    """Import data.police.uk monthly files (one file, a folder or the archive zip) or saved API responses.

    Re-importing a force's month replaces it, so an import never loses data by accident: bad
    rows are left out and reported by line, but any of these stops the whole import, which
    then changes nothing: a file that cannot be read (damaged, cut short, not UTF-8, wrong
    header); a file none of whose rows can be kept; a month that would keep fewer than half
    its stored rows (unless `allow_shrink`). Rows left out as copies of another are stored as
    DroppedDuplicate, so the figures can say how many and why. `force` names the force of
    saved crimes-street API responses, which do not say it themselves (their BTP records go
    to `btp`).
    """

    name = "police-uk"
    all_or_nothing = False

    def __init__(self, path, *, force: str | None = None, is_demo: bool = False, allow_shrink: bool = False, **kwargs):
        super().__init__(path, **kwargs)
        self.force = force
        self.is_demo = is_demo
        self.allow_shrink = allow_shrink

    # -- reading: find the files and check their names ---------------------------------
    def read(self) -> Iterator[SourceFile]:
        try:
            sources, skipped = find_sources(self.path)
        except (Unreadable, ValueError) as exc:
            self.fail(str(self.path), str(exc))
        if skipped:
            self.counts["files_skipped"] += len(skipped)
            shown = ", ".join(s.rsplit("/", 1)[-1] for s in skipped[:5]) + (" …" if len(skipped) > 5 else "")
            self.problems.append(Problem(str(self.path), f"skipped {len(skipped)} other files ({shown})"))
        if not sources:
            self.fail(str(self.path), f"No data.police.uk files found. {NAMING_HELP}")
        if any(s.kind == API_STREET for s in sources) and not self.force:
            self.fail(
                str(self.path),
                "Saved crimes-street API responses do not say which force recorded them: "
                "give the force, e.g. --force metropolitan.",
            )
        self.forces = dict(Force.objects.values_list("slug", "id"))
        wanted = {(s.force or self.force or ""): s for s in sources}
        unknown = sorted(f for f in wanted if f not in self.forces)
        if unknown:
            known = ", ".join(sorted(self.forces)) or "none are loaded yet"
            origin = "from the file name" if wanted[unknown[0]].force else "given as --force"
            self.fail(
                wanted[unknown[0]].where,
                f'force "{unknown[0]}" ({origin}) is not a police force we know'
                + (f" (nor are {', '.join(unknown[1:])})" if len(unknown) > 1 else "")
                + f". Known forces: {known}. Check the file name, or load the forces first.",
            )
        self.counts["files"] = len(sources)
        yield from sorted(sources, key=self._group_key)

    # -- writing: one (table, force, month) at a time ------------------------------------
    def write(self, sources: list[SourceFile]) -> None:
        with store.fast_writes():
            self._write(sources)

    def _write(self, sources: list[SourceFile]) -> None:
        placer = Placer()
        category_ids = _category_ids()
        written: set[tuple[str, int, Month]] = set()
        self.month_counts: dict[tuple[int, Month], list[store.Counted]] = {}
        self.asb_id = category_ids.get(store.ASB)
        late: dict[tuple[int, Month], list[Parsed]] = {}
        groups = [(key, list(files)) for key, files in groupby(sources, key=self._group_key)]
        for (table, force_slug, month), files in self.bar(groups, total=len(groups), desc="force-months"):
            force_id = self.forces[force_slug]
            parts = [p for p in (self._parse(src, force_id, category_ids) for src in files) if p is not None]
            if not parts:
                continue
            parsed = _joined(parts)
            if table == "crime" and any(src.kind == API_STREET for src in files):
                btp_id = self.forces.get(BTP)
                if btp_id is not None and btp_id != force_id:
                    late.setdefault((btp_id, month), []).append(parsed.only(pl.col("force_id") == btp_id))
                    parsed = parsed.only(pl.col("force_id") != btp_id)
            self._store(table, force_slug, frames.month_start(month), parsed, placer, replace=True)
            written.add((table, force_id, month))
        for (btp_id, month), parts in late.items():
            # BTP records found inside another force's API dump: replace BTP's month unless
            # this run already wrote it from BTP's own files, in which case add to them.
            replace = ("crime", btp_id, month) not in written
            self._store("crime", BTP, frames.month_start(month), _joined(parts), placer, replace=replace)
            written.add(("crime", btp_id, month))
        for (force_id, month), counted in sorted(self.month_counts.items(), key=str):
            self.counts["monthly_counts"] += store.replace_monthly_counts(
                force_id, frames.month_start(month), counted, is_demo=self.is_demo
            )
        store.update_category_months()

    def _group_key(self, src: SourceFile) -> tuple[str, str, Month]:
        return (src.table, src.force or self.force or "", src.month)

    def _store(self, table: str, force_slug: str, month, parsed: Parsed, placer: Placer, *, replace: bool) -> None:
        force_id = self.forces[force_slug]
        rows = parsed.rows
        if table != "outcome":
            rows = placer.place(rows, month)
            self.counts[f"{table}_rows_unplaced"] += rows.filter(pl.col("ward_id").is_null()).height
        if replace:
            try:
                self.counts[f"{table}_rows_replaced"] += store.replace_month(
                    table, force_id, month, rows, COLUMNS[table], is_demo=self.is_demo, allow_shrink=self.allow_shrink
                )
            except store.MonthWouldShrink as exc:
                self.fail(
                    parsed.end,
                    f"the file ends here, with {exc.incoming:,} {NOUNS[table]} for {force_slug} {month:%Y-%m} where "
                    f"{exc.stored:,} are stored: importing it would remove {exc.stored - exc.incoming:,}. Fewer than "
                    "half a month's stored rows usually means a file cut short, so nothing was imported. Download it "
                    "again, or, if the smaller month is right, import it with --allow-shrink.",
                )
        elif rows.height:
            with connection.cursor() as cursor:
                store.insert(cursor, store.MODELS[table]._meta.db_table, rows.select(COLUMNS[table]))
        self.counts[f"{table}_rows"] += rows.height
        if table == "crime":
            self.month_counts.setdefault((force_id, month), []).append(store.count_crimes(rows, self.asb_id))
            dropped = placer.place(parsed.dropped, month) if parsed.dropped.height else parsed.dropped
            store.store_dropped_duplicates(force_id, month, dropped, is_demo=self.is_demo, replace=replace)

    def _parse(self, src: SourceFile, force_id: int, category_ids: dict[str, int]) -> Parsed | None:
        """The file's rows to store, or None for a file with no rows (its stored month is left as it is)."""
        try:
            data = src.read()
            if src.kind in (API_STREET, API_STOPS):
                return self._parse_api(src, data, force_id, category_ids)
            spec = {
                STREET: (frames.STREET_HEADER, frames.STREET_NAMES, "street-level crime"),
                OUTCOMES: (frames.OUTCOMES_HEADER, frames.OUTCOMES_NAMES, "outcomes"),
                STOPS: (frames.STOPS_HEADER, frames.STOPS_NAMES, "stop-and-search"),
            }[src.kind]
            table = read_table(data, *spec)
        except (Unreadable, FileProblem) as exc:
            self.fail(src.where, str(exc))
        self.counts[f"{src.kind}_rows_read"] += table.height
        common = Common(month=src.month, force_id=force_id, is_demo=self.is_demo)
        dropped = NO_COPIES
        if src.kind == STREET:
            rows, bad, copies = frames.street_frame(table, is_btp=src.force == BTP, category_ids=category_ids, **common)
            dropped = copies.with_columns(
                reason=pl.lit(DroppedDuplicate.Reason.IDENTICAL_ROW.value),
                source=pl.format("{}:{}", pl.lit(src.where), pl.col("line")).str.slice(0, SOURCE_LENGTH),
            )
        elif src.kind == OUTCOMES:
            rows, bad = frames.outcomes_frame(table, **common)
        else:
            rows, bad = frames.stops_frame(table, **common)
        problems = [(f"{src.where}:{line}", message) for line, message in bad.iter_rows()]
        if not self._keep_problems(src, problems, read=table.height, kept=rows.height):
            return None
        self.counts["duplicates_removed"] += dropped.height
        return Parsed(rows, dropped, f"{src.where}:{table['line'][-1]}" if table.height else src.where)

    def _parse_api(self, src: SourceFile, data: bytes, force_id: int, category_ids) -> Parsed | None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileProblem("is not UTF-8 text, so it is not a saved police.uk API response") from exc
        records = list(_api_records(src.where, text))
        self.counts[f"{src.kind}_records_read"] += len(records)
        common = Common(month=src.month, force_id=force_id, is_demo=self.is_demo)
        dropped = NO_COPIES
        if src.kind == API_STREET:
            rows, problems, copies = frames.api_street_frame(
                records, btp_id=self.forces.get(BTP), category_ids=category_ids, **common
            )
            dropped = copies.with_columns(
                reason=pl.lit(DroppedDuplicate.Reason.REPEATED_API_ID.value),
                source=pl.col("where").str.slice(0, SOURCE_LENGTH),
            )
        else:
            rows, problems = frames.api_stops_frame(records, **common)
        if not self._keep_problems(src, problems, read=len(records), kept=rows.height):
            return None
        self.counts["duplicates_removed"] += dropped.height
        return Parsed(rows, dropped, records[-1][0])

    def _keep_problems(self, src: SourceFile, problems: list[tuple[str, str]], *, read: int, kept: int) -> bool:
        """Record the rows left out; False for a file with no rows. A file none of whose rows can be kept is
        refused: importing it would empty its stored month."""
        for where, message in problems:
            self.problem(where, message)
        if kept:
            return True
        if not read:
            self.counts["files_without_rows"] += 1
            self.problems.append(Problem(src.where, "the file has no rows; its stored month was left as it is"))
            return False
        where, message = problems[0]
        self.fail(
            where,
            f"none of the file's {read:,} rows could be kept (this is the first: {message}). Importing it would "
            "empty its stored month, so nothing was imported. Check it is the file for the force and month its "
            "name says.",
        )


class Common(TypedDict):
    """What every frame builder is told about a file: its month, its force, and whether it is demo data."""

    month: Month
    force_id: int
    is_demo: bool


class Parsed(NamedTuple):
    """One force-month's rows to store, the copies left out of them, and where its last file ends."""

    rows: pl.DataFrame
    dropped: pl.DataFrame
    end: str

    def only(self, condition: pl.Expr) -> Parsed:
        return Parsed(self.rows.filter(condition), self.dropped.filter(condition), self.end)


def _joined(parts: list[Parsed]) -> Parsed:
    if len(parts) == 1:
        return parts[0]
    return Parsed(
        pl.concat([p.rows for p in parts], how="diagonal_relaxed"),
        pl.concat([p.dropped for p in parts], how="diagonal_relaxed"),
        parts[-1].end,
    )


def _api_records(where: str, text: str) -> Iterator[tuple[str, dict]]:
    """(where, record) from a JSON array, or from JSON lines of arrays / {"response": [...]} wrappers."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except json.JSONDecodeError as exc:
            # "Extra data" after a first whole array: JSON lines of arrays, read line by line below.
            if exc.msg != "Extra data":
                raise FileProblem(f"is not valid JSON (line {exc.lineno}: {exc.msg}); download it again") from exc
        else:
            _check_storable(items, "the file", text)
            yield from ((f"{where}#{i}", item) for i, item in enumerate(items))
            return
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FileProblem(f"line {lineno} is not valid JSON ({exc.msg}); download it again") from exc
        _check_storable(obj, f"line {lineno}", line)
        items = obj.get("response") if isinstance(obj, dict) and "response" in obj else obj
        if items is None:
            continue  # an empty response: police.uk had nothing for that query
        # Anything but a list is one record, which the record checks report if it is not one.
        for i, item in enumerate(items if isinstance(items, list) else [items]):
            yield f"{where}:{lineno}#{i}", item


# The only JSON escapes that decode to text a database cannot store: NUL and UTF-16 surrogates.
_SUSPECT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


def _check_storable(value, where: str, source: str) -> None:
    """Refuse JSON whose strings hold a NUL or a lone surrogate (escaped in the source), which no database stores."""
    if not _SUSPECT_ESCAPE.search(source):
        return
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and ("\x00" in item or not _is_utf8(item)):
            raise FileProblem(
                f"{where} holds text no police.uk response has (a NUL character or half a surrogate pair, "
                "escaped as \\u…): the file is damaged. Download it again."
            )


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _category_ids() -> dict[str, int]:
    """slug -> id for every police.uk category, creating the ones not yet stored."""
    existing = dict(CrimeCategory.objects.values_list("slug", "id"))
    missing = [CrimeCategory(slug=s, name=n) for s, n in CATEGORY_NAMES.items() if s not in existing]
    if missing:
        CrimeCategory.objects.bulk_create(missing, ignore_conflicts=True)
        existing = dict(CrimeCategory.objects.values_list("slug", "id"))
    return existing
