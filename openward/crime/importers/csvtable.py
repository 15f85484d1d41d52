"""Read a data.police.uk CSV into a table of text columns, with the line each row came from.

Fast path (no quotes, as most police.uk files): polars parses the bytes and whole-file
counts of commas and newlines prove every row has its fields and its line. Otherwise
numpy counts each line's commas so rows with too few or too many fields are reported by
line; when a quoted field spans lines (rare), the standard csv module reads the file
instead so line numbers stay true.

Decisions, for a person to act on:
- The text must be UTF-8 (data.police.uk writes UTF-8; a byte-order mark is accepted).
  Anything else fails the whole file with the line of the first bad byte, rather than
  guessing an encoding and storing wrong names.
- The header must be exactly data.police.uk's, in its order; otherwise nothing is read.
- A file cut short is refused whole, never imported in part: the last line must end with a
  line break, the last row must have every field, and a quoted field must close before the
  end (a short row elsewhere is a bad row, reported by line).
"""

from __future__ import annotations

import csv
import io

import numpy as np
import polars as pl

from openward.core.importers.base import unterminated_last_line

BOM = b"\xef\xbb\xbf"


class FileProblem(Exception):
    """The file cannot be read at all; the message says why and what to do."""


def _check_utf8(data: bytes) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileProblem(
            f"line {line} is not UTF-8 text (byte 0x{data[exc.start]:02x}); data.police.uk files are UTF-8. "
            "Download the file again, or save it as UTF-8 (CSV UTF-8 in a spreadsheet) and import it again."
        ) from exc


def _header(data: bytes) -> list[str]:
    first = data.split(b"\n", 1)[0].rstrip(b"\r")
    if b"\r" in first:
        raise FileProblem(
            "line 1: the lines end with a carriage return alone, not a line break, so the rows cannot be told "
            "apart. Save the file with Windows or Unix line endings (or download it again) and import it again."
        )
    try:
        return next(csv.reader([first.decode("utf-8")]), [])
    except (UnicodeDecodeError, csv.Error):
        return []


def check_header(found: list[str], expected: tuple[str, ...], what: str) -> None:
    if [h.strip() for h in found] == list(expected):
        return
    missing = [h for h in expected if h not in found]
    unexpected = [h for h in found if h not in expected]
    detail = []
    if missing:
        detail.append("missing " + ", ".join(f'"{h}"' for h in missing))
    if unexpected:
        detail.append("unexpected " + ", ".join(f'"{h}"' for h in unexpected[:5]))
    if not detail:
        detail.append("the columns are in a different order")
    raise FileProblem(
        f"line 1: this is not a data.police.uk {what} header ({'; '.join(detail)}). "
        f"Expected: {','.join(expected)}. Check you chose the right file."
    )


def _polars(data: bytes, names: tuple[str, ...], *, ragged: bool) -> pl.DataFrame:
    try:
        return pl.read_csv(
            data, has_header=True, new_columns=list(names), infer_schema=False, truncate_ragged_lines=ragged
        )
    except pl.exceptions.ComputeError as exc:
        if "utf-8" in str(exc).lower():
            _check_utf8(data)  # raises, naming the line
        raise


def read_table(data: bytes, expected: tuple[str, ...], names: tuple[str, ...], what: str) -> pl.DataFrame:
    """Rows as text columns `names` (missing values as ""), plus `line` and `field_problem`."""
    if data.startswith(BOM):
        data = data[len(BOM) :]
    if not data.strip():
        raise FileProblem("the file is empty: line 1 should be data.police.uk's header. Download it again.")
    _check_utf8(data[: data.find(b"\n") + 1 or len(data)])
    check_header(_header(data), expected, what)
    if (nul := data.find(b"\x00")) != -1:
        line = data.count(b"\n", 0, nul) + 1
        raise FileProblem(
            f"line {line} holds a NUL byte (0x00), which no text file has: the file is damaged. Download it again."
        )
    if (last := unterminated_last_line(data)) is not None:
        raise FileProblem(
            f"line {last}, the last, does not end with a line break, so the file was probably cut short while "
            "downloading (data.police.uk ends every line with one). Download it again."
        )
    width = len(names)
    if b'"' not in data:
        # The common case, checked with whole-file counts instead of line by line: polars refuses
        # rows with too many fields, and if the commas then add up, no row has too few; if the
        # newlines add up too, there is no blank line and row i is line i + 2.
        try:
            df = _polars(data, names, ragged=False)
        except pl.exceptions.ComputeError:
            df = None
        if df is not None and data.count(b"\n") == df.height + 1 and data.count(b",") == (width - 1) * (df.height + 1):
            return df.with_columns(pl.all().fill_null("")).with_columns(
                line=pl.int_range(2, df.height + 2, dtype=pl.Int64), field_problem=pl.lit(None, pl.Utf8)
            )
    return _read_line_by_line(data, names)


