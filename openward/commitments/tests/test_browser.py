"""In a real browser: a borough lead records a commitment from the borough page and reviews it; a
resident on a phone finds stop and search by ethnicity and checks a claim, never typing an id."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from openward.accounts.models import Role
from openward.areas.models import Borough, Force, Station
from openward.commitments.models import Commitment, Review
from openward.crime.tests.factories import category, populate_ward, small_ward
from tests.personas import (
    VIEWPORTS,
    browser_page_for,
    horizontal_overflow,
    make_places,
    make_staff,
    serious_axe_violations,
    signed_in_context,
)

PHONE, DESK = VIEWPORTS["phone"], VIEWPORTS["desktop"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["1280px", "390px"])
def test_borough_lead_records_and_reviews_a_commitment_then_anyone_sees_it(browser, live_server, viewport):
    ward = populate_ward()
    lead = make_staff(Role.BOROUGH_LEAD, ward.borough, email="lead@example.org")
    context = signed_in_context(browser, live_server, lead, viewport=viewport)
    page = context.new_page()
    page.goto("/boroughs/")
    page.get_by_role("link", name=ward.borough.name).first.click()
    page.get_by_role("link", name=f"Record a commitment for {ward.borough.name}").click()
    page.get_by_label("The commitment, in its own words").fill("Burglary in Testbridge will come down.")
    page.get_by_label("Where it was made").fill("Ward panel minutes, March 2024")
    page.get_by_label("Who made it").fill("Testbridge SNT")
    page.get_by_label("Made on").fill("2024-03-01")
    page.get_by_label("How it is measured").select_option("crime")
    page.get_by_label("Direction promised").select_option("down")
    page.get_by_role("button", name="Record the commitment").click()
    assert "Choose at least one crime category" in page.get_by_role("alert").inner_text()
    assert not Commitment.objects.exists()
    page.get_by_label("Burglary").check()
    page.get_by_role("button", name="Record the commitment").click()
    page.wait_for_url(re.compile(r"/commitments/\d+/$"))
    status = page.locator("#status-now").inner_text()
    assert status in {"On track", "Not on track", "Can't tell yet"}
    page.get_by_role("link", name="Review this commitment").click()
    page.get_by_label("Reviewed on").fill("2025-01-10")
    page.get_by_role("button", name="Record the review").click()
    page.wait_for_url(re.compile(r"/commitments/\d+/$"))
    assert f"10 January 2025: {status}" in page.content().replace("&#x27;", "'")
    assert Review.objects.get().status == Commitment.objects.get().reviews.get().status
    context.close()

    anyone = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = anyone.new_page()
    page.goto("/boroughs/")
    page.get_by_role("link", name=ward.borough.name).first.click()
    section = page.locator(".commitments-section").inner_text()
    assert "Burglary in Testbridge will come down." in section and "at the review of 10 January 2025" in section
    anyone.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["1280px", "390px"])
def test_resident_finds_stop_and_search_by_ethnicity_and_checks_a_claim(browser, live_server, viewport):
    ward = small_ward()
    category("burglary")  # police.uk's categories are known; no street crime is loaded here, only stops
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.goto("/boroughs/")
    page.get_by_role("link", name=ward.borough.name).first.click()
    page.get_by_role("link", name=f"Stop and search by ethnicity in {ward.borough.name}: rates").click()
    table = page.locator("#by-ethnicity").inner_text()
    assert "Black" in table and "times as likely to be searched as White people" in table
    assert "not available: fewer than 10 searches" in table
    page.get_by_role("link", name="These figures as CSV").wait_for()
    page.go_back()
    page.get_by_role("link", name="Check a claim about crime here").click()
    page.get_by_label("The claim").fill("Knitting in Smallbridge is down 5%")
    page.get_by_role("button", name="Check it").click()
    assert "is not a police.uk crime category we know" in page.get_by_role("alert").inner_text()
    page.get_by_label("The claim").fill("Residential burglary in Smallbridge is down 6.3% in the last 12 months")
    page.get_by_role("button", name="Check it").click()
    assert "cannot be checked" in page.locator("#verdict").inner_text()
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_front_counters_measured_and_a_review_with_its_evidence_file(
    browser, live_server, viewport, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    places = make_places()
    force = Force.objects.create(slug="testshire", name="Testshire Police")
    Borough.objects.filter(pk__in=[places.borough_a.pk, places.borough_b.pk]).update(force=force)
    all_day = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), [["00:00", "23:59"]])
    Station.objects.create(
        force=force,
        name="Bridge Police Station",
        has_front_counter=True,
        opening_hours=all_day,
        latitude=51.505,
        longitude=-0.005,
    )
    lead = make_staff(Role.BOROUGH_LEAD, places.borough_a, email="lead@example.org")
    page = browser_page_for(browser, live_server, lead, viewport=viewport)
    page.goto(f"/boroughs/{places.borough_a.gss_code}/")
    page.get_by_role("link", name="Record a commitment for Northbury").click()
    page.get_by_label("The commitment, in its own words").fill(
        "Each borough will have at least one 24/7 front counter."
    )
    page.get_by_label("Where it was made").fill("A New Met for London")
    page.get_by_label("Who made it").fill("Testshire Police")
    page.get_by_label("Kind of owner").select_option("force")
    page.get_by_label("Made on").fill("2025-01-01")
    page.get_by_label("How it is measured").select_option("front-counter")
    page.get_by_label("Front counters: in every borough of the force, not only this one").check()
    page.get_by_role("button", name="Record the commitment").click()
    expect(page.locator("#status-now")).to_have_text("Can't tell yet")
    expect(page.get_by_text("Southwick: no police station is loaded for it")).to_be_visible()
    assert horizontal_overflow(page) == 0 and serious_axe_violations(page) == []
    # An evidence commitment reviewed with the evidence as a file.
    page.goto(f"/boroughs/{places.borough_a.gss_code}/")
    page.get_by_role("link", name="Record a commitment for Northbury").click()
    page.get_by_label("The commitment, in its own words").fill("Every ward will have a named PCSO.")
    page.get_by_label("Where it was made").fill("Northbury policing plan")
    page.get_by_label("Who made it").fill("Northbury BCU")
    page.get_by_label("Made on").fill("2025-01-01")
    page.get_by_label("How it is measured").select_option("evidence")
    page.get_by_role("button", name="Record the commitment").click()
    page.get_by_role("link", name="Review this commitment").click()
    assert horizontal_overflow(page) == 0 and serious_axe_violations(page) == []
    page.get_by_label("Reviewed on").fill("2026-11-01")
    page.get_by_label("Status the evidence shows").select_option("not-on-track")
    page.get_by_label("Why").fill("Two wards have no named PCSO.")
    rota = tmp_path / "rota.csv"
    rota.write_text("ward,named pcso\nAbbey,yes\nBridge,no\n")
    page.get_by_label("The evidence as a file (optional)").set_input_files(rota)
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("alert")).to_contain_text("Say where rota.csv comes from")
    page.get_by_label("The evidence as a file (optional)").set_input_files(rota)
    page.get_by_label("Evidence and where it comes from").fill("Northbury BCU rota, October 2026")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("link", name="rota.csv")).to_be_visible()
    assert horizontal_overflow(page) == 0 and serious_axe_violations(page) == []
    page.context.close()
    anyone = browser_page_for(browser, live_server, viewport=viewport)
    anyone.goto(f"/commitments/{Commitment.objects.get(measure='evidence').pk}/")
    with anyone.expect_download() as downloading:
        anyone.get_by_role("link", name="rota.csv").click()
    assert downloading.value.path().read_text() == rota.read_text()
    anyone.context.close()
