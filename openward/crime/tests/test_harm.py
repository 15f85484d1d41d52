"""Harm weights: the derivation (volume-weighted offence weights) and the honesty rules for missing weights."""

from __future__ import annotations

import csv
import gzip
import io
from collections import defaultdict

import pytest
from django.core.management import call_command

from openward.crime import harm


def test_shipped_table_has_no_invented_weight():
    table = harm.category_weights()
    # No category has a sourced weight today (docs/harm-weights.md says why); each says so in words.
    assert all(w.weight is None and w.shown == "no sourced weight" and w.source for w in table.values())


def test_harm_is_not_available_when_any_counted_category_lacks_a_weight():
    weights = {"burglary": harm.CategoryWeight("burglary", 10.0, "test")}
    assert harm.harm_of({"burglary": 3}, weights).total == 30.0
    missing = harm.harm_of({"burglary": 3, "robbery": 1}, weights)
    assert missing.total is None and missing.shown == "not available (no sourced weight for Robbery)"
    assert harm.harm_of({"burglary": 3, "robbery": 0}, weights).total == 30.0


@pytest.mark.realdata
def test_derivation_on_the_real_home_office_volumes(shared_data, tmp_path):
    """Made-up offence weights (test values only) over the real 2017/18 volumes: bicycle theft's weight is
    their volume-weighted mean; a category with an unweighted offence gets none, with its share."""
    volumes = shared_data / "aggregates/home-office-prc-pfa/prc-pfa-2017-18_by-force-quarter-offence.csv.gz"
    rows = list(csv.DictReader(io.StringIO(gzip.decompress(volumes.read_bytes()).decode("utf-8-sig"))))
    counts = defaultdict(lambda: defaultdict(int))
    for r in rows:
        if r["Force_Name"] != "Action Fraud":
            counts[r["Policeuk_Cat"].lower()][r["Offence_Code"]] += int(r["Number_of_Offences"] or 0)
    bicycle = {code: n for code, n in counts["bicycle theft"].items() if n}
    test_weights = {code: 5.0 + i for i, code in enumerate(sorted(bicycle))}
    robbery_codes = sorted(c for c, n in counts["robbery"].items() if n)
    test_weights[robbery_codes[0]] = 100.0  # robbery's other offence stays unweighted
    weights_file = tmp_path / "weights.csv"
    weights_file.write_text("offence_code,weight\n" + "".join(f"{c},{w}\n" for c, w in test_weights.items()))

    out = io.StringIO()
    call_command("derive_harm_weights", str(weights_file), str(volumes), stdout=out)
    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines() if ": " in line)
    expected = sum(test_weights[c] * n for c, n in bicycle.items()) / sum(bicycle.values())
    assert float(lines["bicycle-theft"].split()[0]) == pytest.approx(expected, abs=1e-4)
    unweighted = [c for c in robbery_codes[1:]]
    share = sum(counts["robbery"][c] for c in unweighted) / sum(counts["robbery"][c] for c in robbery_codes)
    assert lines["robbery"].startswith("-  no sourced weight for offence codes " + ", ".join(unweighted))
    assert f"({100 * share:.1f}% of recorded offences)" in lines["robbery"]


def test_bootstrap_interval_for_equal_weights_is_close_to_the_exact_rate_ratio():
    from openward.core import stats as core_stats

    low, high = core_stats.weighted_ratio_interval([3.0, 3.0], [60, 40], [70, 55])
    exact = core_stats.compare_rates(100, 125)
    # With one weight for everything the harm ratio is the count ratio: the intervals nearly agree.
    assert low == pytest.approx(exact.ratio_low, rel=0.06) and high == pytest.approx(exact.ratio_high, rel=0.06)
    assert core_stats.weighted_ratio_interval([1.0], [5], [0])[1] is None


@pytest.mark.django_db
def test_crime_page_and_api_put_harm_beside_counts(client, monkeypatch):
    from openward.crime.tests.factories import populate_ward

    ward = populate_ward()
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert "Harm weight" in html and "no sourced weight" in html
    assert "Harm of these crimes (ONS Crime Severity Score weights): not available (no sourced weight for" in html
    data = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()
    assert data["harm"]["recent"] is None and "no sourced weight" in data["harm"]["statement"]
    assert all(c["harm_weight"] == "no sourced weight" for c in data["categories"])

    # With (test) weights for every category, the total's harm is Σ count × weight, with an interval.
    test_weights = {s: harm.CategoryWeight(s, 2.0, "test") for s in harm.category_weights()}
    monkeypatch.setattr(harm, "category_weights", lambda path=None: test_weights)
    from django.core.cache import cache

    cache.clear()
    data = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()
    assert data["harm"]["recent"] == pytest.approx(2.0 * data["total"]["recent"])
    assert data["harm"]["earlier"] == pytest.approx(2.0 * data["total"]["earlier"])
    ratio = data["harm"]["recent"] / data["harm"]["earlier"]
    assert data["harm"]["ratio_ci_low"] < ratio < data["harm"]["ratio_ci_high"]


@pytest.mark.django_db
def test_a_priority_review_shows_harm_or_says_why_not(client):
    import datetime as dt

    from openward.crime.tests.factories import populate_ward
    from openward.priorities.models import Priority, Review

    ward = populate_ward()
    priority = Priority.objects.create(
        ward=ward,
        statement="Fewer burglaries",
        crime_categories=["burglary"],
        agreed_on=dt.date(2024, 1, 15),
        review_on=dt.date(2024, 12, 15),
        status=Priority.Status.ACHIEVED,
        evidence="Burglary is up.",
    )
    Review.objects.create(
        priority=priority,
        reviewed_on=dt.date(2024, 12, 15),
        before_start=dt.date(2023, 1, 1),
        before_end=dt.date(2023, 12, 1),
        before_count=40,
        after_start=dt.date(2024, 1, 1),
        after_end=dt.date(2024, 12, 1),
        after_count=35,
        outcome=Priority.Status.ACHIEVED,
    )
    html = client.get(f"/priorities/{priority.pk}/").content.decode()
    assert "Harm of these crimes, after against before (ONS Crime Severity Score weights): not available" in html
    assert "no sourced weight for Burglary" in html
