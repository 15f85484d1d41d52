"""Census ethnic-group tables: a base that owns reading and checking, one short class per official layout.

Each layout declares its census, table and geography, the column holding the area's code (and
name), the column of all usual residents and the column of each of the five high-level groups.
A file whose header lacks any declared column is refused before a row is read, saying which
columns are missing; a row whose groups do not add up to its total, or whose counts are not
whole numbers, is reported with its line, and (reference data) nothing is imported.
Re-importing replaces the rows of the areas in the file.
"""

from __future__ import annotations

import csv
import io
import re

from django.utils.text import slugify

from openward.areas.importers.files import CUT_SHORT, SourceError, decode_utf8, read_bytes
from openward.core.importers.base import BaseImporter, unterminated_last_line

from .models import ALL_PEOPLE, EthnicGroup, EthnicPopulation, Geography


class EthnicGroupTableImporter(BaseImporter):
    """Read one census ethnic-group table (CSV, or .csv.gz) and store it per area and group."""

    all_or_nothing = True
    census_year: int
    table: str
    geography: str
    code_column: str
    name_column: str = ""
    total_column: str
    group_columns: dict[EthnicGroup, str]
    # Columns that must hold one value on every row (e.g. Nomis's "Rural Urban" = "Total").
    fixed_columns: dict[str, str] = {}
    code_pattern = r".+"

    def area_code(self, row: dict) -> str:
        return row[self.code_column].strip()

    def read(self):
        try:
            data = read_bytes(self.path)
            text = decode_utf8(data, str(self.path))
        except SourceError as exc:
            self.fail(exc.where, exc.message)
        if (last := unterminated_last_line(data)) is not None:
            self.fail(f"{self.path}, line {last}", CUT_SHORT)
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip() for h in reader.fieldnames or []]
        wanted = [self.code_column, self.name_column, self.total_column, *self.group_columns.values()]
        missing = [c for c in [*wanted, *self.fixed_columns] if c and c not in header]
        if missing:
            self.fail(
                f"{self.path}, line 1",
                f"this is not the {self.describe()} layout: the header has no column "
                + "; ".join(f'"{c}"' for c in missing[:4])
                + (f" (and {len(missing) - 4} more)" if len(missing) > 4 else "")
                + ". Check you chose the right file and table.",
            )
        reader.fieldnames = header
        seen: dict[str, int] = {}
        try:
            for row in self.bar(reader, desc=self.table):
                line = reader.line_num
                where = f"{self.path}, line {line}"
                self.counts["rows_read"] += 1
                if None in row or any(v is None for v in row.values()):
                    self.problem(where, "this row has the wrong number of fields.")
                    continue
                wrong = [f'{c} is "{row[c]}", not "{v}"' for c, v in self.fixed_columns.items() if row[c] != v]
                if wrong:
                    self.problem(where, "; ".join(wrong) + ".")
                    continue
                code = self.area_code(row)
                if not re.fullmatch(self.code_pattern, code):
                    self.problem(where, f'"{code[:40]}" is not a {Geography(self.geography).label} code.')
                    continue
                if code in seen:
                    self.problem(where, f"{code} is also on line {seen[code]}.")
                    continue
                seen[code] = line
                try:
                    total = int(row[self.total_column].replace(",", ""))
                    groups = {g: int(row[c].replace(",", "")) for g, c in self.group_columns.items()}
                except ValueError:
                    self.problem(where, "every count must be a whole number.")
                    continue
                if min([total, *groups.values()]) < 0:
                    self.problem(where, "a count cannot be negative.")
                    continue
                if sum(groups.values()) != total:
                    self.problem(
                        where,
                        f"the five groups add up to {sum(groups.values()):,}, not the total of {total:,}.",
                    )
                    continue
                name = row[self.name_column].strip() if self.name_column else ""
                yield {"code": code, "name": name, "total": total, "groups": groups}
        except csv.Error as exc:
            self.fail(f"{self.path}, line {reader.line_num}", f"the CSV cannot be read ({exc}).")

    def describe(self) -> str:
        return f"Census {self.census_year} {self.table} by {Geography(self.geography).label}"

    def write(self, records):
        run_rows = EthnicPopulation.objects.filter(census_year=self.census_year, geography=self.geography)
        codes = [r["code"] for r in records]
        for start in range(0, len(codes), 500):
            removed, _ = run_rows.filter(area_code__in=codes[start : start + 500]).delete()
            self.counts["rows_replaced"] += removed
        rows = []
        for r in records:
            for group, people in [(ALL_PEOPLE, r["total"]), *r["groups"].items()]:
                rows.append(
                    EthnicPopulation(
                        census_year=self.census_year,
                        table=self.table,
                        geography=self.geography,
                        area_code=r["code"],
                        area_name=r["name"],
                        group=group,
                        people=people,
                    )
                )
        EthnicPopulation.objects.bulk_create(rows, batch_size=2000)
        self.counts["areas"] += len(records)


