"""A closed consultation's results are computed once, and again only when what they depend on changes."""

from __future__ import annotations

from datetime import date

import pytest

from openward.crime.tests.factories import add_crimes
from openward.priorities import results
from openward.priorities.models import Ballot

from .test_results import closed  # noqa: F401  (a closed consultation with its ballots)


@pytest.fixture
def computed(monkeypatch):
    calls = []
    compute = results.consultation_results

    def counting(consultation):
        calls.append(consultation.pk)
        return compute(consultation)

    monkeypatch.setattr(results, "consultation_results", counting)
    return calls


def test_closed_results_are_computed_once(closed, computed):  # noqa: F811
    first = results.published_results(closed)
    again = results.published_results(closed)
    assert computed == [closed.pk]
    assert again.respondents == Ballot.objects.filter(consultation=closed).count() > 10
    assert [(r.concern.slug, r.points) for r in again.overall.rows] == [
        (r.concern.slug, r.points) for r in first.overall.rows
    ]


def test_new_crime_data_or_an_erased_ballot_recomputes_them(closed, ward, computed):  # noqa: F811
    ballots = Ballot.objects.filter(consultation=closed).count()
    assert results.published_results(closed).against_crime == []
    add_crimes(ward, "burglary", date(2025, 6, 1), 7)
    rows = {r.concern.slug: r for r in results.published_results(closed).against_crime}
    assert rows["burglary"].recent == 7
    Ballot.objects.filter(consultation=closed).first().delete()
    assert results.published_results(closed).respondents == ballots - 1
    assert len(computed) == 3


def test_open_consultations_are_never_cached(closed, computed, open_window, monkeypatch):  # noqa: F811
    closed.closes_at = open_window[1]
    closed.save()

    def no_version(consultation):
        raise AssertionError("an open consultation's results have no cache version: they are never cached")

    monkeypatch.setattr(results, "closed_results_version", no_version)
    for _ in range(2):
        with pytest.raises(results.NotPublished):
            results.published_results(closed)
    assert computed == [closed.pk, closed.pk]
