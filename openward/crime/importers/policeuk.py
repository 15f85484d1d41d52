"""The data.police.uk importer: street crime, outcomes and stop and search, from CSVs or API dumps."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import nullcontext
from itertools import groupby
from typing import NamedTuple, TypedDict

import numpy as np
import polars as pl
from django.db import connection

from openward.areas.models import Force
from openward.core.importers import BaseImporter
from openward.core.importers.base import Problem
from openward.core.threads import ahead
from openward.core.values import Month

from ..models import CrimeCategory, DroppedDuplicate
from ..placement import Placer
from . import frames, months, sqlitestage, store
from .categories import CATEGORY_NAMES
from .csvtable import PIECE_ROWS, FileProblem, read_pieces
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

    # -- writing: a month at a time -----------------------------------------------------------
    def write(self, sources: list[SourceFile]) -> None:
        with store.fast_writes():
            self._write(sources)

    def _write(self, sources: list[SourceFile]) -> None:
        category_ids = _category_ids()
        self.month_counts: dict[tuple[int, dt.date], list[store.Counted]] = {}
        self.asb_id = category_ids.get(store.ASB)
        groups = [(key, list(files)) for key, files in groupby(sources, key=self._group_key)]
        bar = iter(self.bar(groups, total=len(groups), desc="force-months"))
        loads: list[months.MonthLoad] = []
        placer = Placer(before_query=lambda: loads[-1].pause() if loads else None)
        # SQLite: the import's crime rows are staged in a file of their own as they are read (`sqlitestage`).
        try:
            with sqlitestage.Stage() if connection.vendor == "sqlite" else nullcontext() as stage:
                self._write_months(groups, loads, placer, stage, category_ids, bar)
        except sqlitestage.StageFailed as exc:
            self.fail(str(self.path), str(exc))
        recount = {(force_id, load.month) for load in loads for force_id in load.other_kind}
        for (force_id, month_start), counted in sorted(self.month_counts.items(), key=str):
            self.counts["monthly_counts"] += store.replace_monthly_counts(
                force_id, month_start, counted, recount=(force_id, month_start) in recount
            )
        store.update_category_months()

    def after_transaction(self) -> None:
        # SQLite: a stage read in the transaction could not be detached before it ended (a dry run or a failure
        # leaves it attached, as no commit detaches it).
        if connection.vendor == "sqlite":
            sqlitestage.detach_finished()

    def _write_months(self, groups, loads: list[months.MonthLoad], placer: Placer, stage, category_ids, bar) -> None:
        try:
            for (table, month), month_groups in groupby(groups, key=lambda group: group[0][:2]):
                in_month = list(month_groups)
                if table == "crime":
                    forces = {self.forces[slug] for (_, _, slug), _ in in_month}
                    if BTP in self.forces and any(s.kind == API_STREET for _, files in in_month for s in files):
                        forces.add(self.forces[BTP])  # BTP's records come inside other forces' API responses
                    loads.append(
                        months.MonthLoad(
                            frames.month_start(month),
                            forces,
                            is_demo=self.is_demo,
                            allow_shrink=self.allow_shrink,
                            stage=stage,
                        )
                    )
                    self._store_crime_month(loads[-1], in_month, placer, category_ids, bar)
                    continue
                for (_, _, force_slug), files in in_month:
                    next(bar, None)
                    force_id = self.forces[force_slug]
                    parts = [part for src in files for part in self._parts(src, force_id, category_ids)]
                    if parts:
                        self._store(table, force_slug, frames.month_start(month), _joined(parts), placer)
        except BaseException:
            for load in loads:
                load.abort()
            raise
        # Last, so that the crime table's strongest lock (a month's old partition detached) is held only
        # until the import commits, which it does next.
        months.swap_in(loads)

    def _group_key(self, src: SourceFile) -> tuple[str, Month, str]:
        return (src.table, src.month, src.force or self.force or "")

    def _store_crime_month(self, load: months.MonthLoad, in_month, placer: Placer, category_ids, bar) -> None:
        """Read, place and store one month of crimes, file by file and piece by piece, as the database takes
        in the previous piece; then its counts and the copies left out."""
        month = load.month
        ends: dict[int, str] = {}
        dropped: dict[int, list[pl.DataFrame]] = defaultdict(list)
        for (_, _, force_slug), files in in_month:
            next(bar, None)
            for src in files:
                for part in self._parts(src, self.forces[force_slug], category_ids):
                    rows = placer.place(part.rows, month)
                    load.add(rows)
                    self.counts["crime_rows"] += rows.height
                    self.counts["crime_rows_unplaced"] += rows["ward_id"].null_count()
                    for (force_id,), of_force in rows.partition_by("force_id", as_dict=True).items():
                        self.month_counts.setdefault((force_id, month), []).append(
                            store.count_crimes(of_force, self.asb_id)
                        )
                        ends[force_id] = part.end
                    if part.dropped.height:
                        copies = placer.place(part.dropped, month)
                        for (force_id,), of_force in copies.partition_by("force_id", as_dict=True).items():
                            dropped[force_id].append(of_force)
        try:
            load.finish()
        except store.MonthWouldShrink as exc:
            assert exc.force_id is not None  # a month load names the force that would shrink
            slug = next(slug for slug, pk in self.forces.items() if pk == exc.force_id)
            self.fail(ends[exc.force_id], self._shrink_message("crime", slug, month, exc))
        except store.ReferenceGone as exc:
            self.fail(str(self.path), f"{exc}. Nothing was imported; import the files again.")
        self.counts["crime_rows_replaced"] += load.replaced
        for force_id in sorted(load.incoming):
            copies = pl.concat(dropped[force_id], how="diagonal_relaxed") if dropped[force_id] else NO_COPIES
            store.store_dropped_duplicates(force_id, month, copies, is_demo=self.is_demo, replace=True)

    @staticmethod
    def _shrink_message(table: str, force_slug: str, month, exc: store.MonthWouldShrink) -> str:
        return (
            f"the file ends here, with {exc.incoming:,} {NOUNS[table]} for {force_slug} {month:%Y-%m} where "
            f"{exc.stored:,} are stored: importing it would remove {exc.stored - exc.incoming:,}. Fewer than "
            "half a month's stored rows usually means a file cut short, so nothing was imported. Download it "
            "again, or, if the smaller month is right, import it with --allow-shrink."
        )

    def _store(self, table: str, force_slug: str, month, parsed: Parsed, placer: Placer) -> None:
        """Replace a force's month of outcomes or stops and searches."""
        force_id = self.forces[force_slug]
        rows = parsed.rows
        if table != "outcome":
            rows = placer.place(rows, month)
            self.counts[f"{table}_rows_unplaced"] += rows.filter(pl.col("ward_id").is_null()).height
        try:
            self.counts[f"{table}_rows_replaced"] += store.replace_month(
                table, force_id, month, rows, COLUMNS[table], is_demo=self.is_demo, allow_shrink=self.allow_shrink
            )
        except store.MonthWouldShrink as exc:
            self.fail(parsed.end, self._shrink_message(table, force_slug, month, exc))
        self.counts[f"{table}_rows"] += rows.height

    def _parts(self, src: SourceFile, force_id: int, category_ids: dict[str, int]) -> Iterator[Parsed]:
        """The file's rows to store, in pieces for a large street CSV (nothing for a file with no rows, whose
        stored month is left as it is). A file none of whose rows can be kept stops the import."""
        try:
            data = src.read()
            if src.kind in (API_STREET, API_STOPS):
                parsed = self._parse_api(src, data, force_id, category_ids)
                if parsed is not None:
                    yield parsed
                return
            read = kept = 0
            first_problem: tuple[str, str] | None = None
            # Each piece is read and checked in a thread of its own while this one places and stores the
            # one before (polars works without holding Python's lock).
            for height, last_line, rows, bad, dropped in ahead(self._checked_pieces(src, data, force_id, category_ids)):
                read += height
                self.counts[f"{src.kind}_rows_read"] += height
                problems = [(f"{src.where}:{line}", message) for line, message in bad.iter_rows()]
                for where, message in problems:
                    self.problem(where, message)
                first_problem = first_problem or (problems[0] if problems else None)
                kept += rows.height
                self.counts["duplicates_removed"] += dropped.height
                if rows.height or dropped.height:
                    yield Parsed(rows, dropped, f"{src.where}:{last_line}")
        except (Unreadable, FileProblem) as exc:
            self.fail(src.where, str(exc))
        self._check_kept(src, first_problem, read=read, kept=kept)

    def _checked_pieces(self, src: SourceFile, data: bytes, force_id: int, category_ids) -> Iterator[tuple]:
        """(rows read, last line, rows kept, problems, copies left out) of each piece of a CSV, touching nothing
        but the file (it runs in a thread of its own)."""
        spec = {
            STREET: (frames.STREET_HEADER, frames.STREET_NAMES, "street-level crime"),
            OUTCOMES: (frames.OUTCOMES_HEADER, frames.OUTCOMES_NAMES, "outcomes"),
            STOPS: (frames.STOPS_HEADER, frames.STOPS_NAMES, "stop-and-search"),
        }[src.kind]
        earlier = _EarlierPieces()
        for table in read_pieces(data, *spec, rows_per_piece=PIECE_ROWS if src.kind == STREET else None):
            rows, bad, dropped = self._checked(src, table, force_id, category_ids, earlier)
            yield table.height, table["line"][-1] if table.height else None, rows, bad, dropped

    def _checked(self, src: SourceFile, table: pl.DataFrame, force_id: int, category_ids, earlier: _EarlierPieces):
        """(rows kept, problems by line, copies left out) of one piece of a CSV."""
        common = Common(month=src.month, force_id=force_id, is_demo=self.is_demo)
        if src.kind == STREET:
            rows, bad, copies = frames.street_frame(
                table,
                is_btp=src.force == BTP,
                category_ids=category_ids,
                earlier=earlier.sharing_ids(table),
                **common,
            )
            dropped = copies.with_columns(
                reason=pl.lit(DroppedDuplicate.Reason.IDENTICAL_ROW.value),
                source=pl.format("{}:{}", pl.lit(src.where), pl.col("line")).str.slice(0, SOURCE_LENGTH),
            )
            return rows, bad, dropped
        if src.kind == OUTCOMES:
            rows, bad = frames.outcomes_frame(table, **common)
        else:
            rows, bad = frames.stops_frame(table, **common)
        return rows, bad, NO_COPIES

    def _check_kept(self, src: SourceFile, first_problem: tuple[str, str] | None, *, read: int, kept: int) -> None:
        """Note a file with no rows; refuse one none of whose rows can be kept: importing it would empty its
        stored month."""
        if kept:
            return
        if not read:
            self.counts["files_without_rows"] += 1
            self.problems.append(Problem(src.where, "the file has no rows; its stored month was left as it is"))
            return
        assert first_problem is not None
        where, message = first_problem
        self.fail(
            where,
            f"none of the file's {read:,} rows could be kept (this is the first: {message}). Importing it would "
            "empty its stored month, so nothing was imported. Check it is the file for the force and month its "
            "name says.",
        )

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
        for where, message in problems:
            self.problem(where, message)
        self._check_kept(src, problems[0] if problems else None, read=len(records), kept=rows.height)
        if not rows.height:
            return None
        self.counts["duplicates_removed"] += dropped.height
        return Parsed(rows, dropped, records[-1][0])


