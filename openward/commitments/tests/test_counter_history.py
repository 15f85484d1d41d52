"""Front-counter hours keep their history: the team import records each change from its date, and a
commitment reviewed for a date before a change is measured against the hours of that date."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from openward.areas.models import Station, StationHours
from openward.commitments.measure import measure
from openward.commitments.models import Status
from openward.commitments.services import review_commitment

from .test_measures import OFFICE_HOURS, ROUND_THE_CLOCK, counters_commitment

pytestmark = pytest.mark.django_db


def import_hours(tmp_path, places, hours, since: str) -> None:
    """Bridge's team file, its one station (a front counter in Bridge, Northbury) with `hours`, from `since`."""
    path = tmp_path / f"teams-{since}.json"
    location = {
        "name": "Bridge Police Station",
        "type": "station",
        "latitude": "51.505",
        "longitude": "-0.005",
        "front_counter": True,
        "opening_hours": hours,
    }
    team = {"id": places.ward_a2.gss_code, "name": "Bridge", "people": [], "locations": [location]}
    path.write_text(json.dumps({"force": "testshire", "neighbourhoods": [team]}))
    call_command("import_neighbourhood_teams", str(path), "--commit", "--hours-from", since)


def test_a_review_dated_before_a_change_of_hours_reads_the_hours_then(tmp_path, places, lead):
    import_hours(tmp_path, places, ROUND_THE_CLOCK, "2026-01-01")
    commitment = counters_commitment(lead, places, every_borough=False)
    march = review_commitment(lead, commitment, reviewed_on=dt.date(2026, 3, 1))
    assert march.status == Status.ON_TRACK

    # From June the counter keeps office hours: now it is not on track.
    import_hours(tmp_path, places, OFFICE_HOURS, "2026-06-01")
    assert Station.objects.get().opening_hours == OFFICE_HOURS
    now = measure(commitment)
    assert now.status == Status.NOT_ON_TRACK
    assert "Northbury: none of its 1 front counters is open 24 hours, 7 days" in now.reason

    # A review written now for April reads April's hours; the March review is unchanged.
    april = review_commitment(lead, commitment, reviewed_on=dt.date(2026, 4, 1))
    assert april.status == Status.ON_TRACK and april.figures["figures"]["with_a_24_7_front_counter"] == 1
    assert "Bridge Police Station is open 24 hours, 7 days" in april.reason
    march.refresh_from_db()
    assert march.status == Status.ON_TRACK
    july = review_commitment(lead, commitment, reviewed_on=dt.date(2026, 7, 1))
    assert july.status == Status.NOT_ON_TRACK
    # Before any hours were recorded the station was not known: nobody can tell.
    before = review_commitment(lead, commitment, reviewed_on=dt.date(2025, 6, 1))
    assert before.status == Status.CANT_TELL and "no police station is loaded" in before.reason

    rows = [(r.valid_from, r.opening_hours == ROUND_THE_CLOCK) for r in StationHours.objects.order_by("valid_from")]
    assert rows == [(dt.date(2026, 1, 1), True), (dt.date(2026, 6, 1), False)]


def test_the_same_hours_again_add_no_row_and_an_older_date_does_not_overwrite_the_newest(tmp_path, places, lead):
    import_hours(tmp_path, places, ROUND_THE_CLOCK, "2026-01-01")
    import_hours(tmp_path, places, ROUND_THE_CLOCK, "2026-02-01")
    assert StationHours.objects.count() == 1
    # Hours for an earlier time, loaded late: kept from their date, while the station keeps the newest.
    import_hours(tmp_path, places, OFFICE_HOURS, "2025-10-01")
    assert Station.objects.get().opening_hours == ROUND_THE_CLOCK
    commitment = counters_commitment(lead, places, every_borough=False)
    assert review_commitment(lead, commitment, reviewed_on=dt.date(2025, 11, 1)).status == Status.NOT_ON_TRACK
    assert review_commitment(lead, commitment, reviewed_on=dt.date(2026, 1, 5)).status == Status.ON_TRACK
    assert measure(commitment).status == Status.ON_TRACK


def test_a_bad_hours_from_date_is_refused_and_changes_nothing(tmp_path, places):
    with pytest.raises(CommandError, match='--hours-from "1 June" is not a date'):
        import_hours(tmp_path, places, ROUND_THE_CLOCK, "1 June")
    assert not Station.objects.exists() and not StationHours.objects.exists()
