"""/api/docs is the site's own page, written from the OpenAPI schema: every operation with who may call it,
nothing loaded from another site. (The crawl in test_crawl.py checks it with axe-core at 390 and 320 px.)"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from openward.api import api
from openward.api_docs import _rules, kind_of, who_may_call
from openward.core import access

pytestmark = pytest.mark.django_db


class Assets(HTMLParser):
    """The scripts, stylesheets and images a page loads, and its language."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("script", "img") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


def test_every_operation_is_on_the_page_with_who_may_call_it(client):
    page = client.get("/api/docs")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    schema = api.get_openapi_schema()
    operations = [(method.upper(), path) for path, methods in schema["paths"].items() for method in methods]
    assert len(operations) > 100
    for method, path in operations:
        assert re.search(rf'<span class="tag">{method}</span> <code>{re.escape(path)}</code>', html), (method, path)
    # Each operation's rule is found (none falls back to a guess), and the page says it in words.
    rules = _rules(api)
    assert set(operations) <= rules.keys()
    assert html.count("<strong>Who may call it:</strong>") == len(operations)
    for name in schema["components"]["schemas"]:
        assert f"<summary>{name}</summary>" in html, name
    # Links to schemas land on a schema of the page.
    anchors = set(re.findall(r'id="([^"]+)"', html))
    assert {a for a in re.findall(r'href="#([^"]+)"', html)} <= anchors


def test_the_page_loads_nothing_from_another_site_and_says_its_language(client):
    parser = Assets()
    parser.feed(client.get("/api/docs").content.decode())
    assert parser.lang == "en-GB"
    assert parser.urls and all(url.startswith("/static/") for url in parser.urls), parser.urls
    for url in parser.urls:
        assert client.get(url).status_code == 200, url  # served by the app itself (offline too)
    assert "swagger" not in client.get("/api/docs").content.decode().lower()


def test_rules_and_types_in_words():
    assert who_may_call(access.Rule("public")) == "Anyone: no sign-in needed."
    assert who_may_call(access.Rule("signed_in")) == "Anyone signed in."
    words = who_may_call(access.Rule("role", ("officer", "borough_lead"), area=lambda request: None))
    assert words.startswith("People holding one of these roles for the place it is about: Neighbourhood officer, ")
    assert "Borough lead" in words
    assert kind_of({"type": "array", "items": {"$ref": "#/components/schemas/EventOut"}}) == (
        'list of <a href="#schema-eventout">EventOut</a>'
    )
    assert kind_of({"anyOf": [{"type": "integer"}, {"type": "null"}]}) == "integer or nothing (null)"
    assert kind_of({"type": "string", "enum": ["a<b", "c"]}) == "one of <code>a&lt;b</code>, <code>c</code>"
    assert kind_of({"type": "string", "format": "date"}) == "string (date)"
