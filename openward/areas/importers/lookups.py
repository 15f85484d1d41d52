"""LSOA → ward lookups: ONS best-fit lookup CSVs (LSOA11CD, WD18CD, LAD18CD, …) or derived ones."""

from __future__ import annotations

import csv
import io
import re

from openward.core.importers.base import BaseImporter, unterminated_last_line

from ..models import Borough, Lsoa, LsoaWard, Ward
from . import places
from .files import CUT_SHORT, SourceError, decode_utf8, read_bytes
from .places import GENERATIONS


def generation_for_ward_column(column: str) -> str | None:
    """WD14CD → 2014, WD18CD/WD19CD → 2018, WD22CD and later → 2022 (London redrew wards in 2014/18/22)."""
    m = re.fullmatch(r"WD(\d\d)CD", column, re.I)
    if not m:
        return None
    year = 2000 + int(m.group(1))
    return max((slug for slug in GENERATIONS if int(slug) <= year), default=None)


class LsoaWardLookupImporter(BaseImporter):
    """Which ward each LSOA falls in, for one ward generation; rows outside our boroughs are skipped."""

    name = "lsoa-ward-lookup"
    all_or_nothing = True
    lsoa_field = (r"LSOA(11|21)CD",)
    lsoa_name_field = (r"LSOA(11|21)NM",)
    ward_field = (r"WD\d\dCD", "ward_code")
    borough_field = (r"LAD\d\dCD", "borough_code")
    share_field = ("share_of_postcodes", "share")

    def __init__(self, path, *, generation: str | None = None, census_year: int | None = None, **kwargs):
        super().__init__(path, **kwargs)
        self.generation_slug = generation
        self.census_year = census_year

    @staticmethod
    def pick(candidates, header):
        return next((h for c in candidates for h in header if re.fullmatch(c, h.strip(), re.I)), None)

    def read(self):
        try:
            data = read_bytes(self.path)
            text = decode_utf8(data, str(self.path))
        except SourceError as exc:
            self.fail(exc.where, exc.message)
        if (last := unterminated_last_line(data)) is not None:
            self.fail(f"{self.path}, line {last}", CUT_SHORT)
        reader = csv.DictReader(io.StringIO(text))
        header = reader.fieldnames or []
        self.lsoa_col = self.pick(self.lsoa_field, header)
        self.ward_col = self.pick(self.ward_field, header)
        if not self.lsoa_col or not self.ward_col:
            self.fail(
                f"{self.path}, line 1",
                "a lookup needs an LSOA code column (LSOA11CD or LSOA21CD) and a ward code column "
                f"(WDyyCD or ward_code); found {', '.join(header)}.",
            )
        self.census_year = self.census_year or 2000 + int(self.lsoa_col[4:6])  # LSOA11CD or LSOA21CD
        self.generation_slug = self.generation_slug or generation_for_ward_column(self.ward_col) or "2022"
        self.borough_col = self.pick(self.borough_field, header)
        name_col = self.pick(self.lsoa_name_field, header)
        share_col = self.pick(self.share_field, header)
        seen: dict[tuple[str, str], int] = {}
        try:
            for row in self.bar(reader, desc="lookup"):
                line = reader.line_num
                if None in row or any(v is None for v in row.values()):
                    self.problem(f"{self.path}, line {line}", "this row has the wrong number of fields.")
                    continue
                lsoa, ward = row[self.lsoa_col].strip(), row[self.ward_col].strip()
                self.counts["rows_read"] += 1
                if not re.fullmatch(r"[EW]01\d{6}", lsoa) or not re.fullmatch(r"[EW]05\d{6}", ward):
                    self.problem(f"{self.path}, line {line}", f'"{lsoa}" → "{ward}" is not an LSOA code → ward code.')
                    continue
                if (lsoa, ward) in seen:
                    self.problem(f"{self.path}, line {line}", f"{lsoa} → {ward} is also on line {seen[lsoa, ward]}.")
                    continue
                seen[lsoa, ward] = line
                share = None
                if share_col and row[share_col].strip():
                    try:
                        share = float(row[share_col])
                    except ValueError:
                        self.problem(f"{self.path}, line {line}", f'the share "{row[share_col]}" is not a number.')
                        continue
                yield {
                    "line": line,
                    "lsoa": lsoa,
                    "ward": ward,
                    "borough": row[self.borough_col].strip() if self.borough_col else "",
                    "name": row[name_col].strip() if name_col else "",
                    "share": share,
                }
        except csv.Error as exc:
            self.fail(f"{self.path}, line {reader.line_num}", f"the CSV cannot be read ({exc}).")

    def write(self, records):
        census_year, slug = self.census_year, self.generation_slug
        assert census_year is not None and slug is not None, "read() settles the census year and generation"
        try:
            gen = places.generation(slug)
        except ValueError as exc:
            self.fail(str(self.path), str(exc))
        wards = {w.gss_code: w for w in Ward.objects.filter(generation=gen)}
        ours = set(Borough.objects.values_list("gss_code", flat=True))
        kept = []
        for r in records:
            if r["borough"] and r["borough"] not in ours or not r["borough"] and r["ward"] not in wards:
                self.counts["rows_outside_our_boroughs"] += 1
                continue
            if r["ward"] not in wards:
                self.problem(
                    f"{self.path}, line {r['line']}",
                    f"ward {r['ward']} is not among the {gen.name} wards. "
                    "Import that generation's ward boundaries first.",
                )
                continue
            kept.append(r)
        if self.problems:
            self.fail(self.problems[0].where, self.problems[0].message)
        lsoas = {lsoa.gss_code: lsoa for lsoa in Lsoa.objects.filter(census_year=census_year)}
        new = [
            Lsoa(
                gss_code=r["lsoa"],
                census_year=census_year,
                name=r["name"],
                borough_code=r["borough"] or wards[r["ward"]].borough.gss_code,
            )
            for r in {r["lsoa"]: r for r in kept if r["lsoa"] not in lsoas}.values()
        ]
        Lsoa.objects.bulk_create(new, batch_size=1000)
        self.counts["lsoas_created"] += len(new)
        lsoas = {lsoa.gss_code: lsoa for lsoa in Lsoa.objects.filter(census_year=census_year)}
        # Re-importing a lookup replaces the links of its LSOAs within this generation, so runs repeat cleanly.
        touched = {lsoas[r["lsoa"]].pk for r in kept}
        # The generation's links picked here, not by "lsoa_id IN (…) AND ward's generation" in SQL: SQLite
        # answers that by trying every touched LSOA against every ward of the generation (3 s for London).
        stale = LsoaWard.objects.filter(ward__generation=gen).values_list("pk", "lsoa_id")
        LsoaWard.objects.filter(pk__in=[pk for pk, lsoa_id in stale if lsoa_id in touched]).delete()
        LsoaWard.objects.bulk_create(
            [
                LsoaWard(lsoa=lsoas[r["lsoa"]], ward=wards[r["ward"]], source=self.path.name, share=r["share"])
                for r in kept
            ],
            batch_size=1000,
        )
        self.counts["links"] += len(kept)
