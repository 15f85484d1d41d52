"""Places, keyed by official codes with validity dates.

Boundaries are stored as GeoJSON geometry text in WGS84 (lng, lat order, as GeoJSON has it)
with a bounding box beside them, so a database query narrows candidates by box and shapely
decides containment (see selectors.py). This keeps SQLite and PostgreSQL on one code path.
"""

from __future__ import annotations

import re
from datetime import date

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone


class ValidityQuerySet(models.QuerySet):
    def current(self, on=None):
        """Areas valid on `on` (default today): started on or before it and not yet ended."""
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class Bounded(models.Model):
    """An area with a boundary: GeoJSON geometry (WGS84) and its bounding box."""

    boundary = models.TextField(blank=True, help_text="GeoJSON geometry, WGS84.")
    min_lat = models.FloatField(null=True, blank=True, db_index=True)
    max_lat = models.FloatField(null=True, blank=True)
    min_lng = models.FloatField(null=True, blank=True)
    max_lng = models.FloatField(null=True, blank=True)
    centre_lat = models.FloatField(null=True, blank=True)
    centre_lng = models.FloatField(null=True, blank=True)

    class Meta:
        abstract = True


class Valid(models.Model):
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True, help_text="Last day valid; empty while current.")
    is_demo = models.BooleanField(default=False, help_text="Generated demo data, not official.")

    class Meta:
        abstract = True


class Force(models.Model):
    """A police force, by its data.police.uk id (`metropolitan`, `city-of-london`, `btp`)."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="May contain HTML, as on police.uk.")
    url = models.URLField(blank=True)
    telephone = models.CharField(max_length=50, blank=True)
    engagement_methods = models.JSONField(default=list, blank=True)
    # police.uk lists every force under /forces except British Transport Police.
    listed = models.BooleanField(default=True)
    gss_code = models.CharField(max_length=9, blank=True, help_text="Police force area code (E23…).")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Borough(Bounded, Valid):
    """A London borough (local authority district), GSS E09…."""

    gss_code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    force = models.ForeignKey(Force, null=True, blank=True, on_delete=models.SET_NULL, related_name="boroughs")

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WardGeneration(models.Model):
    """A set of ward boundaries in force over a period (London changed its wards in May 2022)."""

    slug = models.SlugField(max_length=40, unique=True, help_text='e.g. "2014", "2018", "2022".')
    name = models.CharField(max_length=200)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["valid_from", "slug"]

    def __str__(self) -> str:
        return self.name


# A GSS code as published by the ONS: a country letter and eight digits (E05009317).
GSS_CODE_RE = re.compile(r"^[EWSN]\d{8}$")


class WardQuerySet(ValidityQuerySet):
    """The one ward resolver: every app finds "the ward for a code" and "the ward at a place" here."""

    def in_generation(self, generation):
        return self.filter(generation=generation)

    def in_force_first(self, on: date | None = None) -> WardQuerySet:
        """Wards in force on `on` (default today: their generation and the ward itself), then the newest
        generation's (by start date), then the most recently created."""
        on = on or timezone.localdate()
        generation_in_force = Q(generation__isnull=True) | (
            (Q(generation__valid_from__isnull=True) | Q(generation__valid_from__lte=on))
            & (Q(generation__valid_to__isnull=True) | Q(generation__valid_to__gte=on))
        )
        ward_in_force = (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )
        return self.annotate(
            in_force=Case(When(generation_in_force & ward_in_force, then=Value(1)), default=Value(0))
        ).order_by("-in_force", F("generation__valid_from").desc(nulls_last=True), "-pk")

    def by_code(self, code: str | None, generation: str | WardGeneration | None = None) -> Ward | None:
        """The ward with a GSS code: of `generation` (a slug or a WardGeneration) when given, else the one
        in force today, else the newest generation's (an abolished ward is still found by its code).
        None for an unknown or malformed code."""
        code = (code or "").strip().upper()
        if not GSS_CODE_RE.match(code):
            return None
        wards = self.filter(gss_code=code).select_related("borough", "borough__force", "generation")
        if isinstance(generation, str):
            wards = wards.filter(generation__slug=generation)
        elif generation is not None:
            wards = wards.filter(generation=generation)
        return wards.in_force_first().first()

    def covering(
        self, lat: float, lng: float, on: date | None = None, generation: WardGeneration | None = None
    ) -> WardQuerySet:
        """The wards whose boundary covers a point: of `generation` when given, else of the generation in
        force on `on` (default today). Empty when the point is in no ward."""
        from . import geo  # geo builds its indexes from these models

        ward_id = int(geo.locate_ward_ids([lat], [lng], on=on, generation=generation)[0])
        return self.filter(pk=ward_id).select_related("borough", "generation") if ward_id else self.none()


class Ward(Bounded, Valid):
    """An electoral ward, GSS E05…. The same code may appear in several generations."""

    gss_code = models.CharField(max_length=9, db_index=True)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220)
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="wards")
    generation = models.ForeignKey(
        WardGeneration, null=True, blank=True, on_delete=models.PROTECT, related_name="wards"
    )
    population = models.PositiveIntegerField(null=True, blank=True, help_text="Census usual residents, if known.")
    neighbours = models.ManyToManyField("self", blank=True, symmetrical=True)

    objects = WardQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["gss_code", "generation"], name="ward_code_per_generation")]

    def __str__(self) -> str:
        return f"{self.name} ({self.borough.name})" if self.borough_id else self.name


