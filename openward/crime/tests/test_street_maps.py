"""Street maps in a real browser, with tiles from a stand-in tile server on loopback.

With tiles the crime page shows a Leaflet map over streets (with the tile server's attribution) in
place of the SVG; when tiles fail, the SVG comes back. On /crime/area/ a person draws the corners by
clicking, or by keyboard ("Add the centre as a corner"), and the text box fills in as they go.
"""

from __future__ import annotations

import copy
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from .factories import populate_ward

PNG = (Path(django_settings.BASE_DIR) / "openward/static/vendor/leaflet/images/layers.png").read_bytes()
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


class TileServer:
    """Serves the same small PNG for every tile, or 404 for all of them when `failing`."""

    def __init__(self):
        owner = self
        self.requests = []
        self.failing = False

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                owner.requests.append(self.path)
                if owner.failing:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(PNG)))
                self.end_headers()
                self.wfile.write(PNG)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


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


def test_without_a_tile_server_the_pages_have_no_street_map(client, db):
    ward = populate_ward()
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert "leaflet" not in html and "data-crime-map" in html and '<svg class="map"' in html
    draw = client.get("/crime/area/").content.decode()
    assert "draw-tool" not in draw and 'name="poly"' in draw


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
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]

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
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    page.get_by_role("button", name="Show crime in this area").click()
    page.get_by_role("heading", name="Crime in the area you drew").wait_for()