class Ts021Lsoa(EthnicGroupTableImporter):
    """Census 2021 TS021 (ethnic group) by LSOA, as ONS/Nomis publish it (census2021-ts021-lsoa.csv)."""

    name = "census-2021-ts021-lsoa"
    census_year = 2021
    table = "TS021"
    geography = Geography.LSOA
    code_column = "geography code"
    name_column = "geography"
    code_pattern = r"[EW]01\d{6}"
    total_column = "Ethnic group: Total: All usual residents"
    group_columns = {
        EthnicGroup.ASIAN: "Ethnic group: Asian, Asian British or Asian Welsh",
        EthnicGroup.BLACK: "Ethnic group: Black, Black British, Black Welsh, Caribbean or African",
        EthnicGroup.MIXED: "Ethnic group: Mixed or Multiple ethnic groups",
        EthnicGroup.WHITE: "Ethnic group: White",
        EthnicGroup.OTHER: "Ethnic group: Other ethnic group",
    }
    fixed_columns = {"date": "2021"}


QS201_GROUPS = {
    EthnicGroup.WHITE: "Ethnic Group: White; measures: Value",
    EthnicGroup.MIXED: "Ethnic Group: Mixed; measures: Value",
    EthnicGroup.ASIAN: "Ethnic Group: Asian; measures: Value",
    EthnicGroup.BLACK: "Ethnic Group: Black; measures: Value",
    EthnicGroup.OTHER: "Ethnic Group: Other; measures: Value",
}
QS201_TOTAL = "Ethnic Group: All categories: Ethnic group; measures: Value"


class Qs201LocalAuthority(EthnicGroupTableImporter):
    """Census 2011 QS201EW by local authority, as Nomis downloads it."""

    name = "census-2011-qs201ew-local-authority"
    census_year = 2011
    table = "QS201EW"
    geography = Geography.LOCAL_AUTHORITY
    code_column = "geography code"
    name_column = "geography"
    code_pattern = r"[EW]0[6-9]\d{6}"
    total_column = QS201_TOTAL
    group_columns = QS201_GROUPS
    fixed_columns = {"date": "2011", "Rural Urban": "Total"}


class Qs201PoliceForceArea(EthnicGroupTableImporter):
    """Census 2011 QS201EW summed to police force areas (PFA16NM), keyed by the police.uk force id."""

    name = "census-2011-qs201ew-police-force-area"
    census_year = 2011
    table = "QS201EW"
    geography = Geography.POLICE_FORCE_AREA
    code_column = "PFA16NM"
    name_column = "PFA16NM"
    code_pattern = r"[a-z][a-z-]+"
    total_column = QS201_TOTAL
    group_columns = QS201_GROUPS

    def area_code(self, row: dict) -> str:
        # police.uk ids spell "&" as "and": "Avon & Somerset" is avon-and-somerset.
        return slugify(row[self.code_column].replace("&", "and"))


LAYOUTS = {cls.name: cls for cls in (Ts021Lsoa, Qs201LocalAuthority, Qs201PoliceForceArea)}
