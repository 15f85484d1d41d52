"""Census profiles of wards (residents aged 16 or over, by age band and ethnic group) for representativeness.

Age: ONS mid-year estimates by 2011 LSOA (`london-lsoa11-mid20XX-pop.csv`), summed over the LSOAs
each ward holds (`areas.LsoaWard`, 2011 LSOAs; a partial share scales the LSOA). Ethnic group:
census 2011 table QS201EW is published here by local authority only, so a ward's 16+ total is
split in its borough's proportions, and the source says so.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from openward.areas.models import LsoaWard
from openward.core.importers.base import BaseImporter

from ..models import AgeBand, Ethnicity, PopulationGroup

AGE_COLUMNS = {
    AgeBand.A16_29: "Persons_16-29",
    AgeBand.A30_44: "Persons_30-44",
    AgeBand.A45_64: "Persons_45-64",
    AgeBand.A65: "Persons_65+",
}
ETHNICITY_COLUMNS = {
    Ethnicity.WHITE: "Ethnic Group: White; measures: Value",
    Ethnicity.MIXED: "Ethnic Group: Mixed; measures: Value",
    Ethnicity.ASIAN: "Ethnic Group: Asian; measures: Value",
    Ethnicity.BLACK: "Ethnic Group: Black; measures: Value",
    Ethnicity.OTHER: "Ethnic Group: Other; measures: Value",
}


@dataclass
class Sources:
    ages: dict[str, dict[str, int]]  # LSOA code -> age band -> people
    ethnicity: dict[str, dict[str, int]]  # borough code -> group -> people


def _int(text: str) -> int:
    return int(text.replace(",", "").strip())


class WardProfileImporter(BaseImporter):
    """Load each ward's 16+ population by age band and ethnic group from LSOA and borough census files."""

    name = "priorities.ward_profiles"
    all_or_nothing = True

    def __init__(self, path, *, ethnicity_path, **kwargs):
        super().__init__(path, **kwargs)
        self.ethnicity_path = Path(ethnicity_path)

    def _rows(self, path: Path, required: list[str]):
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                self.fail(path.name, f"Missing columns {missing}. Is this the right file?")
            yield from enumerate(reader, start=2)

    def read(self):
        if not self.ethnicity_path.exists():
            self.fail(str(self.ethnicity_path), "No such file. Give the census 2011 QS201EW file by local authority.")
        ages: dict[str, dict[str, int]] = {}
        for line, row in self._rows(self.path, ["LSOA11CD", *AGE_COLUMNS.values()]):
            try:
                ages[row["LSOA11CD"].strip()] = {band: _int(row[col]) for band, col in AGE_COLUMNS.items()}
            except ValueError:
                self.problem(f"{self.path.name}:{line}", "A population figure is not a whole number.")
        ethnicity: dict[str, dict[str, int]] = {}
        for line, row in self._rows(self.ethnicity_path, ["geography code", *ETHNICITY_COLUMNS.values()]):
            try:
                ethnicity[row["geography code"].strip()] = {g: _int(row[col]) for g, col in ETHNICITY_COLUMNS.items()}
            except ValueError:
                self.problem(f"{self.ethnicity_path.name}:{line}", "An ethnic-group figure is not a whole number.")
        yield Sources(ages, ethnicity)

    def write(self, records):
        (sources,) = records
        age_totals: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        wards = {}
        links = LsoaWard.objects.filter(lsoa__census_year=2011).select_related("ward__borough", "lsoa")
        for link in self.bar(links, desc="wards"):
            people = sources.ages.get(link.lsoa.gss_code)
            if people is None:
                self.counts["lsoas_without_population"] += 1
                continue
            share = 1.0 if link.share is None else link.share
            for band, n in people.items():
                age_totals[link.ward_id][band] += n * share
            wards[link.ward_id] = link.ward
        age_source = f"ONS mid-year population estimates by 2011 LSOA ({self.path.name}), summed over the ward's LSOAs"
        for ward_id, bands in age_totals.items():
            ward = wards[ward_id]
            for band, n in bands.items():
                self._upsert(ward, PopulationGroup.Dimension.AGE, band, round(n), age_source)
            borough = sources.ethnicity.get(ward.borough.gss_code)
            if not borough or not sum(borough.values()):
                self.counts["wards_without_borough_ethnicity"] += 1
                continue
            total = sum(bands.values())
            eth_source = (
                f"Census 2011 QS201EW ethnic group for {ward.borough.name} ({self.ethnicity_path.name}), "
                "applied to the ward's 16+ population"
            )
            for group, n in borough.items():
                self._upsert(
                    ward,
                    PopulationGroup.Dimension.ETHNICITY,
                    group,
                    round(total * n / sum(borough.values())),
                    eth_source,
                )
            self.counts["wards"] += 1

    def _upsert(self, ward, dimension, group, count, source):
        _, created = PopulationGroup.objects.update_or_create(
            ward=ward, dimension=dimension, group=group, defaults={"count": count, "source": source}
        )
        self.counts["groups_created" if created else "groups_updated"] += 1
