"""Street-level crime, outcomes and stop and search, as data.police.uk publishes them.

Each record keeps what the source said (force, month, category, snap point, street, LSOA)
and where Open Ward placed it (LSOA and ward of the right boundary generation). Re-importing
a force's month replaces that force's rows for the month, inside the import's transaction
(`importers/months.py`). On PostgreSQL the crime table is partitioned by month (migration 0004),
so a month is loaded as a table of its own and swapped in.
"""

from __future__ import annotations

from django.db import models

from openward.areas.models import Force, Ward
from openward.core.models import ImportRun

# Every street id derived from a CSV record's snap point is at least this (`importers/frames.py`);
# police.uk's own are under 10**8.
DERIVED_STREET_IDS = 2**50


class CrimeCategory(models.Model):
    """A police.uk crime category (`burglary`, `violent-crime`, …) with the months it was used."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120, help_text='As police.uk names it, e.g. "Violence and sexual offences".')
    first_month = models.DateField(null=True, blank=True)
    last_month = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "crime categories"

    def __str__(self) -> str:
        return self.name


class Placed(models.Model):
    """A record with a published snap point and the areas Open Ward placed it in."""

    # Only the indexes a page's or the API's query plan uses exist (each is named in its model's
    # Meta, with the query it serves): every other index would be written on every import row and
    # never read. Foreign keys lead a composite index instead of having one of their own.
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+", db_index=False)
    month = models.DateField(help_text="First day of the month the record belongs to.")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    street_id = models.BigIntegerField(null=True, blank=True)
    street_name = models.CharField(max_length=255, blank=True)
    lsoa_code = models.CharField(max_length=9, blank=True)
    ward = models.ForeignKey(Ward, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False)
    borough_code = models.CharField(max_length=9, blank=True)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        abstract = True


class Crime(Placed):
    """One street-level crime or anti-social behaviour incident.

    Its references to force, category, ward and import run are not foreign-key constraints in the
    database: on PostgreSQL each month is loaded as a table of its own and attached as a partition,
    and attaching would check every row against four tables again (a third of the load's time).
    The importer writes only ids it read in the same transaction, and holds those rows (FOR KEY
    SHARE) until it commits, as the constraints' triggers would; Django still applies PROTECT and
    SET_NULL when a force, category, ward or run is deleted.
    """

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False)
    ward = models.ForeignKey(
        Ward, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False, db_constraint=False
    )
    import_run = models.ForeignKey(
        ImportRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    persistent_id = models.CharField(max_length=64, blank=True, help_text='"" for anti-social behaviour.')
    api_id = models.BigIntegerField(null=True, blank=True, help_text="police.uk API id, when imported from the API.")
    category = models.ForeignKey(
        CrimeCategory, on_delete=models.PROTECT, related_name="crimes", db_index=False, db_constraint=False
    )
    reported_by = models.CharField(max_length=120, blank=True)
    falls_within = models.CharField(max_length=120, blank=True)
    lsoa_name = models.CharField(max_length=120, blank=True)
    location_type = models.CharField(max_length=10, blank=True, help_text='"Force" or "BTP"; blank without location.')
    location_subtype = models.CharField(max_length=40, blank=True)
    context = models.TextField(blank=True)
    outcome_category = models.CharField(max_length=120, blank=True, help_text="Last outcome category (name).")
    outcome_month = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            # Ward, borough and cluster figures counted from crimes (hot spots, drawn areas, evidence for
            # priorities) and the crimes-street narrowing (rows_near). Placed rows only: sorting a column
            # that is mostly empty (a force whose wards are not loaded) costs four times as much, and
            # the unplaced rows are reached by their borough (next) or their point.
            models.Index(
                fields=["ward", "month", "category"],
                name="crime_ward_month_category",
                condition=models.Q(ward__isnull=False),
            ),
            # A borough's rows placed in no ward (by LSOA only). Queries name borough_code > '' so
            # that SQLite, which matches a partial index's condition by its terms, can use it.
            models.Index(
                fields=["borough_code", "month"],
                name="crime_unplaced_borough_month",
                condition=models.Q(ward__isnull=True, borough_code__gt=""),
            ),
            # A force's rows: the copies another force published (twin_rows), crimes-no-location, and a
            # month replaced in place.
            models.Index(fields=["force", "month"], name="crime_force_month"),
            # crimes-at-location's nearest street and crimes-street's unplaced rows (one month, a box). No
            # month in it: on PostgreSQL each month is a partition of its own, where a leading month would
            # only slow every comparison of the index's build (a third of its time); SQLite reads a box's
            # rows of every month, a few thousand.
            models.Index(fields=["latitude", "longitude"], name="crime_point"),
            # crimes-at-location by police.uk's own street ids (saved API responses). The ids derived from a
            # CSV's snap points are found through the point index (`selectors.at_street`): with them, this
            # index would repeat it, at a fifth of a large import's time on SQLite.
            models.Index(
                fields=["street_id"], name="crime_street", condition=models.Q(street_id__lt=DERIVED_STREET_IDS)
            ),
            # Whether an area's newest month is generated demo data (the pages say so): demo rows only, so
            # for real data it is empty and answers at once.
            models.Index(fields=["month"], name="crime_demo", condition=models.Q(is_demo=True)),
            # outcomes-for-crime and the copies another force published (twin_rows); ASB has none.
            # Byte order (PostgreSQL's text_pattern_ops; SQLite's only order): only equality is asked
            # of it, and building it sorts faster than in the locale's collation.
            models.Index(
                fields=["persistent_id"],
                name="crime_persistent_id",
                condition=~models.Q(persistent_id=""),
                opclasses=["text_pattern_ops"],
            ),
        ]


class DroppedDuplicate(Placed):
    """A crime row an import left out as a copy of another, kept so the figures can say how many and why.

    Replaced with its force's month, like the crimes themselves.
    """

    class Reason(models.TextChoices):
        IDENTICAL_ROW = "identical-row", "the file repeated a row exactly (same Crime ID, every field the same)"
        REPEATED_API_ID = (
            "repeated-api-id",
            "the saved police.uk API responses returned the same crime id more than once "
            "(a crime on the edge of two queried areas comes back for both)",
        )

    category = models.ForeignKey(CrimeCategory, on_delete=models.PROTECT, related_name="+", db_index=False)
    persistent_id = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    source = models.CharField(max_length=255, help_text="The file and line (or API record) of the copy left out.")

    class Meta:
        indexes = [models.Index(fields=["force", "month"]), models.Index(fields=["ward", "month"])]


class Outcome(models.Model):
    """One outcome for a crime, from an outcomes file (`YYYY-MM-<force>-outcomes.csv`)."""

    persistent_id = models.CharField(max_length=64, db_index=True)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(db_index=True)
    code = models.SlugField(max_length=80, blank=True)
    name = models.CharField(max_length=160)
    person_id = models.BigIntegerField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    lsoa_code = models.CharField(max_length=9, blank=True)
    import_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["force", "month"])]


class Stop(Placed):
    """One stop and search."""

    api_id = models.CharField(max_length=80, blank=True, help_text="Source key when deduplicating API dumps.")
    type = models.CharField(max_length=40)
    involved_person = models.BooleanField(default=True)
    datetime = models.DateTimeField(db_index=True)
    operation = models.BooleanField(null=True, blank=True)
    operation_name = models.CharField(max_length=200, blank=True)
    gender = models.CharField(max_length=20, blank=True)
    age_range = models.CharField(max_length=20, blank=True)
    self_defined_ethnicity = models.CharField(max_length=120, blank=True)
    officer_defined_ethnicity = models.CharField(max_length=40, blank=True)
    legislation = models.CharField(max_length=160, blank=True)
    object_of_search = models.CharField(max_length=120, blank=True)
    outcome = models.CharField(max_length=160, blank=True)
    outcome_code = models.CharField(max_length=80, blank=True)
    outcome_linked_to_object_of_search = models.BooleanField(null=True, blank=True)
    removal_of_more_than_outer_clothing = models.BooleanField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["force", "month"]), models.Index(fields=["ward", "month"])]


class MonthlyCount(models.Model):
    """Crimes per ward (of the record's generation), force, category and month: the analytics' fast path.

    Rebuilt for each (force, month) an import touches, inside the same transaction.
    """

    ward = models.ForeignKey(Ward, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    lsoa_code = models.CharField(max_length=9, blank=True)
    borough_code = models.CharField(max_length=9, blank=True, db_index=True)
    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(CrimeCategory, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["ward", "month"]), models.Index(fields=["borough_code", "month"])]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "lsoa_code", "force", "category", "month"], name="monthly_count_once"
            )
        ]


class Level(models.TextChoices):
    """The kind of area a rolled-up count is for."""

    WARD = "ward", "ward"
    BOROUGH = "borough", "borough"
    FORCE = "force", "force"


class Rollup(models.Model):
    """A count rolled up to one area: a ward (`area` is its id), a borough (its GSS code) or a force (its id).

    Rebuilt for each (force, month) an import touches, inside the same transaction, so a cold area page
    reads a few hundred rows of its own whatever the number of crimes. `force` is the force that
    published the crimes (an area can have several); a force's own rows have `area` = its id.
    """

    level = models.CharField(max_length=7, choices=Level.choices)
    area = models.CharField(max_length=20)
    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+", db_index=False)
    category = models.ForeignKey(CrimeCategory, on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField()
    count = models.PositiveIntegerField()

    class Meta:
        abstract = True


class AreaCount(Rollup):
    """Crimes per area, publishing force, category and month: a cold area page's trend, totals, categories
    and forces, the months each force has loaded, and the latest month loaded."""

    class Meta:
        indexes = [
            # An area's page (its rows over three years); with level = "force", the months each force has
            # loaded and the newest month.
            models.Index(fields=["level", "area", "month"], name="area_count_area_month"),
            # An import replacing a force's month.
            models.Index(fields=["force", "month"], name="area_count_force_month"),
        ]


class OutcomeCount(Rollup):
    """Crimes per area, publishing force, category, month and last outcome: a cold crime page's outcome
    table without reading the crimes."""

    outcome_category = models.CharField(max_length=120, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["level", "area", "month"], name="outcome_count_area_month"),
            models.Index(fields=["force", "month"], name="outcome_count_force_month"),
        ]


class PointCount(models.Model):
    """Crimes (anti-social behaviour left out) per ward, force, month and snap point: a cold crime page's
    busiest places and map without reading the crimes. Rebuilt with OutcomeCount."""

    ward = models.ForeignKey(Ward, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False)
    borough_code = models.CharField(max_length=9, blank=True)
    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField()
    latitude = models.FloatField()
    longitude = models.FloatField()
    street_name = models.CharField(max_length=255, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["ward", "month"], name="point_count_ward_month"),
            models.Index(fields=["force", "month"], name="point_count_force_month"),
            models.Index(fields=["borough_code", "month"], name="point_count_borough_month"),
        ]