class Lsoa(Bounded):
    """A Lower-layer Super Output Area (2011 or 2021 census), GSS E01…."""

    gss_code = models.CharField(max_length=9)
    name = models.CharField(max_length=200, blank=True)
    census_year = models.PositiveSmallIntegerField(choices=[(2011, "2011"), (2021, "2021")])
    borough_code = models.CharField(max_length=9, blank=True, db_index=True)
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["gss_code"]
        constraints = [models.UniqueConstraint(fields=["gss_code", "census_year"], name="lsoa_code_per_census")]

    def __str__(self) -> str:
        return f"{self.gss_code} {self.name}".strip()


class LsoaWard(models.Model):
    """Which ward of a generation an LSOA falls in (best fit), from an official or derived lookup."""

    lsoa = models.ForeignKey(Lsoa, on_delete=models.CASCADE, related_name="ward_links")
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="lsoa_links")
    source = models.CharField(max_length=200, blank=True)
    share = models.FloatField(null=True, blank=True, help_text="Share of the LSOA in the ward, if known.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lsoa", "ward"], name="lsoa_ward_once")]


class Cluster(models.Model):
    """A named group of wards under one panel, as in the City of London's cluster panels."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    borough = models.ForeignKey(Borough, null=True, blank=True, on_delete=models.SET_NULL, related_name="clusters")
    wards = models.ManyToManyField(Ward, related_name="clusters", blank=True)
    description = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Neighbourhood(Valid):
    """A police.uk neighbourhood. For the Met its id is the ward's GSS code."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="neighbourhoods")
    code = models.CharField(max_length=64, help_text="police.uk neighbourhood id.")
    name = models.CharField(max_length=200)
    ward = models.ForeignKey(Ward, null=True, blank=True, on_delete=models.SET_NULL, related_name="neighbourhoods")
    description = models.TextField(blank=True)
    url_force = models.URLField(blank=True)
    contact_details = models.JSONField(default=dict, blank=True)
    links = models.JSONField(default=list, blank=True)
    # Forces that do not use ward codes draw their own neighbourhoods; police.uk serves those boundaries.
    boundary = models.TextField(
        blank=True, help_text="GeoJSON geometry (WGS84) of its own; empty when its boundary is its ward's."
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["force", "code"], name="neighbourhood_code_per_force")]

    def __str__(self) -> str:
        return f"{self.name} ({self.force.slug})"


class TeamMember(models.Model):
    """A person in a neighbourhood team (or a force's senior people when neighbourhood is empty)."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="people")
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.CASCADE, related_name="people"
    )
    name = models.CharField(max_length=200)
    rank = models.CharField(max_length=100)
    bio = models.TextField(blank=True, help_text="May contain HTML, as on police.uk.")
    contact_details = models.JSONField(default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return f"{self.rank} {self.name}"


class Station(models.Model):
    """A police station or front counter, with opening hours."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="stations")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, default="station", help_text='police.uk location type, e.g. "station".')
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    description = models.TextField(blank=True)
    has_front_counter = models.BooleanField(default=False)
    opening_hours = models.JSONField(
        default=dict, blank=True, help_text='{"mon": [["08:00", "20:00"]], …}; empty list = closed.'
    )
    neighbourhoods = models.ManyToManyField(Neighbourhood, related_name="stations", blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StationHours(models.Model):
    """A station's hours (and whether it has a front counter) from a date, as an import gave them.

    The station's own `opening_hours` and `has_front_counter` are the latest; a change adds a row here instead
    of overwriting the past, so what was in force on an earlier date can be read back (`areas.hours`), as a
    commitment's review dated then needs.
    """

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="hours_history")
    valid_from = models.DateField()
    has_front_counter = models.BooleanField(default=False)
    opening_hours = models.JSONField(default=dict, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["station", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["station", "valid_from"], name="one_hours_row_per_station_day")]

    def __str__(self) -> str:
        return f"{self.station} from {self.valid_from}"


class PostcodeQuerySet(models.QuerySet):
    def live(self):
        return self.filter(terminated__isnull=True)


class Postcode(models.Model):
    """A postcode and the areas it falls in, as the source file gives them."""

    compact = models.CharField(max_length=7, unique=True, help_text='No spaces, upper case: "SW1A1AA".')
    positional_quality = models.PositiveSmallIntegerField(null=True, blank=True)
    easting = models.IntegerField(null=True, blank=True)
    northing = models.IntegerField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    ward_code = models.CharField(max_length=9, blank=True, db_index=True)
    borough_code = models.CharField(max_length=9, blank=True, db_index=True)
    lsoa11_code = models.CharField(max_length=9, blank=True)
    lsoa21_code = models.CharField(max_length=9, blank=True)
    introduced = models.DateField(null=True, blank=True)
    terminated = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=80, blank=True)
    is_demo = models.BooleanField(default=False)

    objects = PostcodeQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.compact[:-3]} {self.compact[-3:]}"
