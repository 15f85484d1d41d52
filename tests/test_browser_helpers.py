"""The browser tests' own helpers, checked against a stand-in server on loopback."""

from __future__ import annotations

import threading

import pytest

from tests.personas import horizontal_overflow
from tests.support import LoopbackServer

PHONE = {"width": 390, "height": 844}
FORM = b'<!doctype html><form action="/wide"><button>Show the table</button></form>'
# A table wider than a phone inside a region that scrolls it, as site.css's .table-wrap does: the rule that
# keeps the page narrow is in a style sheet the server holds back until the test lets it go.
WIDE = (
    b'<!doctype html><html><head><meta name="viewport" content="width=device-width">'
    b'<link rel="stylesheet" href="/late.css"></head>'
    b'<body style="margin:0"><div class="wrap"><table style="width:600px"><tr><td>Burglary</td></tr></table>'
    b"</div></body></html>"
)


class LateStyles:
    """Serves FORM at /, WIDE at /wide, and /late.css only once `release` is set."""

    def __init__(self):
        self.release = threading.Event()
        self._server = LoopbackServer(self._answer)
        self.url = self._server.origin

    def _answer(self, path: str) -> tuple[int, str, bytes]:
        if path.startswith("/late.css"):
            self.release.wait(30)
            return 200, "text/css", b".wrap { overflow-x: auto; }"
        return 200, "text/html", WIDE if path.startswith("/wide") else FORM

    def close(self):
        self.release.set()
        self._server.close()


@pytest.mark.browser
def test_the_page_width_is_measured_once_its_style_sheets_are_in(browser):
    from playwright.sync_api import expect

    stand_in = LateStyles()
    context = browser.new_context(base_url=stand_in.url, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto("/")
        # Sent by keyboard, as a person would: the new page's text arrives before its style sheet.
        page.get_by_role("button", name="Show the table").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("cell", name="Burglary")).to_be_attached()
        # Measured now, the table widens the page: the sheet that gives it its own scrolling region is not in.
        assert page.evaluate("document.documentElement.scrollWidth") == 600
        # The sheet arrives a little later; the helper waits for it and measures what a person sees.
        threading.Timer(0.3, stand_in.release.set).start()
        assert horizontal_overflow(page) == 0
        assert page.evaluate("getComputedStyle(document.querySelector('.wrap')).overflowX") == "auto"
    finally:
        context.close()
        stand_in.close()