class _EarlierPieces:
    """The pieces of a file read so far, to give a later piece the earlier rows that share its Crime IDs.

    Crime IDs are compared by their 64-bit hashes first (kept sorted, so a piece is one binary search),
    then, for the few that match, as text.
    """

    def __init__(self):
        self.tables: list[pl.DataFrame] = []
        self.hashes = np.empty(0, dtype=np.uint64)

    def sharing_ids(self, table: pl.DataFrame) -> pl.DataFrame | None:
        """Rows of earlier pieces whose Crime ID is also in `table` (None if none), and remember `table`."""
        ids = table["crime_id"]
        hashes = ids.hash().to_numpy()[ids.str.len_bytes().to_numpy() > 0]  # anti-social behaviour has no ID
        hashes.sort()  # sorted keys make the binary searches walk forward
        earlier = None
        if len(self.hashes) and len(hashes):
            at = np.searchsorted(self.hashes, hashes).clip(max=len(self.hashes) - 1)
            repeated = hashes[self.hashes[at] == hashes]
            if len(repeated):
                maybe = ids.filter(ids.hash().is_in(pl.Series(repeated).implode()) & (ids != "")).unique()
                earlier = pl.concat(self.tables).filter(pl.col("crime_id").is_in(maybe.implode()))
        self.tables.append(table)
        # Two sorted runs: a stable sort (timsort) merges them in linear time.
        self.hashes = np.sort(np.concatenate([self.hashes, hashes]), kind="stable")
        return earlier if earlier is not None and earlier.height else None


class Common(TypedDict):
    """What every frame builder is told about a file: its month, its force, and whether it is demo data."""

    month: Month
    force_id: int
    is_demo: bool


class Parsed(NamedTuple):
    """Rows to store (a file's, or a piece of one), the copies left out of them, and where they end."""

    rows: pl.DataFrame
    dropped: pl.DataFrame
    end: str


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
