"""Street maps in a real browser, with tiles from a stand-in tile server on loopback.

With tiles the crime page shows a Leaflet map over streets (with the tile server's attribution) in
place of the SVG; when tiles fail, the SVG comes back. On /crime/area/ a person draws the corners by
clicking, or by keyboard ("Add the centre as a corner"), and the text box fills in as they go.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.personas import VIEWPORTS, horizontal_overflow
from tests.support import LoopbackServer

from .factories import populate_ward
from .test_area_choice import CENTRE, area_with_crime, planted_within

PNG = (Path(django_settings.BASE_DIR) / "openward/static/vendor/leaflet/images/layers.png").read_bytes()
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


class TileServer:
    """Serves the same small PNG for every tile, or 404 for all of them when `failing`."""

    def __init__(self):
        self.requests = []
        self.failing = False
        self._server = LoopbackServer(self._answer)
        self.origin = self._server.origin

    def _answer(self, path: str) -> tuple[int, str, bytes]:
        self.requests.append(path)
        return (404, "", b"") if self.failing else (200, "image/png", PNG)

    def close(self):
        self._server.close()


@pytest.fixture
def tiles(settings):
    server = TileServer()
    settings.OPENWARD_TILE_URL = server.origin + "/{z}/{x}/{y}.png"
    settings.OPENWARD_TILE_ATTRIBUTION = "Stand-in tiles for tests"
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["img-src"] = [*policy["DIRECTIVES"]["img-src"], server.origin]
    settings.CONTENT_SECURITY_POLICY = policy
    yield server
    server.close()


def test_without_a_tile_server_crime_pages_keep_the_svg_and_the_drawing_map_has_no_tiles(client, db):
    ward = populate_ward()
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert "leaflet" not in html and "data-crime-map" in html and '<svg class="map"' in html
    draw = client.get("/crime/area/").content.decode()
    # The drawing map (Leaflet, served by the app) shows ward boundaries instead; typing and the postcode stay.
    assert 'id="draw-tool"' in draw and '<meta name="openward-tiles" content=""' in draw
    assert 'name="poly"' in draw and 'name="postcode"' in draw and 'name="radius"' in draw


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", list(SIZES))
def test_crime_map_over_streets_and_the_svg_when_tiles_fail(page, tiles, size):
    ward = populate_ward()
    page.set_viewport_size(SIZES[size])
    page.goto(f"/crime/wards/{ward.gss_code}/")
    page.locator(".leaflet-tile-loaded").first.wait_for()
    assert any(r.endswith(".png") for r in tiles.requests)
    assert "Stand-in tiles for tests" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.locator("[data-crime-map]").is_hidden()
    assert (
        page.locator(".street-map__point").count()
        == page.evaluate("JSON.parse(document.getElementById('map-data').textContent).points.length")
        > 0
    )
    assert horizontal_overflow(page) == 0

    tiles.failing = True
    page.goto(f"/crime/wards/{ward.gss_code}/")
    page.get_by_text("The street map could not load, so this simpler map shows the same places.").wait_for()
    assert page.locator("[data-crime-map] svg.map").is_visible()
    assert page.locator(".leaflet-box").count() == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", list(SIZES))
def test_drawing_an_area_by_keyboard_and_by_clicking(page, tiles, size):
    populate_ward()
    page.set_viewport_size(SIZES[size])
    page.goto("/crime/area/")
    page.locator(".leaflet-tile-loaded").first.wait_for()
    status = page.locator("#draw-status")
    # Keyboard: the map opens on central London (51.5074, -0.1278); its centre is the first corner.
    page.get_by_role("button", name="Add the centre as a corner").focus()
    page.keyboard.press("Enter")
    assert page.get_by_label("Corners of the area").input_value() == "51.50740,-0.12780"
    assert status.inner_text() == "1 corner. An area needs at least 3."
    moves = int(page.locator("#draw-map").get_attribute("data-moves") or 0)
    page.locator("#draw-map").focus()
    # Leaflet ignores a key while a pan is moving; the map counts its finished moves (data-moves).
    page.keyboard.press("ArrowRight")
    page.locator(f'#draw-map[data-moves="{moves + 1}"]').wait_for()
    page.keyboard.press("ArrowDown")
    page.locator(f'#draw-map[data-moves="{moves + 2}"]').wait_for()
    page.get_by_role("button", name="Add the centre as a corner").click()
    # Clicking: one more corner where the map is clicked.
    box = page.locator("#draw-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.8)
    corners = page.get_by_label("Corners of the area").input_value().split(":")
    assert len(corners) == 3 and status.inner_text() == "3 corners."
    lat2, lng2 = map(float, corners[1].split(","))
    assert lat2 < 51.5074 and lng2 > -0.1278, "panned down and right before adding the second corner"
    page.get_by_role("button", name="Undo the last corner").click()
    assert len(page.get_by_label("Corners of the area").input_value().split(":")) == 2
    page.mouse.click(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.8)
    assert horizontal_overflow(page) == 0
    page.get_by_role("button", name="Show crime in this area").click()
    page.get_by_role("heading", name="Crime in the area you drew").wait_for()


@pytest.fixture
def unreachable_tiles(settings):
    """A tile URL on loopback where nothing listens: every tile fails, as offline."""
    from tests.support import free_port

    origin = f"http://127.0.0.1:{free_port()}"
    settings.OPENWARD_TILE_URL = origin + "/{z}/{x}/{y}.png"
    settings.OPENWARD_TILE_ATTRIBUTION = "Tiles that never arrive"
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["img-src"] = [*policy["DIRECTIVES"]["img-src"], origin]
    settings.CONTENT_SECURITY_POLICY = policy
    # Pages with a map carry the tile URL: the root conftest starts a new page-cache version when a setting
    # changes, so no page cached before (under the default URL) is served.
    return origin


def crimes_inside(poly: str) -> int:
    """Burglaries planted inside a drawn polygon, by shapely's own test of each point (not the app's query)."""
    import shapely

    from .test_area_choice import PLANTED, offset

    corners = [tuple(map(float, pair.split(","))) for pair in poly.split(":")]
    shape = shapely.Polygon([(lng, lat) for lat, lng in corners])
    return sum(n for (north, east), n in PLANTED.items() if shape.contains(shapely.Point(offset(north, east)[::-1])))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_with_tiles_unreachable_a_person_draws_on_ward_boundaries_by_keyboard(page, unreachable_tiles, size):
    from playwright.sync_api import expect

    ward = area_with_crime()
    page.set_viewport_size(VIEWPORTS[size])
    page.goto("/crime/area/")
    note = page.locator("#draw-map-note")
    expect(note).to_contain_text("The street map could not load, so the map shows ward boundaries instead.")
    # Keyboard only: the postcode moves the map, the ward's outline and name appear, the centre (marked with a
    # cross) becomes each corner as the arrow keys move the map.
    page.get_by_label("Move the map to a postcode").focus()
    page.keyboard.type("ec1a 9zz")
    page.keyboard.press("Enter")
    expect(page.locator("#draw-find-status")).to_have_text("The map is centred on EC1A 9ZZ.")
    expect(note).to_contain_text("could not load")
    draw_map = page.locator("#draw-map")
    expect(draw_map).to_have_attribute("data-moves", "1")  # the move (a zoom, animated on a wide map) is over
    label = page.locator(".ward-label", has_text=ward.name)
    expect(label).to_have_count(1)  # an outline from before the move fades out first
    # Another move reloads the outlines: for Leaflet's 200 ms fade the old label is still there, before the new.
    expect(label.last).to_be_visible()
    assert page.locator(".leaflet-tile-loaded").count() == 0
    centre = page.get_by_role("button", name="Add the centre as a corner")
    corners = page.get_by_label("Corners of the area")

    def pan(key):
        moves = int(draw_map.get_attribute("data-moves") or 0)
        draw_map.focus()
        page.keyboard.press(key)
        # Leaflet ignores a key while a pan is moving; the map counts its finished moves (data-moves).
        expect(draw_map).to_have_attribute("data-moves", str(moves + 1))

    centre.focus()
    page.keyboard.press("Enter")
    expect(corners).to_have_value(f"{CENTRE[0]:.5f},{CENTRE[1]:.5f}")
    for key in ("ArrowUp", "ArrowUp"):
        pan(key)
    centre.focus()
    page.keyboard.press("Enter")
    for key in ("ArrowRight", "ArrowRight"):
        pan(key)
    centre.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#draw-status")).to_have_text("3 corners.")
    drawn = corners.input_value()
    # Up and then right: a triangle north and north-east of the centre, holding the 12 burglaries 150 m north
    # and 60 m east of it and not those 400 m east.
    assert crimes_inside(drawn) == planted_within(250) == 12
    assert horizontal_overflow(page) == 0
    page.get_by_role("button", name="Show crime in this area").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Crime in the area you drew")
    expect(page.locator(".crime-headline")).to_contain_text(f"{crimes_inside(drawn)} crimes")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_with_tiles_unreachable_a_person_chooses_the_area_around_a_postcode_by_keyboard(page, unreachable_tiles, size):
    from playwright.sync_api import expect

    area_with_crime()
    page.set_viewport_size(VIEWPORTS[size])
    page.goto("/crime/area/")
    expect(page.locator("#draw-map-note")).to_contain_text("could not load")
    page.get_by_label("Postcode", exact=True).focus()
    page.keyboard.type("EC1A 9ZZ")
    page.keyboard.press("Tab")
    expect(page.get_by_label("How far around it")).to_be_focused()
    page.get_by_label("How far around it").select_option(label="Within 250 m")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show crime around this postcode")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Crime in the area within 250 m of EC1A 9ZZ")
    expect(page.locator(".crime-headline")).to_contain_text(f"{planted_within(250)} crimes")
    assert horizontal_overflow(page) == 0
    # A postcode we do not know: the error summary takes the focus and names the field.
    page.goto("/crime/area/?postcode=ZZ9+9ZZ&radius=500")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.locator("[data-error-summary]")).to_contain_text('Postcode "ZZ9 9ZZ" is not in our lookup')
