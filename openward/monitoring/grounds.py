"""Grounds text the force supplies as a CSV file, and the file of sampled stops it fills in.

A sample's page offers its stops as CSV (`sampled_stops_csv`): each stop's reference and what police.uk
publishes about it, with an empty "grounds" column. The force fills that column in and uploads the file
(`import_grounds`). Only the "reference" and "grounds" columns are read, so the downloaded file comes back
as it is; a row whose grounds are empty is passed over (the force may not have them all yet).

All or nothing: a file with any bad row (a reference that is not in the sample, a stop given twice,
grounds longer than 5,000 characters) adds nothing, and every problem is reported with its line number
(not the file's name, which the recorded run would otherwise keep).
Grounds from a newer file replace the grounds an older file gave the same stop, so a corrected file can
simply be uploaded again; grounds pasted on the page stay. Problems name lines and references, never the
grounds: the run is recorded (core.ImportRun) and the words are for the group only.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

from django.utils import timezone

from openward.core import audit, csvsafe
from openward.core.importers.base import BaseImporter, ImportFailed, Problem
from openward.core.models import ImportRun

from .models import GroundsText, ReviewSample

REQUIRED = ("reference", "grounds")
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_GROUNDS = 5000
REFERENCE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s+stop\s+0*(\d+)\s*$", re.IGNORECASE)

COLUMNS = [
    "reference",
    "date",
    "time",
    "street",
    "latitude",
    "longitude",
    "type",
    "legislation",
    "object of search",
    "outcome",
    "gender",
    "age range",
    "self-defined ethnicity",
    "officer-defined ethnicity",
    "grounds",
]


def reference_key(text: str) -> tuple[int, int, int] | None:
    """(year, month, number) of a reference as typed ("2024-12 stop 7", "2024-12 Stop 007"), or None."""
    match = REFERENCE.match(text)
    return tuple(int(g) for g in match.groups()) if match else None  # type: ignore[return-value]


def sampled_stops_csv(sample: ReviewSample) -> str:
    """The sample's stops as CSV, with an empty "grounds" column for the force to fill in."""
    out = io.StringIO()
    writer = csvsafe.writer(out)
    writer.writerow(COLUMNS)
    for sampled in sample.stops.select_related("stop", "sample"):
        stop = sampled.stop
        when = timezone.localtime(stop.datetime)
        writer.writerow(
            [
                sampled.reference,
                f"{when:%Y-%m-%d}",
                f"{when:%H:%M}",
                stop.street_name,
                "" if stop.latitude is None else stop.latitude,
                "" if stop.longitude is None else stop.longitude,
                stop.type,
                stop.legislation,
                stop.object_of_search,
                stop.outcome,
                stop.gender,
                stop.age_range,
                stop.self_defined_ethnicity,
                stop.officer_defined_ethnicity,
                "",
            ]
        )
    return out.getvalue()


class GroundsImporter(BaseImporter):
    """Read a file of references and grounds for one sample's stops (all or nothing)."""

    name = "monitoring.grounds"
    all_or_nothing = True

    def __init__(self, path, *, sample: ReviewSample, file_name: str, **kwargs):
        super().__init__(path, **kwargs)
        self.sample = sample
        self.file_name = file_name

    def read(self):
        stops = {
            (s.sample.month.year, s.sample.month.month, s.number): s for s in self.sample.stops.select_related("sample")
        }
        try:
            text = self.path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            self.fail(
                "the file",
                'it is not UTF-8 text. Save it from your spreadsheet as "CSV UTF-8" and upload it again.',
            )
        if "\x00" in text:
            self.fail(
                "the file", "it is not a CSV file. Upload the sampled stops file with its grounds column filled in."
            )
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [cell.strip().lower() for cell in next(reader, [])]
        except csv.Error as exc:
            self.fail("line 1", f"this line cannot be read as CSV ({exc}).")
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            self.fail(
                "line 1",
                f"the header has no {' or '.join(f'“{c}”' for c in missing)} column. The first line names the "
                'columns, "reference" and "grounds" among them: download the sampled stops as CSV for a file '
                "to fill in.",
            )
        at_reference, at_grounds = header.index("reference"), header.index("grounds")
        seen: dict[tuple[int, int, int], int] = {}
        end = 1
        while True:
            start = end + 1
            try:
                row = next(reader, None)
            except csv.Error as exc:
                self.fail(f"line {start}", f"this line cannot be read as CSV ({exc}).")
            if row is None:
                break
            end = reader.line_num
            where = f"line {start}"
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                self.problem(where, f"it has {len(row)} cells but the header names {len(header)} columns.")
                continue
            row += [""] * (len(header) - len(row))
            typed, grounds = row[at_reference].strip(), row[at_grounds].strip()
            key = reference_key(typed)
            if not typed:
                self.problem(where, "the reference is empty. Give the stop's reference, e.g. “2024-12 stop 7”.")
            elif key is None or key not in stops:
                self.problem(
                    where,
                    f"“{typed[:20]}” is not a stop in the {self.sample.month:%B %Y} sample. Use the references "
                    f"in the sampled stops file, e.g. “{self.sample.month:%Y-%m} stop 1”.",
                )
            elif key in seen:
                self.problem(where, f"“{typed[:20]}” is on line {seen[key]} too. Give each stop's grounds once.")
            elif len(grounds) > MAX_GROUNDS:
                self.problem(where, f"the grounds are {len(grounds):,} characters long; at most {MAX_GROUNDS:,} fit.")
            else:
                seen[key] = start
                self.counts["rows_read"] += 1
                if grounds:
                    yield stops[key], grounds
                else:
                    self.counts["rows_without_grounds"] += 1

    def write(self, records):
        GroundsText.objects.filter(sampled__in=[s for s, _ in records]).exclude(from_file="").delete()
        GroundsText.objects.bulk_create(
            GroundsText(sampled=sampled, text=grounds, uploaded_by=self.actor, from_file=self.file_name)
            for sampled, grounds in records
        )
        self.counts["stops_with_grounds"] += len(records)
        audit.record(self.actor, "monitoring.grounds-uploaded", self.sample, stops=len(records))


def import_grounds(actor, sample: ReviewSample, upload) -> ImportRun:
    """Add the grounds in an uploaded CSV file to the sample's stops, all or nothing; the run is recorded.

    Raises ImportFailed (every problem, with its line) when nothing was added."""
    name = Path(upload.name or "grounds.csv").name[:100]
    if upload.size > MAX_FILE_BYTES:
        raise ImportFailed([Problem("the file", "it is larger than 2 MB. Upload one sample's grounds at a time.")])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "grounds.csv"
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        return GroundsImporter(path, sample=sample, file_name=name, actor=actor, commit=True).run()
