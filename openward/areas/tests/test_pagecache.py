"""Public area pages are cached whole for visitors who are not signed in, and never across people."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from openward.core import pagecache
from openward.core.models import ImportRun
from tests.personas import make_resident, sign_in

from .factories import TeamMemberFactory

WARD = "/wards/E05013807/"


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    return len(captured), html


def test_an_anonymous_visitor_is_served_the_cached_page_without_queries(client, place):
    first, html = queries(client, WARD)
    assert first > 0 and "Bayswater ward" in html
    again, cached = queries(Client(), WARD)
    assert again == 0 and cached == html


def test_any_write_shows_on_the_next_visit(client, place):
    assert "Grace Hopper" not in client.get(WARD).content.decode()
    TeamMemberFactory(neighbourhood=place.neighbourhood, name="Grace Hopper", rank="PCSO")
    assert "Grace Hopper" in client.get(WARD).content.decode()
    place.sergeant.delete()
    assert "Ada Lovelace" not in client.get(WARD).content.decode()


def test_an_import_run_shows_on_the_next_visit(client, place):
    # Importers write in bulk (no per-row signals) and record their run last: the run moves the version.
    client.get(WARD)
    place.middle.__class__.objects.filter(pk=place.middle.pk).update(name="Bayswater North")
    assert "Bayswater North" not in client.get(WARD).content.decode()
    ImportRun.objects.create(
        importer="ward-boundaries",
        source="wards.geojson",
        status=ImportRun.Status.COMMITTED,
        started_at=place.middle.valid_from or "2026-01-01T00:00Z",
        finished_at="2026-01-01T00:00Z",
    )
    assert "Bayswater North" in client.get(WARD).content.decode()


def test_signed_in_pages_are_neither_served_from_nor_stored_in_the_cache(client, place):
    sign_in(client, make_resident("ada@example.org", place.middle))
    count, html = queries(Client(), WARD)
    assert count > 0 and "Your account" not in html
    count, html = queries(client, WARD)
    assert count > 0 and "Your account" in html
    count, html = queries(Client(), WARD)
    assert count == 0 and "Your account" not in html and "Sign in" in html


def test_a_page_with_a_flash_message_is_not_cached(client, place):
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    count, _ = queries(visitor, WARD)
    assert count > 0
    count, _ = queries(Client(), WARD)
    assert count > 0, "the page rendered for a visitor with messages must not be stored"


def test_sessions_and_task_results_do_not_empty_the_cache(client, place):
    from django.contrib.sessions.backends.db import SessionStore

    client.get(WARD)
    SessionStore().save()
    count, _ = queries(Client(), WARD)
    assert count == 0


def test_a_write_in_another_process_shows_within_a_second(client, place):
    client.get(WARD)
    # Another process's write: the shared version moves, this process's memo does not.
    cache.set(pagecache.VERSION_KEY, cache.get(pagecache.VERSION_KEY, 0) + 1, timeout=None)
    read_at, version = pagecache._version_memo
    assert queries(Client(), WARD)[0] == 0, "within VERSION_SECONDS this process keeps serving its copy"
    pagecache._version_memo = (read_at - pagecache.VERSION_SECONDS, version)
    assert queries(Client(), WARD)[0] > 0


def test_writes_inside_one_change_move_the_version_once_as_it_ends(client, place):
    """A bulk load (each step of the demo) moves the data version once, not once per row it saves."""
    client.get(WARD)
    before = cache.get(pagecache.VERSION_KEY)
    with pagecache.one_change():
        TeamMemberFactory(neighbourhood=place.neighbourhood, name="Grace Hopper", rank="PCSO")
        with pagecache.one_change():
            TeamMemberFactory(neighbourhood=place.neighbourhood, name="Alan Turing", rank="PC")
        assert cache.get(pagecache.VERSION_KEY) == before
        assert "Grace Hopper" not in client.get(WARD).content.decode(), "the page kept from before the block"
    # Once now (the test's transaction never commits, so the bump on commit does not come).
    assert cache.get(pagecache.VERSION_KEY) == before + 1
    html = client.get(WARD).content.decode()
    assert "Grace Hopper" in html and "Alan Turing" in html
    TeamMemberFactory(neighbourhood=place.neighbourhood, name="Mary Somerville", rank="PCSO")
    assert cache.get(pagecache.VERSION_KEY) == before + 2, "outside the block each write moves it again"


def test_a_repeat_visit_is_answered_by_the_first_middleware_with_every_header_the_page_had(client, place):
    """PageCacheMiddleware answers from this process's memory before URL resolution and the other middleware:
    the page must leave as it did the first time, security and content-security headers included."""
    from django.urls import resolvers

    first = Client().get(WARD)
    assert first.status_code == 200 and first.has_header("Content-Security-Policy")
    resolved = []
    real_resolve = resolvers.URLResolver.resolve

    def counting_resolve(self, path):
        resolved.append(path)
        return real_resolve(self, path)

    resolvers.URLResolver.resolve = counting_resolve
    try:
        with CaptureQueriesContext(connection) as captured:
            again = Client().get(WARD)
    finally:
        resolvers.URLResolver.resolve = real_resolve
    assert resolved == [] and len(captured) == 0, "answered before URL resolution, without a query"
    assert again.content == first.content
    assert sorted(again.items()) == sorted(first.items())


def test_the_first_middleware_keeps_no_page_a_visitor_was_given_a_cookie_with(place):
    """A page that set a cookie (a session, a CSRF token) is not kept for the next visitor; the same page
    without the cookie is."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    def served(cookie: bool):
        def view(request):
            request._public_page = True  # as public_page marks what it served
            response = HttpResponse("the page")
            if cookie:
                response.set_cookie("sessionid", "secret")
            return response

        path = f"/page-{'with' if cookie else 'without'}-cookie/"
        pagecache.PageCacheMiddleware(view)(RequestFactory().get(path))
        return pagecache._local_get(f"{pagecache.current_version()}:{pagecache.page_key(RequestFactory().get(path))}")

    assert served(cookie=True) is None
    kept = served(cookie=False)
    assert kept is not None and kept.content == b"the page"


def test_the_memory_a_process_keeps_pages_in_is_bounded_in_bytes(monkeypatch):
    monkeypatch.setattr(pagecache, "LOCAL_BYTES", 1000)
    pagecache.clear_local()
    for n in range(5):
        pagecache._local_put(f"k{n}", pagecache.Page(200, [], b"x" * 300))
    kept = [n for n in range(5) if pagecache._local_get(f"k{n}") is not None]
    assert kept == [2, 3, 4] and pagecache._local_bytes == 900
    pagecache._local_put("k4", pagecache.Page(200, [], b"y" * 100))
    assert pagecache._local_bytes == 700
