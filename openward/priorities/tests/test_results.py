"""Results against figures computed here: concern against recorded crime, weighting, the CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from openward.crime.tests.factories import add_crimes
from openward.priorities import exports, services
from openward.priorities.models import Ballot, Consultation, Demographics, Participation, PopulationGroup
from openward.priorities.results import consultation_results
from tests.personas import make_resident


@pytest.fixture
def closed(ward, panel_chair, concerns, open_window):
    c = services.create_consultation(
        panel_chair,
        ward=ward,
        title="Autumn",
        opens_at=open_window[0],
        closes_at=open_window[1],
        concerns=[concerns[s] for s in ("burglary", "drugs", "street-robbery-and-theft", "road-safety")],
    )
    # 12 say burglary first, 11 drugs, 10 street robbery; road safety second for everyone.
    for first, n, age, eth in (
        ("burglary", 12, "65+", "white"),
        ("drugs", 11, "16-29", "black"),
        ("street-robbery-and-theft", 10, "30-44", "asian"),
    ):
        for _ in range(n):
            services.cast_ballot(
                make_resident(ward=ward),
                c,
                [concerns[first].pk, concerns["road-safety"].pk],
                demographics={"age_band": age, "ethnicity": eth},
            )
    c.closes_at = timezone.now() - timedelta(seconds=1)
    c.save()
    return c


def test_concerns_against_recorded_crime(closed, ward):
    # Latest month Oct 2025: recent = Nov 2024–Oct 2025, previous = Nov 2023–Oct 2024.
    add_crimes(ward, "robbery", date(2025, 10, 1), 30)
    add_crimes(ward, "theft-from-the-person", date(2025, 3, 1), 10)
    add_crimes(ward, "robbery", date(2024, 5, 1), 20)
    add_crimes(ward, "drugs", date(2025, 1, 1), 15)
    add_crimes(ward, "drugs", date(2024, 10, 1), 15)  # previous period
    add_crimes(ward, "burglary", date(2025, 6, 1), 2)
    add_crimes(ward, "burglary", date(2023, 10, 1), 99)  # before both periods
    results = consultation_results(closed)
    assert results.crime_period == (date(2024, 11, 1), date(2025, 10, 1), date(2023, 11, 1), date(2024, 10, 1))
    rows = {a.concern.slug: a for a in results.against_crime}
    assert set(rows) == {"burglary", "drugs", "street-robbery-and-theft"}  # road safety has no crime category
    assert (rows["street-robbery-and-theft"].recent, rows["street-robbery-and-theft"].previous) == (40, 20)
    assert (rows["drugs"].recent, rows["drugs"].previous) == (15, 15)
    assert (rows["burglary"].recent, rows["burglary"].previous) == (2, 0)
    assert [rows[s].worry_rank for s in ("burglary", "drugs", "street-robbery-and-theft")] == [1, 2, 3]
    assert [rows[s].crime_rank for s in ("burglary", "drugs", "street-robbery-and-theft")] == [3, 2, 1]
    assert rows["burglary"].verdict == "Worry runs ahead of the data"
    assert rows["street-robbery-and-theft"].verdict == "The data runs ahead of worry"
    assert rows["drugs"].verdict == "In step"


def test_weighting_to_the_census_moves_the_result_towards_under_represented_groups(closed, ward):
    # Residents: mostly young, so the young respondents' choice (drugs) gains weight.
    for group, n in (("16-29", 600), ("30-44", 200), ("45-64", 100), ("65+", 100)):
        PopulationGroup.objects.create(ward=ward, dimension="age", group=group, count=n, source="test")
    for group, n in (("white", 100), ("black", 600), ("asian", 200)):
        PopulationGroup.objects.create(ward=ward, dimension="ethnicity", group=group, count=n, source="test")
    results = consultation_results(closed)
    raw = {r.concern.slug: r for r in results.overall.rows}
    weighted = {r.concern.slug: r for r in results.weighted.rows}
    assert raw["burglary"].rank < raw["drugs"].rank  # 36 points against 33
    assert weighted["drugs"].rank < weighted["burglary"].rank
    assert results.weighted.respondents == pytest.approx(33)
    shares = {g.group: g for g in results.representativeness}
    assert shares["65+"].respondents == 12 and shares["65+"].census_share == pytest.approx(0.1)
    assert shares["16-29"].respondents == 11
    # Respondents: 33% aged 16-29 against 60% of residents; none aged 45-64 against 10%.
    assert {"16 to 29", "45 to 64"} <= set(results.under_represented)
    assert not {"30 to 44", "65 or over"} & set(results.under_represented)
    # The weighted first choices reproduce the census where raking can (every respondent answered both).
    first = {r.concern.slug: r.first for r in results.weighted.rows}
    assert sum(first.values()) == pytest.approx(33)


def test_weighting_is_withheld_when_a_group_is_too_small_to_hide_in(closed, ward, concerns):
    for dimension, groups in (("age", ("16-29", "30-44", "45-64", "65+")), ("ethnicity", ("white", "black", "asian"))):
        for group in groups:
            PopulationGroup.objects.create(ward=ward, dimension=dimension, group=group, count=250, source="test")
    closed.closes_at = timezone.now() + timedelta(days=1)
    closed.save()
    # One respondent aged 45 to 64: weighting would blow up their weight and show their choice.
    services.cast_ballot(
        make_resident(ward=ward),
        closed,
        [concerns["road-safety"].pk],
        demographics={"age_band": "45-64", "ethnicity": "white"},
    )
    closed.closes_at = timezone.now() - timedelta(seconds=1)
    closed.save()
    results = consultation_results(closed)
    assert results.overall.respondents == 34 and results.weighted is None
    (note,) = [n for n in results.notes if "weighted to the census is not shown" in n]
    assert "1 group (age: 45 to 64) has fewer than 10 people" in note
    api = exports.results_dict(results)
    assert api["weighted"] is None and note in api["notes"]


def test_connection_to_the_area_is_counted_and_small_groups_hidden(closed, concerns, ward):
    closed.closes_at = timezone.now() + timedelta(days=1)
    closed.save()
    for relationship in ["work"] * 11 + ["business"] * 3:
        services.cast_ballot(
            make_resident(ward=ward), closed, [concerns["drugs"].pk], demographics={"relationship": relationship}
        )
    closed.closes_at = timezone.now() - timedelta(seconds=1)
    closed.save()
    results = consultation_results(closed)
    assert dict(results.relationships) == {
        "I live here": None,
        "I work or study here": 11,
        "I run a business here": None,
        "I visit often": None,
    }


def test_csv_export_matches_the_counts(client, closed):
    response = client.get(reverse("priorities:consultation-csv", args=[closed.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = rows.index(
        ["result", "concern", "rank", "points", "first_preferences", "mentions", "share_of_points", "respondents"]
    )
    table = {(r[0], r[1]): r for r in rows[header + 1 :] if r and r[0] == "All respondents"}
    assert table[("All respondents", "Burglary")][2:6] == ["2", "36.0", "12.0", "12.0"]
    assert table[("All respondents", "Speeding and road safety")][2:6] == ["1", "66.0", "0.0", "33.0"]


def test_results_are_not_published_while_open(client, ward, panel_chair, concerns, open_window):
    c = services.create_consultation(
        panel_chair,
        ward=ward,
        title="Open",
        opens_at=open_window[0],
        closes_at=open_window[1],
        concerns=concerns.values(),
    )
    assert client.get(reverse("priorities:consultation-csv", args=[c.pk])).status_code == 404
    early = client.get(f"/api/v1/priorities/consultations/{c.pk}/results")
    assert early.status_code == 409
    assert early.json() == {"detail": "Results are published when the consultation closes."}


def test_ballots_are_not_in_the_admin():
    assert Ballot not in admin.site._registry and Demographics not in admin.site._registry
    assert Participation not in admin.site._registry


def test_the_admin_cannot_move_an_open_consultations_dates(closed, ward, panel_chair, concerns, rf):
    consultation_admin = admin.site._registry[Consultation]
    assert {"opens_at", "closes_at"} <= set(consultation_admin.get_readonly_fields(rf.get("/"), closed))
    later = services.create_consultation(
        panel_chair,
        ward=ward,
        title="Next year",
        opens_at=timezone.now() + timedelta(days=30),
        closes_at=timezone.now() + timedelta(days=60),
        concerns=concerns.values(),
    )
    assert "closes_at" not in consultation_admin.get_readonly_fields(rf.get("/"), later)
