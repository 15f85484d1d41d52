"""Find the data.police.uk files in what a person gives us: one file, a folder or the archive zip.

File names carry what the rows do not: the force and the month. We accept the names
data.police.uk uses in its monthly archive (`2024-01/2024-01-metropolitan-street.csv`,
`…-outcomes.csv`, `…-stop-and-search.csv`, optionally gzip-compressed) and saved API
responses (`crimes-street_<anything>_2024-01.jsonl.xz`, `stops-force_<force>_2024-01.json.gz`).
"""

from __future__ import annotations

import functools
import gzip
import lzma
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openward.core.values import InvalidMonth, Month

STREET, OUTCOMES, STOPS, API_STREET, API_STOPS = "street", "outcomes", "stop-and-search", "api-street", "api-stops"

# Which table each kind of file fills.
TABLE_OF = {STREET: "crime", API_STREET: "crime", OUTCOMES: "outcome", STOPS: "stop", API_STOPS: "stop"}

_CSV_NAME = re.compile(
    r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9][a-z0-9-]*?)-(?P<kind>street|outcomes|stop-and-search)\.csv(?:\.gz)?$"
)
_API_STREET_NAME = re.compile(r"^crimes-street_(?:.*_)?(?P<month>\d{4}-\d{2})(?:_[^.]*)?\.jsonl?(?:\.gz|\.xz)?$")
_API_STOPS_NAME = re.compile(
    r"^stops-force_(?P<force>[a-z0-9][a-z0-9-]*)_(?P<month>\d{4}-\d{2})(?:_[^.]*)?\.json(?:l)?(?:\.gz|\.xz)?$"
)

NAMING_HELP = (
    "Name files as data.police.uk does: YYYY-MM-<force>-street.csv, YYYY-MM-<force>-outcomes.csv or "
    "YYYY-MM-<force>-stop-and-search.csv (optionally .gz), or give the monthly archive zip; "
    "saved API responses as crimes-street_<label>_YYYY-MM.jsonl(.xz|.gz) or stops-force_<force>_YYYY-MM.json(.gz)."
)


class Unreadable(Exception):
    """The container (zip, gzip, xz) is damaged: nothing in it can be trusted."""


@dataclass(frozen=True)
class SourceFile:
    """One data file: where it is, what it holds, and for which force and month."""

    where: str
    kind: str
    force: str | None
    month: Month
    load: Callable[[], bytes] = field(compare=False, repr=False)

    @property
    def table(self) -> str:
        return TABLE_OF[self.kind]

    def read(self) -> bytes:
        try:
            return _decompress(self.where, self.load())
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error, lzma.LZMAError) as exc:
            raise Unreadable(f"cannot be read: the file is damaged or cut short ({exc}). Download it again.") from exc


def classify(name: str) -> tuple[str, str | None, Month] | None:
    """(kind, force, month) from a file name, or None when it is not a file we import."""
    base = name.rsplit("/", 1)[-1]
    for pattern, kind in ((_CSV_NAME, None), (_API_STREET_NAME, API_STREET), (_API_STOPS_NAME, API_STOPS)):
        m = pattern.match(base)
        if not m:
            continue
        try:
            month = Month.parse(m.group("month"))
        except InvalidMonth:
            return None
        force = m.groupdict().get("force")
        return (kind or m.group("kind")), force, month
    return None


def _decompress(where: str, data: bytes) -> bytes:
    if where.endswith(".gz"):
        return gzip.decompress(data)
    if where.endswith(".xz"):
        return lzma.decompress(data)
    return data


def find_sources(path: Path) -> tuple[list[SourceFile], list[str]]:
    """The importable files under `path`, and the names of other files we skipped.

    Raises Unreadable when a zip archive is damaged, and ValueError when a single file's
    name does not say what it is.
    """
    if path.is_dir():
        found, skipped = [], []
        for p in sorted(q for q in path.rglob("*") if q.is_file()):
            if p.suffix.lower() == ".zip":
                inner, inner_skipped = _from_zip(p)
                found += inner
                skipped += inner_skipped
                continue
            what = classify(p.name)
            if what is None:
                skipped.append(str(p))
            else:
                found.append(SourceFile(str(p), *what, load=p.read_bytes))
        return found, skipped
    if path.suffix.lower() == ".zip":
        return _from_zip(path)
    what = classify(path.name)
    if what is None:
        raise ValueError(f'"{path.name}" is not a file name we recognise. {NAMING_HELP}')
    return [SourceFile(str(path), *what, load=path.read_bytes)], []


def _from_zip(path: Path) -> tuple[list[SourceFile], list[str]]:
    try:
        archive = zipfile.ZipFile(path)
        names = [i.filename for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise Unreadable(
            f"is not a complete zip archive ({exc}); the download was probably cut short. Download it again."
        ) from exc
    found, skipped = [], []
    for name in sorted(names):
        what = classify(name)
        if what is None:
            skipped.append(f"{path}:{name}")
            continue
        found.append(SourceFile(f"{path}:{name}", *what, load=functools.partial(archive.read, name)))
    return found, skipped
