"""The importer flow every source shares: read, check, write in one transaction, record the run.

A subclass says what it reads (`read`) and how it stores it (`write`); the base owns the
rest: the file hash, the dry run (rolled back unless `commit=True`), the recorded
`ImportRun` with counts and problems, and progress bars on a terminal.

Two policies for bad rows:
- `all_or_nothing = True` (reference data: postcodes, boundaries): any problem means the
  file imports nothing, and the problems say where.
- `all_or_nothing = False` (crime records): bad rows are skipped and reported with their
  line numbers; the rest are imported. A file that cannot be read still imports nothing.
Either way a source with nothing to import is refused (it changes nothing), and every
refusal raises ImportFailed with the reason first.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from ..db_router import primary
from ..models import ImportRun

MAX_REPORTED_PROBLEMS = 500


@dataclass(frozen=True)
class Problem:
    """Something wrong in a source, and where: file, line (1-based, header = 1) or feature."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def stored(self) -> dict[str, str]:
        """As the run records it; a NUL quoted from a damaged file is spelled out, as PostgreSQL stores none."""
        return {"where": self.where.replace("\x00", "\\x00"), "message": self.message.replace("\x00", "\\x00")}


class ImportFailed(Exception):
    """The source cannot be imported; nothing was written."""

    def __init__(self, problems: list[Problem], run: ImportRun | None = None):
        self.problems = problems
        self.run = run
        first = "; ".join("{where}: {message}".format(**p.stored()) for p in problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        super().__init__(f"Nothing was imported. {first}{more}")


class RowProblems(Exception):
    """Raised by a row parser: this row cannot be kept, for these reasons."""

    def __init__(self, *messages: str):
        self.messages = messages
        super().__init__("; ".join(messages))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    paths = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for p in paths:
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def unterminated_last_line(data: bytes) -> int | None:
    """The last line's number when no line break ends it (the file was probably cut short), else None."""
    if not data or data.endswith(b"\n"):
        return None
    return data.count(b"\n") + 1


class BaseImporter:
    """Base class for every importer. Subclasses set `name` and implement `read` and `write`."""

    name: str = ""
    all_or_nothing: bool = True

    def __init__(self, path: str | Path, *, commit: bool = False, progress: bool | None = None, actor=None):
        self.path = Path(path)
        self.commit = commit
        self.actor = actor
        self.progress = sys.stderr.isatty() if progress is None else progress
        self.problems: list[Problem] = []
        self.counts: Counter[str] = Counter()

    # -- for subclasses -------------------------------------------------------------
    def read(self) -> Iterable[Any]:
        """Yield parsed records; call `self.problem(...)` for bad ones, `self.fail(...)` if unreadable."""
        raise NotImplementedError

    def write(self, records: list[Any]) -> None:
        """Store the records (inside the run's transaction), adding to `self.counts`."""
        raise NotImplementedError

    def after_transaction(self) -> None:
        """Called once the run's transaction has ended, committed, rolled back (a dry run) or failed: for what a
        subclass must tidy up outside it."""

    # -- helpers --------------------------------------------------------------------
    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))
        self.counts["rows_rejected"] += 1

    def fail(self, where: str, message: str) -> NoReturn:
        """Stop: the source cannot be imported. The reason goes first, before any row problems found so far."""
        self.problems.insert(0, Problem(where, message))
        raise ImportFailed(self.problems)

    def bar(self, iterable: Iterable[Any], *, total: int | None = None, desc: str = "") -> Iterator[Any]:
        return iter(tqdm(iterable, total=total, desc=desc or self.name, disable=not self.progress, unit="row"))

    # -- the flow -------------------------------------------------------------------
    @primary()
    def run(self) -> ImportRun:
        """Import the source. Raises ImportFailed (after recording the run) if nothing could be imported.

        Every read goes to the primary database: what an import checks against (forces, wards, the month
        already stored) must be what it writes next to, never a read replica that has not caught up."""
        started = timezone.now()
        failure: ImportFailed | None = None
        # The file's hash is worked out beside the import (hashlib lets other threads run meanwhile).
        hashing = ThreadPoolExecutor(max_workers=1)
        sha256 = hashing.submit(sha256_of, self.path) if self.path.exists() else None
        hashing.shutdown(wait=False)
        try:
            if not self.path.exists():
                self.fail(str(self.path), "No such file or folder. Check the path and try again.")
            records = list(self.read())
            if self.problems and self.all_or_nothing:
                raise ImportFailed(self.problems)
            if not records:
                self.fail(
                    str(self.path),
                    "nothing in it can be imported"
                    + (" (every row has a problem, listed after this)" if self.problems else "")
                    + ", so nothing was changed. Check you chose the right file.",
                )
            with transaction.atomic():
                self.write(records)
                if not self.commit:
                    transaction.set_rollback(True)
        except ImportFailed as exc:
            failure = exc
        self.after_transaction()
        status = (
            ImportRun.Status.FAILED
            if failure
            else ImportRun.Status.COMMITTED
            if self.commit
            else ImportRun.Status.DRY_RUN
        )
        run = ImportRun.objects.create(
            importer=self.name,
            source=str(self.path),
            sha256=sha256.result() if sha256 is not None else "",
            status=status,
            started_at=started,
            finished_at=timezone.now(),
            counts=dict(self.counts),
            problems=[p.stored() for p in self.problems[:MAX_REPORTED_PROBLEMS]],
            actor=self.actor if getattr(self.actor, "is_authenticated", False) else None,
        )
        if failure:
            failure.run = run
            raise failure
        return run
