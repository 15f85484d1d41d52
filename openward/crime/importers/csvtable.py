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

`read_pieces` gives a large file's rows in pieces of about `PIECE_ROWS`, with the same checks
and line numbers, so that the importer can store one piece while it reads and checks the next.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import numpy as np
import polars as pl

from openward.core.importers.base import unterminated_last_line

BOM = b"\xef\xbb\xbf"
# Rows per piece: large enough that each piece's fixed costs vanish, small enough that the database
# is kept busy while the next is read.
PIECE_ROWS = 125_000


class FileProblem(Exception):
    """The file cannot be read at all; the message says why and what to do."""


def _check_utf8(data: bytes, first_line: int = 1) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + first_line
        raise FileProblem(
            f"line {line} is not UTF-8 text (byte 0x{data[exc.start]:02x}); data.police.uk files are UTF-8. "
            "Download the file again, or save it as UTF-8 (CSV UTF-8 in a spreadsheet) and import it again."
        ) from exc


def _header(data: bytes) -> list[str]:
    end = data.find(b"\n")
    first = (data if end == -1 else data[:end]).rstrip(b"\r")
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


def _polars(data: bytes, names: tuple[str, ...], *, ragged: bool, first_line: int = 1) -> pl.DataFrame:
    try:
        return pl.read_csv(
            data, has_header=True, new_columns=list(names), infer_schema=False, truncate_ragged_lines=ragged
        )
    except pl.exceptions.ComputeError as exc:
        if "utf-8" in str(exc).lower():
            _check_utf8(data, first_line)  # raises, naming the line
        raise


def read_table(data: bytes, expected: tuple[str, ...], names: tuple[str, ...], what: str) -> pl.DataFrame:
    """Rows as text columns `names` (missing values as ""), plus `line` and `field_problem`."""
    return pl.concat(list(read_pieces(data, expected, names, what, rows_per_piece=None)))


