"""Commitments measured from crime data give the crime pages' own figure; reviews are kept; claims
are checked with caveats; bad input gets a clear message and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from openward.accounts.models import Role
from openward.commitments.claims import ClaimError, check_claim
from openward.commitments.measure import measure
from openward.commitments.models import Commitment, Review, Status
from openward.commitments.services import CommitmentError, record_commitment, review_commitment
from openward.crime.tests.factories import populate_ward
from tests.personas import make_commitment, make_staff, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward():
    return populate_ward()


@pytest.fixture
def lead(ward):
    return make_staff(Role.BOROUGH_LEAD, ward.borough, email="lead@example.org")


def burglary_down(lead, ward, **extra):
    return make_commitment(
        lead,
        ward.borough,
        Commitment.Measure.CRIME,
        ward=ward,
        text="Burglary in Testbridge will come down.",
        source="Ward panel minutes, March 2024",
        owner="Testbridge SNT",
        made_on=dt.date(2024, 3, 1),
        categories=["burglary"],
        direction=Commitment.Direction.DOWN,
        **extra,
    )


def test_a_commitment_measured_from_crime_data_equals_the_crime_pages_figure(client, ward, lead):
    commitment = burglary_down(lead, ward)
    page_figures = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()
    burglary = next(c for c in page_figures["categories"] if c["key"] == "burglary")
    now = measure(commitment)
    assert (now.recent, now.earlier) == (burglary["recent"], burglary["earlier"])
    assert round(now.percent, 1) == burglary["percent_change"]
    assert now.recent_period == page_figures["recent_period"] if "recent_period" in page_figures else True
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert f"{burglary['recent']}" in html and burglary["statement"] in html.replace("&#x27;", "'")
    # The status follows from the interval: on track only when the whole interval is below 0%.
    expected = (
        Status.ON_TRACK
        if burglary["ratio_ci_high"] < 1
        else Status.NOT_ON_TRACK
        if burglary["ratio_ci_low"] > 1
        else Status.CANT_TELL
    )
    assert now.status == expected and now.reason


def test_reviews_are_dated_kept_and_public(client, ward, lead):
    commitment = burglary_down(lead, ward)
    first = review_commitment(lead, commitment, reviewed_on=dt.date(2024, 6, 1))
    second = review_commitment(lead, commitment, reviewed_on=dt.date(2024, 9, 1))
    assert Review.objects.count() == 2 and first.figures["recent"] == measure(commitment).recent
    page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    assert "1 June 2024" in page and "1 September 2024" in page and second.reason[:40] in page.replace("&#x27;", "'")
    api = client.get(f"/api/v1/commitments/{commitment.pk}").json()
    assert [r["reviewed_on"] for r in api["reviews"]] == ["2024-09-01", "2024-06-01"]


def test_evidence_commitments_need_a_status_reason_and_source(ward, lead, db_snapshot):
    commitment = make_commitment(
        lead,
        ward.borough,
        Commitment.Measure.EVIDENCE,
        text="A 24/7 front counter in every borough.",
        source="A New Met for London",
        owner="Metropolitan Police Service",
        owner_kind=Commitment.OwnerKind.FORCE,
        made_on=dt.date(2023, 7, 1),
    )
    before = db_snapshot()
    with pytest.raises(CommitmentError, match="Choose the status"):
        review_commitment(lead, commitment, reviewed_on=dt.date(2024, 1, 1))
    with pytest.raises(CommitmentError, match="name the evidence"):
        review_commitment(lead, commitment, reviewed_on=dt.date(2024, 1, 1), status=Status.ON_TRACK, reason="Yes")
    assert db_snapshot() == before
    review = review_commitment(
        lead,
        commitment,
        reviewed_on=dt.date(2024, 1, 1),
        status=Status.NOT_ON_TRACK,
        reason="Only 12 of 32 counters open all night.",
        evidence_source="Front counter hours, met.police.uk, January 2024",
    )
    assert review.status == Status.NOT_ON_TRACK and measure(commitment).status == Status.CANT_TELL


def test_unknown_category_is_refused_and_nothing_changes(ward, lead, db_snapshot):
    before = db_snapshot()
    with pytest.raises(CommitmentError, match="Unknown crime category: residential-burglary"):
        record_commitment(
            lead,
            ward.borough,
            text="x",
            source="y",
            owner="z",
            owner_kind="force",
            made_on=dt.date(2024, 1, 1),
            measure_kind=Commitment.Measure.CRIME,
            categories=["residential-burglary"],
            direction="down",
        )
    assert db_snapshot() == before


def test_recording_through_the_api_needs_the_role(ward, lead):
    payload = {
        "text": "Violence will come down",
        "source": "Borough plan 2024",
        "owner": "Central BCU",
        "owner_kind": "borough",
        "made_on": "2024-01-15",
        "measure": "crime",
        "categories": ["violent-crime"],
        "direction": "down",
    }
    url = f"/api/v1/commitments/boroughs/{ward.borough.gss_code}"
    resident = make_staff(Role.RESIDENT, ward, email="resident@example.org")
    anyone = Client()
    sign_in(anyone, resident)
    assert anyone.post(url, payload, content_type="application/json").status_code == 403
    staff = Client()
    sign_in(staff, lead)
    bad = staff.post(url, payload | {"categories": ["nonsense"]}, content_type="application/json")
    assert bad.status_code == 400 and "Unknown crime category: nonsense" in bad.json()["detail"]
    made = staff.post(url, payload, content_type="application/json")
    assert made.status_code == 201 and made.json()["status_now"]["status"] in Status.values
    review = staff.post(
        f"{url}/{made.json()['id']}/reviews", {"reviewed_on": "2024-12-31"}, content_type="application/json"
    )
    assert review.status_code == 201 and review.json()["figures"]["recent"] is not None


def test_claim_check_gives_the_data_and_the_burglary_caveat(client, ward):
    result = check_claim(
        f"Residential burglary in {ward.name} is down 6.3% in the last 12 months compared with the 12 before"
    )
    assert result.category_name == "Burglary" and result.claimed_percent == -6.3
    assert "cannot be checked exactly" in result.caveats[0]
    api = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()
    burglary = next(c for c in api["categories"] if c["key"] == "burglary")
    assert (result.recent, result.earlier) == (burglary["recent"], burglary["earlier"])
    assert result.verdict.startswith(("Consistent with the data", "Not what the data says", "It cannot be checked"))
    page = client.get("/commitments/claim-check/", {"claim": f"Burglary in {ward.name} is up 400%"})
    assert page.status_code == 200 and "Not what the data says" in page.content.decode()


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        ("Knitting in Testbridge is down 5%", "is not a police.uk crime category we know"),
        ("Burglary in Atlantis is down 5%", '"Atlantis" is not a London borough or ward we know'),
        ("Crime is lower", "Write the claim as"),
    ],
)
def test_bad_claims_get_clear_messages(client, ward, claim, message):
    with pytest.raises(ClaimError, match=message):
        check_claim(claim)
    page = client.get("/commitments/claim-check/", {"claim": claim})
    assert page.status_code == 400 and message.replace('"', "&quot;") in page.content.decode()
    assert client.get("/api/v1/claim-check", {"claim": claim}).status_code == 400
