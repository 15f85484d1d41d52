"""Commitments measured from what Open Ward holds besides crime: "a 24/7 front counter in every borough"
from the stations' opening hours, and "replies answered within 7 days" from engagement's replies. Each
status is worked out here by hand from the rows made, and the small-number rule holds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from scipy import stats as sps

from openward.areas.models import Neighbourhood, Station
from openward.commitments.counters import open_all_day, round_the_clock
from openward.commitments.measure import measure
from openward.commitments.models import Commitment, Status
from openward.commitments.services import CommitmentError, record_commitment, review_commitment
from openward.engagement.models import Event, Reply
from openward.engagement.services import replies as engagement_replies
from tests.personas import make_commitment, sign_in

pytestmark = pytest.mark.django_db

ALL_DAY = [["00:00", "23:59"]]
ROUND_THE_CLOCK = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), ALL_DAY)
OFFICE_HOURS = dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), [["08:00", "20:00"]]) | {"sat": [], "sun": []}


def station(places, name, hours, *, lat=None, lng=None, counter=True, serves=()):
    made = Station.objects.create(
        force=places.force, name=name, has_front_counter=counter, opening_hours=hours, latitude=lat, longitude=lng
    )
    for ward in serves:
        made.neighbourhoods.add(
            Neighbourhood.objects.get_or_create(force=places.force, code=ward.gss_code, name=ward.name, ward=ward)[0]
        )
    return made


def counters_commitment(lead, places, *, every_borough):
    return make_commitment(
        lead,
        places.borough_a,
        Commitment.Measure.FRONT_COUNTER,
        text="Each borough will have at least one 24/7 front counter.",
        source="A New Met for London, phase 2",
        owner="Testshire Police",
        owner_kind=Commitment.OwnerKind.FORCE,
        every_borough=every_borough,
    )


def test_a_day_is_open_all_day_only_without_a_gap():
    assert open_all_day(ALL_DAY) and open_all_day([["12:00", "23:59"], ["00:00", "12:00"]])
    assert not open_all_day([["00:00", "12:00"], ["12:01", "23:59"]]) and not open_all_day([])
    assert not open_all_day([["00:30", "23:59"]]) and not open_all_day([["00:00", "23:00"]])
    assert round_the_clock(ROUND_THE_CLOCK) is True and round_the_clock(OFFICE_HOURS) is False
    six_days = {d: ALL_DAY for d in ("mon", "tue", "wed", "thu", "fri", "sat")}
    assert round_the_clock(six_days) is None and round_the_clock({}) is None
    assert round_the_clock(six_days | {"sun": [["09:00", "17:00"]]}) is False


def test_a_24_7_front_counter_in_every_borough(places, lead):
    # Borough A (Northbury): a round-the-clock counter in its ward Bridge. Borough B (Southwick): office hours.
    station(places, "Bridge Police Station", ROUND_THE_CLOCK, lat=51.505, lng=-0.005)
    station(places, "Common Police Office", OFFICE_HOURS, lat=51.505, lng=0.005)
    this_borough = counters_commitment(lead, places, every_borough=False)
    now = measure(this_borough)
    assert now.status == Status.ON_TRACK
    assert "1 of 1 (Northbury: Bridge Police Station is open 24 hours, 7 days)" in now.reason
    every = counters_commitment(lead, places, every_borough=True)
    now = measure(every)
    assert now.status == Status.NOT_ON_TRACK
    assert now.figures == {"boroughs": 2, "with_a_24_7_front_counter": 1, "without": ["Southwick"], "cannot_tell": []}
    assert "Not: Southwick: none of its 1 front counters is open 24 hours, 7 days." in now.reason
    # A second counter in Southwick whose hours leave Sunday out: nobody can tell.
    night = station(
        places, "Common Night Desk", {d: ALL_DAY for d in ROUND_THE_CLOCK if d != "sun"}, lat=51.506, lng=0.006
    )
    now = measure(every)
    assert now.status == Status.CANT_TELL and now.figures["cannot_tell"] == ["Southwick"]
    assert "the hours of Common Night Desk leave out a day" in now.reason
    # With Sunday given too it is open 24/7: every borough is on track.
    Station.objects.filter(pk=night.pk).update(opening_hours=ROUND_THE_CLOCK)
    assert measure(every).status == Status.ON_TRACK
    # The review keeps what the stations said that day; later changes do not rewrite it.
    review = review_commitment(lead, every, reviewed_on=dt.date(2026, 11, 1))
    Station.objects.filter(pk=night.pk).update(opening_hours=OFFICE_HOURS)
    assert review.status == Status.ON_TRACK and review.figures["figures"]["with_a_24_7_front_counter"] == 2
    assert measure(every).status == Status.NOT_ON_TRACK


def test_stations_are_placed_by_their_point_else_the_neighbourhoods_they_serve(places, lead):
    every = counters_commitment(lead, places, every_borough=True)
    now = measure(every)
    assert now.status == Status.CANT_TELL and now.figures["cannot_tell"] == ["Northbury", "Southwick"]
    assert "Northbury: no police station is loaded for it" in now.reason
    # No point, serving a Northbury ward: it stands in Northbury. A point outside every ward, serving
    # Southwick: in Southwick. A station with no front counter still says Southwick's stations are loaded.
    station(places, "Abbey Station", ROUND_THE_CLOCK, serves=[places.ward_a])
    station(places, "Far Station", ROUND_THE_CLOCK, lat=60.0, lng=-1.0, counter=False, serves=[places.ward_b])
    now = measure(every)
    assert now.figures == {"boroughs": 2, "with_a_24_7_front_counter": 1, "without": ["Southwick"], "cannot_tell": []}
    assert "Southwick: none of its 1 stations has a front counter" in now.reason


def reply_at(event, received_days_ago: float, answered_after_days: float | None):
    now = timezone.now()
    received = now - dt.timedelta(days=received_days_ago)
    return Reply.objects.create(
        event=event,
        ward=event.ward,
        sender_email="someone@example.org",
        body="A question",
        received_at=received,
        answered_at=None if answered_after_days is None else received + dt.timedelta(days=answered_after_days),
    )


def replies_commitment(lead, places, *, target=None, ward=None):
    return make_commitment(
        lead,
        places.borough_a,
        Commitment.Measure.REPLIES,
        ward=ward,
        text="Replies answered within 7 days.",
        source="Northbury SNT newsletter",
        owner="Northbury SNT",
        target_percent=target,
    )


def test_replies_answered_within_7_days(places, lead):
    event = Event.objects.create(
        ward=places.ward_a, title="Panel", kind=Event.Kind.WARD_PANEL, address="Hall", starts_at=timezone.now()
    )
    # Due an answer: 11 answered within 7 days, 1 answered after 9 days. Not counted: 2 received this week
    # (one unanswered), 1 received 13 months ago and never answered.
    for days in range(11):
        reply_at(event, 20 + days, 0.5 + days % 6)
    reply_at(event, 40, 9)
    reply_at(event, 2, None)
    reply_at(event, 3, 1)
    reply_at(event, 400, None)
    every_reply = replies_commitment(lead, places, ward=places.ward_a)
    now = measure(every_reply)
    assert now.status == Status.NOT_ON_TRACK and "11 of the 12 replies due an answer in Abbey" in now.reason
    assert now.figures["due_an_answer"] == 12 and now.figures["answered_within_7_days"] == 11
    assert now.figures["received"] == 14
    assert (
        round(now.figures["share"]) == engagement_replies.reply_figures(places.ward_a)["answered_within_7_days_share"]
    )
    exact = sps.binomtest(11, 12).proportion_ci(method="exact")
    assert (now.figures["share_low"], now.figures["share_high"]) == (
        round(100 * exact.low, 1),
        round(100 * exact.high, 1),
    )
    # A share promised: beyond chance above it, below it, or either side.
    assert 100 * exact.low > 50 and measure(replies_commitment(lead, places, target=50)).status == Status.ON_TRACK
    assert (
        100 * exact.high < 99.9 and measure(replies_commitment(lead, places, target=99.9)).status == Status.NOT_ON_TRACK
    )
    spans = measure(replies_commitment(lead, places, target=90))
    assert spans.status == Status.CANT_TELL and "either side of the 90% promised" in spans.reason
    # The borough counts its wards' replies; Southwick's are not Northbury's.
    other = Event.objects.create(
        ward=places.ward_b, title="Other", kind=Event.Kind.WARD_PANEL, address="Hall", starts_at=timezone.now()
    )
    reply_at(other, 30, 20)
    assert measure(replies_commitment(lead, places)).figures["due_an_answer"] == 12


def test_too_few_replies_to_tell(places, lead):
    event = Event.objects.create(
        ward=places.ward_a, title="Panel", kind=Event.Kind.WARD_PANEL, address="Hall", starts_at=timezone.now()
    )
    commitment = replies_commitment(lead, places)
    assert "No reply to the team in Northbury was due an answer" in measure(commitment).reason
    for days in range(9):
        reply_at(event, 10 + days, 30)  # nine late replies: still too few to tell, and not published as 9
    now = measure(commitment)
    assert now.status == Status.CANT_TELL and "Fewer than 10 replies" in now.reason
    assert now.figures["due_an_answer"] is None and "9" not in now.reason.replace("2026", "")


def test_new_measures_through_the_form_and_api_and_bad_combinations(places, lead, db_snapshot):
    client = Client()
    sign_in(client, lead)
    form = {
        "text": "A 24/7 front counter in every borough",
        "source": "A New Met for London",
        "owner": "Testshire Police",
        "owner_kind": "force",
        "made_on": "2025-01-01",
        "measure": "front-counter",
        "every_borough": "on",
    }
    url = f"/commitments/boroughs/{places.borough_a.gss_code}/new/"
    before = db_snapshot()
    refused = client.post(url, form | {"ward": places.ward_a.pk})
    assert refused.status_code == 400 and "leave the ward empty" in refused.content.decode()
    refused = client.post(url, form | {"measure": "crime", "categories": [], "direction": "down"})
    assert refused.status_code == 400
    assert db_snapshot() == before
    made = client.post(url, form)
    commitment = Commitment.objects.get()
    assert (
        made.status_code == 302
        and commitment.every_borough
        and commitment.area_name == "every borough of Testshire Police"
    )
    page = client.get(f"/commitments/{commitment.pk}/").content.decode().replace("&#x27;", "'")
    assert "Can't tell yet" in page and "Northbury: no police station is loaded for it" in page
    api = client.post(
        f"/api/v1/commitments/boroughs/{places.borough_a.gss_code}",
        {**form, "measure": "replies", "every_borough": False, "target_percent": 80},
        content_type="application/json",
    )
    assert api.status_code == 201 and api.json()["status_now"]["figures"]["promised_percent"] == 80
    bad = client.post(
        f"/api/v1/commitments/boroughs/{places.borough_a.gss_code}",
        {**form, "measure": "replies", "every_borough": True},
        content_type="application/json",
    )
    assert (
        bad.status_code == 400
        and 'Only a front-counter commitment is measured "in every borough"' in bad.json()["detail"]
    )
    with pytest.raises(CommitmentError, match="Choose how it is measured"):
        record_commitment(
            lead,
            places.borough_a,
            text="x",
            source="y",
            owner="z",
            owner_kind="force",
            made_on=dt.date(2025, 1, 1),
            measure_kind="vibes",
        )