def read_pieces(
    data: bytes, expected: tuple[str, ...], names: tuple[str, ...], what: str, rows_per_piece: int | None = PIECE_ROWS
) -> Iterator[pl.DataFrame]:
    """`read_table`'s rows in pieces of about `rows_per_piece` rows (None: one piece), in file order.

    Everything that refuses the whole file (encoding of the header, header, NUL, cut short) is
    checked before the first piece. A file with quotes is read whole: a quoted field may hold a
    line break, so only the whole file says where its rows begin.
    """
    data = _checked_whole(data, expected, what)
    if b'"' in data:
        yield _read_line_by_line(data, names)
        return
    header_end = data.find(b"\n") + 1
    header, body_length = data[:header_end], len(data) - header_end
    # Cut the body at line breaks near equal shares; each piece is parsed on its own. Offsets into `data`,
    # so that the only copy of the body made is each piece's.
    sample = data[header_end : header_end + (1 << 16)]
    average_row = max(1, len(sample) // max(1, sample.count(b"\n")))
    pieces = 1 if rows_per_piece is None else max(1, body_length // (average_row * rows_per_piece))
    start, first_line = header_end, 2
    if not body_length:
        yield _read_piece(header, b"", 0, names, first_line, final=True)
    for i in range(1, pieces + 1):
        end = len(data) if i == pieces else data.find(b"\n", header_end + body_length * i // pieces) + 1
        if end <= start:
            continue
        lines = data.count(b"\n", start, end)
        yield _read_piece(header, data[start:end], lines, names, first_line, final=end == len(data))
        first_line += lines
        start = end


def _checked_whole(data: bytes, expected: tuple[str, ...], what: str) -> bytes:
    """The file without a byte-order mark, once the checks that refuse it whole have passed."""
    if data.startswith(BOM):
        data = data[len(BOM) :]
    if not data or data.isspace():
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
    return data


def _read_piece(
    header: bytes, piece: bytes, lines: int, names: tuple[str, ...], first_line: int, *, final: bool
) -> pl.DataFrame:
    """The rows of one piece of a file without quotes (`lines` lines, the first being line `first_line`)."""
    # The common case, checked with counts instead of line by line: polars refuses rows with too
    # many fields, and if the commas then add up, no row has too few; if the line breaks add up too,
    # there is no blank line and row i is line first_line + i.
    try:
        df = pl.read_csv(
            piece, has_header=False, new_columns=list(names), infer_schema=False, empty_string_is_null=False
        )
    except pl.exceptions.NoDataError:
        df = pl.DataFrame(schema=dict.fromkeys(names, pl.Utf8))
    except pl.exceptions.PolarsError:
        df = None  # read line by line, which says which line is wrong
    if df is not None and lines == df.height and piece.count(b",") == (len(names) - 1) * lines:
        return df.with_columns(
            line=pl.int_range(first_line, first_line + df.height, dtype=pl.Int64), field_problem=pl.lit(None, pl.Utf8)
        )
    return _read_line_by_line(header + piece, names, first_line - 2, final=final)


def _read_line_by_line(data: bytes, names: tuple[str, ...], offset: int = 0, *, final: bool = True) -> pl.DataFrame:
    """Find each row's line and field count, for files with quotes, blank lines or ragged rows.

    `data` is a header line and rows; their line numbers are counted from it, plus `offset` (the
    lines before it, when it is a piece of a file). Unless `final`, the last row may be short.
    """
    _check_utf8(data, offset + 1)
    arr = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(arr == 10)
    has_quotes = b'"' in data
    if has_quotes:
        quotes = np.flatnonzero(arr == 34)
        per_line_quotes = np.diff(np.searchsorted(quotes, np.concatenate(([-1], newlines))))
        if (per_line_quotes % 2).any():
            return _read_with_csv_module(data, names, offset, final=final)
    commas = np.flatnonzero(arr == 44)
    per_line_commas = np.diff(np.searchsorted(commas, np.concatenate(([-1], newlines))))[1:]
    seg = np.diff(newlines)
    blank = (seg == 1) | ((seg == 2) & (arr[newlines[1:] - 1] == 13))  # an empty line: "\n" or "\r\n"
    df = _polars(data, names, ragged=True, first_line=offset + 1).with_columns(pl.all().fill_null(""))
    lines = np.arange(2, len(newlines) + 1)[~blank] + offset
    fields = per_line_commas[~blank] + 1
    if len(lines) != df.height:
        return _read_with_csv_module(data, names, offset, final=final)
    df = df.with_columns(line=pl.Series(lines, dtype=pl.Int64))
    if has_quotes:
        # Quoted fields may hold commas: recount the suspicious lines properly.
        text_lines = data.split(b"\n")
        for i in np.flatnonzero(fields != len(names)):
            fields[i] = len(next(csv.reader([text_lines[lines[i] - offset - 1].decode("utf-8").rstrip("\r")]), []))
    if len(fields) and final:
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


def _read_with_csv_module(data: bytes, names: tuple[str, ...], offset: int = 0, *, final: bool = True) -> pl.DataFrame:
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
                f"line {start + offset}: a quoted field opens here and the file ends before it closes, so the file was "
                "probably cut short while downloading. Download it again."
            ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    rows, lines, problems = [], [], []
    start = reader.line_num + 1
    for row in reader:
        if row:
            lines.append(start + offset)
            problems.append(None if len(row) == width else f"the row has {len(row)} fields, not {width}")
            rows.append((row + [""] * width)[:width])
            last_fields = len(row)
        start = reader.line_num + 1
    if rows and final:
        _refuse_short_last_row(lines[-1], last_fields, width)
    df = (
        pl.DataFrame(rows, schema=list(names), orient="row")
        if rows
        else pl.DataFrame(schema=dict.fromkeys(names, pl.Utf8))
    )
    return df.with_columns(line=pl.Series(lines, dtype=pl.Int64), field_problem=pl.Series(problems, dtype=pl.Utf8))
