"""Find your ward in a real browser: type a postcode any way, land on the ward page with team and map."""

import pytest
from playwright.sync_api import expect

from tests.personas import horizontal_overflow


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_typing_a_postcode_lands_on_the_ward_page(page, place):
    page.goto("/")
    page.get_by_label("Your postcode").fill("  w2 1jq ")
    page.get_by_role("button", name="Find my ward").click()
    page.wait_for_url("**/wards/E05013807/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bayswater ward")
    team = page.locator("ul.team")
    assert "Sergeant Ada Lovelace" in team.inner_text()
    # Its neighbours are links, so the map is a group of links (an image may not hold links).
    map_svg = page.get_by_role("group", name="Map of Bayswater ward")
    assert map_svg.is_visible()
    box = map_svg.bounding_box()
    assert box["width"] > 100 and box["height"] > 30
    assert page.locator("svg.map path.area").count() == 1
    assert page.locator("svg.map path.neighbour").count() == 2
    # A neighbouring ward on the map is a link.
    page.locator('svg.map a[href="/wards/E05013808/"]').click()
    page.wait_for_url("**/wards/E05013808/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Church Street ward")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_wrong_postcode_shows_the_error_summary_with_focus(page, place):
    page.goto("/")
    page.get_by_label("Your postcode").fill("SW1A 1ZZ")
    page.get_by_role("button", name="Find my ward").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert 'Postcode "SW1A 1ZZ" is not in our lookup' in summary.inner_text()
    # site.js focuses the summary once the page has loaded; expect() waits for that moment
    # (the summary is in the page before the script runs, so a one-off check raced it).
    expect(summary).to_be_focused()
    assert page.title().startswith("Error:")
    # The summary's link takes the person to the field to correct it.
    summary.get_by_role("link").click()
    expect(page.locator("#id_postcode")).to_be_focused()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ward_page_fits_a_phone_screen(browser, live_server, place):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto("/wards/E05013807/")
    assert horizontal_overflow(page) == 0
    context.close()
