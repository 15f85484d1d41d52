"""Census population by ethnic group per area: the denominators of stop-and-search rates.

One row per (census, geography, area, group), as loaded from an official table: Census 2021
TS021 by LSOA, Census 2011 QS201EW by local authority and by police force area. A figure says
which census it came from, so a page can label a 2011 denominator as such.
"""

from __future__ import annotations

from django.db import models

from openward.core.models import ImportRun


class EthnicGroup(models.TextChoices):
    """The five high-level groups both censuses and police.uk's self-defined ethnicity share."""

    WHITE = "white", "White"
    BLACK = "black", "Black"
    ASIAN = "asian", "Asian"
    MIXED = "mixed", "Mixed"
    OTHER = "other", "Other"


ALL_PEOPLE = "all"


class Geography(models.TextChoices):
    LSOA = "lsoa", "LSOA"
    LOCAL_AUTHORITY = "local-authority", "local authority"
    POLICE_FORCE_AREA = "police-force-area", "police force area"


class EthnicPopulationQuerySet(models.QuerySet):
    def for_area(self, geography: str, code: str, census_year: int | None = None):
        rows = self.filter(geography=geography, area_code=code)
        return rows.filter(census_year=census_year) if census_year else rows


class EthnicPopulation(models.Model):
    """Usual residents of one ethnic group (or "all") in one area, from one census table."""

    census_year = models.PositiveSmallIntegerField(choices=[(2011, "2011"), (2021, "2021")])
    table = models.CharField(max_length=12, help_text="ONS table id, e.g. TS021 or QS201EW.")
    geography = models.CharField(max_length=20, choices=Geography.choices)
    area_code = models.CharField(
        max_length=60, help_text="GSS code (LSOA, local authority) or police.uk force id (police force area)."
    )
    area_name = models.CharField(max_length=120, blank=True)
    group = models.CharField(max_length=10, help_text='One of EthnicGroup, or "all".')
    people = models.PositiveIntegerField()
    import_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = EthnicPopulationQuerySet.as_manager()

    class Meta:
        ordering = ["census_year", "geography", "area_code", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["census_year", "geography", "area_code", "group"], name="ethnic_population_once"
            )
        ]
        indexes = [models.Index(fields=["geography", "area_code"])]

    def __str__(self) -> str:
        return f"{self.census_year} {self.area_code} {self.group}: {self.people}"