def _read_line_by_line(data: bytes, names: tuple[str, ...]) -> pl.DataFrame:
    """Find each row's line and field count, for files with quotes, blank lines or ragged rows."""
    _check_utf8(data)
    arr = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(arr == 10)
    has_quotes = b'"' in data
    if has_quotes:
        quotes = np.flatnonzero(arr == 34)
        per_line_quotes = np.diff(np.searchsorted(quotes, np.concatenate(([-1], newlines))))
        if (per_line_quotes % 2).any():
            return _read_with_csv_module(data, names)
    commas = np.flatnonzero(arr == 44)
    per_line_commas = np.diff(np.searchsorted(commas, np.concatenate(([-1], newlines))))[1:]
    seg = np.diff(newlines)
    blank = (seg == 1) | ((seg == 2) & (arr[newlines[1:] - 1] == 13))  # an empty line: "\n" or "\r\n"
    df = _polars(data, names, ragged=True).with_columns(pl.all().fill_null(""))
    lines = np.arange(2, len(newlines) + 1)[~blank]
    fields = per_line_commas[~blank] + 1
    if len(lines) != df.height:
        return _read_with_csv_module(data, names)
    df = df.with_columns(line=pl.Series(lines, dtype=pl.Int64))
    if has_quotes:
        # Quoted fields may hold commas: recount the suspicious lines properly.
        text_lines = data.split(b"\n")
        for i in np.flatnonzero(fields != len(names)):
            fields[i] = len(next(csv.reader([text_lines[lines[i] - 1].decode("utf-8").rstrip("\r")]), []))
    if len(fields):
        _refuse_short_last_row(int(lines[-1]), int(fields[-1]), len(names))
    wrong = fields != len(names)
    return df.with_columns(
        field_problem=pl.when(pl.Series(wrong))
        .then(pl.format("the row has {} fields, not {}", pl.Series(fields, dtype=pl.Int64), pl.lit(len(names))))
        .otherwise(None)
    )


def _refuse_short_last_row(line: int, fields: int, width: int) -> None:
    if fields < width:
        raise FileProblem(
            f"line {line}, the last row, has {fields} fields, not {width}, so the file was probably cut short "
            "while downloading. Download it again."
        )


def _read_with_csv_module(data: bytes, names: tuple[str, ...]) -> pl.DataFrame:
    text = data.decode("utf-8")
    width = len(names)
    # Strict first, only to tell a quoted field that the end of the file cuts off from other bad quoting,
    # which the lenient reading below keeps as text in a row reported by line.
    strict = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for _ in strict:
            start = strict.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise FileProblem(
                f"line {start}: a quoted field opens here and the file ends before it closes, so the file was "
                "probably cut short while downloading. Download it again."
            ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    rows, lines, problems = [], [], []
    start = reader.line_num + 1
    for row in reader:
        if row:
            lines.append(start)
            problems.append(None if len(row) == width else f"the row has {len(row)} fields, not {width}")
            rows.append((row + [""] * width)[:width])
            last_fields = len(row)
        start = reader.line_num + 1
    if rows:
        _refuse_short_last_row(lines[-1], last_fields, width)
    df = (
        pl.DataFrame(rows, schema=list(names), orient="row")
        if rows
        else pl.DataFrame(schema=dict.fromkeys(names, pl.Utf8))
    )
    return df.with_columns(line=pl.Series(lines, dtype=pl.Int64), field_problem=pl.Series(problems, dtype=pl.Utf8))
