"""The demo step: two years of generated files for the demo wards, loaded by the real importer."""

import datetime as dt
import io

import pytest
from django.db.models import Sum

from openward.areas.models import Ward
from openward.core import demo
from openward.crime.demo_data import LAST_MONTH, MONTHS, generate_and_load_crime
from openward.crime.models import Crime, MonthlyCount, Outcome, Stop
from openward.crime.tests.fixtures import areas

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_wards():
    force = areas.force("demo-police", "Demo Police (generated)")
    borough = areas.borough("E09999001", "Demo Borough (generated)")
    borough.force = force
    borough.save()
    gen = areas.generation("2022", dt.date(2022, 5, 5), None)
    wards = [
        areas.ward("E05999001", gen, (0.10, 51.70, 0.12, 51.71), b=borough),
        areas.ward("E05999002", gen, (0.12, 51.70, 0.14, 51.71), b=borough),
    ]
    Ward.objects.filter(pk__in=[w.pk for w in wards]).update(is_demo=True)
    return wards


def yearly(slug):
    first_year_end = dt.date(LAST_MONTH.add(-12).year, LAST_MONTH.add(-12).month, 1)
    counts = MonthlyCount.objects.filter(category__slug=slug)
    return (
        counts.filter(month__lte=first_year_end).aggregate(n=Sum("count"))["n"],
        counts.filter(month__gt=first_year_end).aggregate(n=Sum("count"))["n"],
    )


def test_demo_crime_is_generated_placed_and_idempotent(tmp_path, demo_wards):
    out = io.StringIO()
    generate_and_load_crime(tmp_path, out)
    archive = next(tmp_path.glob("*.zip"))
    first_bytes = archive.read_bytes()
    crimes, stops, outcomes = Crime.objects.count(), Stop.objects.count(), Outcome.objects.count()
    assert crimes > 1000 and stops > 100 and outcomes > 100
    assert f"{crimes} crimes" in out.getvalue()
    assert Crime.objects.filter(is_demo=False).count() == 0
    months = sorted(set(Crime.objects.values_list("month", flat=True)))
    assert len(months) == MONTHS and months[-1] == dt.date(LAST_MONTH.year, LAST_MONTH.month, 1)
    located = Crime.objects.filter(latitude__isnull=False)
    assert located.filter(ward__in=demo_wards).count() == located.count()  # every snap point inside a ward
    assert Stop.objects.filter(ward__isnull=True).count() == 0
    # One category clearly rising, one clearly falling.
    shop_before, shop_after = yearly("shoplifting")
    vehicle_before, vehicle_after = yearly("vehicle-crime")
    assert shop_after > 1.2 * shop_before
    assert vehicle_after < 0.85 * vehicle_before
    # Run again: same files, same rows, nothing doubled.
    generate_and_load_crime(tmp_path, io.StringIO())
    assert archive.read_bytes() == first_bytes
    assert (Crime.objects.count(), Stop.objects.count(), Outcome.objects.count()) == (crimes, stops, outcomes)
    assert MonthlyCount.objects.aggregate(n=Sum("count"))["n"] == crimes


def test_demo_step_fails_loudly_without_demo_wards(tmp_path):
    with pytest.raises(demo.NothingToLoad, match="run the areas step first"):
        generate_and_load_crime(tmp_path, io.StringIO())
    assert Crime.objects.count() == 0
