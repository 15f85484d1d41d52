"""Factories for crime records and the areas they sit in; `rebuild_counts` recounts MonthlyCount as importers do."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import factory
from factory.django import DjangoModelFactory

from openward.areas.models import Borough, Force, Lsoa, LsoaWard, Ward, WardGeneration
from openward.census.importers import Ts021Lsoa
from openward.core.models import ImportRun

from ..importers import store
from ..importers.categories import CATEGORY_NAMES as ALL_CATEGORY_NAMES
from ..models import AreaCount, Crime, CrimeCategory, MonthlyCount, Outcome, OutcomeCount, PointCount, Stop

# The categories police.uk lists today (the pre-2013 `public-disorder-weapons` left out).
CATEGORY_NAMES = {slug: name for slug, name in ALL_CATEGORY_NAMES.items() if slug != "public-disorder-weapons"}


def square(lat: float, lng: float, half: float = 0.005) -> str:
    """A GeoJSON square around a point (WGS84), for test boundaries."""
    ring = [[lng - half, lat - half], [lng + half, lat - half], [lng + half, lat + half], [lng - half, lat + half]]
    return json.dumps({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})


class ForceFactory(DjangoModelFactory):
    class Meta:
        model = Force
        django_get_or_create = ("slug",)

    slug = "metropolitan"
    name = factory.LazyAttribute(
        lambda o: {
            "metropolitan": "Metropolitan Police Service",
            "city-of-london": "City of London Police",
            "btp": "British Transport Police",
        }.get(o.slug, o.slug.title())
    )
    listed = factory.LazyAttribute(lambda o: o.slug != "btp")


class BoroughFactory(DjangoModelFactory):
    class Meta:
        model = Borough
        django_get_or_create = ("gss_code",)

    gss_code = factory.Sequence(lambda n: f"E09{n:06d}")
    name = factory.Sequence(lambda n: f"Borough {n}")
    slug = factory.Sequence(lambda n: f"borough-{n}")


class GenerationFactory(DjangoModelFactory):
    class Meta:
        model = WardGeneration
        django_get_or_create = ("slug",)

    slug = "2022"
    name = "London wards from May 2022"
    valid_from = dt.date(2022, 5, 5)


class WardFactory(DjangoModelFactory):
    class Meta:
        model = Ward

    gss_code = factory.Sequence(lambda n: f"E05{n:06d}")
    name = factory.Sequence(lambda n: f"Ward {n}")
    slug = factory.Sequence(lambda n: f"ward-{n}")
    borough = factory.SubFactory(BoroughFactory)
    generation = factory.SubFactory(GenerationFactory)
    valid_from = dt.date(2022, 5, 5)
    population = 10_000
    centre_lat = 51.515
    centre_lng = -0.09
    boundary = factory.LazyAttribute(lambda o: square(o.centre_lat, o.centre_lng))
    min_lat = factory.LazyAttribute(lambda o: o.centre_lat - 0.005)
    max_lat = factory.LazyAttribute(lambda o: o.centre_lat + 0.005)
    min_lng = factory.LazyAttribute(lambda o: o.centre_lng - 0.005)
    max_lng = factory.LazyAttribute(lambda o: o.centre_lng + 0.005)


def category(slug: str) -> CrimeCategory:
    obj, _ = CrimeCategory.objects.get_or_create(slug=slug, defaults={"name": CATEGORY_NAMES.get(slug, slug)})
    return obj


def add_crimes(ward, slug: str, month: dt.date, n: int, force=None) -> None:
    """`n` crimes of one category in a ward and month (no location), by the ward's borough's force by default."""
    force = force or ward.borough.force
    cat = category(slug)
    Crime.objects.bulk_create(Crime(force=force, month=month, category=cat, ward=ward) for _ in range(n))


class CrimeFactory(DjangoModelFactory):
    class Meta:
        model = Crime

    force = factory.SubFactory(ForceFactory)
    month = dt.date(2024, 12, 1)
    category = factory.LazyFunction(lambda: category("burglary"))
    persistent_id = factory.LazyAttributeSequence(
        lambda o, n: "" if o.category.slug == "anti-social-behaviour" else hashlib.sha256(str(n).encode()).hexdigest()
    )
    api_id = factory.Sequence(lambda n: 100_000_000 + n)
    latitude = 51.515
    longitude = -0.09
    street_id = 1_000_001
    street_name = "On or near Test Street"
    location_type = "Force"
    ward = None
    borough_code = factory.LazyAttribute(lambda o: o.ward.borough.gss_code if o.ward else "")
    lsoa_code = "E01000001"


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = Outcome

    persistent_id = factory.LazyFunction(lambda: hashlib.sha256(b"x").hexdigest())
    force = factory.SubFactory(ForceFactory)
    month = dt.date(2024, 12, 1)
    code = "under-investigation"
    name = "Under investigation"


class StopFactory(DjangoModelFactory):
    class Meta:
        model = Stop

    force = factory.SubFactory(ForceFactory)
    month = dt.date(2024, 12, 1)
    datetime = factory.LazyAttribute(lambda o: dt.datetime(o.month.year, o.month.month, 6, 22, 45, tzinfo=dt.UTC))
    type = "Person search"
    involved_person = True
    latitude = 51.515
    longitude = -0.09
    street_id = 1_000_001
    street_name = "On or near Test Street"
    gender = "Male"
    age_range = "18-24"
    officer_defined_ethnicity = "White"
    self_defined_ethnicity = "White - English/Welsh/Scottish/Northern Irish/British"
    legislation = "Misuse of Drugs Act 1971 (section 23)"
    object_of_search = "Controlled drugs"
    outcome = "A no further action disposal"
    outcome_code = "bu-no-further-action"
    outcome_linked_to_object_of_search = None
    ward = None
    borough_code = factory.LazyAttribute(lambda o: o.ward.borough.gss_code if o.ward else "")


def rebuild_counts() -> None:
    """Recount the precomputed counts (MonthlyCount, AreaCount, OutcomeCount, PointCount) from Crime, as imports do."""
    for model in (MonthlyCount, AreaCount, OutcomeCount, PointCount):
        model.objects.all().delete()
    for force_id, month in Crime.objects.values_list("force_id", "month").distinct().order_by():
        store.rebuild_monthly_counts(force_id, month)


def import_run(when: dt.datetime | None = None) -> ImportRun:
    when = when or dt.datetime(2025, 1, 31, 9, 30, tzinfo=dt.UTC)
    return ImportRun.objects.create(
        importer="police-uk", source="test", status=ImportRun.Status.COMMITTED, started_at=when, finished_at=when
    )


def month_after(first: dt.date, i: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + i
    return dt.date(index // 12, index % 12 + 1, 1)


def populate_ward(seed: int = 7, first: dt.date = dt.date(2023, 1, 1), months: int = 24):
    """A ward with `months` months of Met crimes from `first` (by default 2023 and 2024), some BTP crimes
    (two duplicating Met ones, in the last month but one), outcomes and stops (in the year before 2025).

    Returns the ward. Counts vary by month and category so the rolling-12 figures are not trivial.
    """
    import random

    rng = random.Random(seed)
    met = ForceFactory(slug="metropolitan")
    btp = ForceFactory(slug="btp")
    ward = WardFactory(gss_code="E05009999", name="Testbridge", population=12_500)
    categories = [category(s) for s in ("burglary", "violent-crime", "shoplifting", "anti-social-behaviour")]
    second_last = month_after(first, months - 2)
    rows = []
    for i in range(months):
        month = month_after(first, i)
        for cat in categories:
            for _ in range(rng.randint(1, 12)):
                lat = 51.515 + rng.choice([-0.003, -0.001, 0.0, 0.002])
                lng = -0.09 + rng.choice([-0.002, 0.0, 0.003])
                rows.append(
                    CrimeFactory.build(
                        force=met,
                        ward=ward,
                        month=month,
                        category=cat,
                        latitude=lat,
                        longitude=lng,
                        street_id=int(lat * 1e6) + int(-lng * 1e6),
                        street_name=f"On or near Street {lat:.3f}",
                        outcome_category=rng.choice(["Under investigation", "Unable to prosecute suspect", ""]),
                    )
                )
    Crime.objects.bulk_create(rows)
    # BTP: three crimes at the station, two of which the Met also published (same persistent_id).
    met_twins = list(Crime.objects.filter(force=met, month=second_last).exclude(persistent_id="")[:2])
    for twin in met_twins:
        CrimeFactory(
            force=btp,
            ward=ward,
            month=twin.month,
            category=twin.category,
            persistent_id=twin.persistent_id,
            location_type="BTP",
            location_subtype="STATION",
        )
    CrimeFactory(
        force=btp,
        ward=ward,
        month=second_last,
        category=category("violent-crime"),
        location_type="BTP",
        location_subtype="STATION",
    )
    # BTP publishes every month, as the Met does: one crime far from the ward in each month loaded.
    for i in range(months):
        CrimeFactory(
            force=btp,
            month=month_after(first, i),
            category=category("other-theft"),
            latitude=53.48,
            longitude=-2.24,
            location_type="BTP",
            location_subtype="STATION",
        )
    for i in range(30):
        StopFactory(
            force=met,
            ward=ward,
            month=dt.date(2024, 1 + i % 12, 1),
            officer_defined_ethnicity=["White", "Black", "Asian"][i % 3],
            outcome="Arrest" if i % 5 == 0 else "A no further action disposal",
            outcome_code="bu-arrest" if i % 5 == 0 else "bu-no-further-action",
            outcome_linked_to_object_of_search=None if i % 3 == 0 else i % 2 == 0,
        )
    rebuild_counts()
    import_run()
    return ward


# A small census table by LSOA (TS021), and the words police.uk uses for each group's self-defined ethnicity.
TS021 = Path(__file__).parents[2] / "census/tests/fixtures/ts021_lsoa_small.csv"
ETHNICITY = {
    "white": "White - English/Welsh/Scottish/Northern Irish/British",
    "black": "Black/African/Caribbean/Black British - Caribbean",
    "asian": "Asian/Asian British - Indian",
    "not stated": "Other ethnic group - Not stated",
}


def small_ward(white=40, black=30, asian=5, not_stated=3):
    """Smallbridge: a ward over TS021's three 2021 LSOAs, with stops in December 2024 by self-defined ethnicity."""
    met = ForceFactory(slug="metropolitan")
    ward = WardFactory(gss_code="E05000999", name="Smallbridge")
    Ts021Lsoa(TS021, commit=True).run()
    for code in ("E01000001", "E01000002", "E01000003"):
        lsoa = Lsoa.objects.create(gss_code=code, census_year=2021, borough_code=ward.borough.gss_code)
        LsoaWard.objects.create(lsoa=lsoa, ward=ward)
    for group, n in (("white", white), ("black", black), ("asian", asian), ("not stated", not_stated)):
        for i in range(n):
            StopFactory(
                force=met,
                ward=ward,
                month=dt.date(2024, 12, 1),
                self_defined_ethnicity=ETHNICITY[group],
                outcome="Arrest" if i % 4 == 0 else "A no further action disposal",
                outcome_linked_to_object_of_search=(i % 2 == 0) if group != "asian" else None,
            )
    return ward
