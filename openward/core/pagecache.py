"""Whole public pages for people who are not signed in, kept until the data behind them changes.

A page is served from the cache only to a request with no session and no flash messages (so
nobody is signed in and nothing about them can be on it), and stored only when the response set
no cookie and used no CSRF token. Every model write outside the bookkeeping apps, and every
import run (importers write in bulk, then record their run), moves the site's data version, so
the next request renders afresh (a bulk load inside `one_change()` moves it once, as it ends);
pages that show the time of day ("coming up", "open until") are kept PAGE_SECONDS at most. The
version lives in the shared cache, so a write in one process (a worker, an import on the command
line) reaches every web process within VERSION_SECONDS.
`kept` holds single figures every request needs (the newest month of crime) under the same version.
With a read replica, no page is kept while the replica has not replayed the newest import the primary
recorded (`db_router.replica_behind`): pages read the replica, and the import has already moved the version.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, NamedTuple

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import translation

from . import db_router, process_caches

VERSION_KEY = "pagecache:version"
PAGE_SECONDS = 60
# Writes that never show on a public page and happen all the time (sessions, task results, the
# email ledger, the audit log): they must not empty the cache.
BOOKKEEPING_APPS = {"sessions", "admin", "contenttypes", "django_tasks_database", "otp_totp", "notifications"}
BOOKKEEPING_MODELS = {"core.auditevent", "accounts.emaillink", "accounts.apitoken"}
DELETES_HEARD_IN = {"areas", "engagement", "priorities", "verification"}
BULK_DELETED = {"areas.postcode", "areas.lsoa", "areas.lsoaward"}
# As Django's GZipMiddleware reads Accept-Encoding.
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Content-Encoding", "Vary")
# Each process also keeps the pages it served most recently (PageCacheMiddleware), and reads the version
# from the shared cache at most once a VERSION_SECONDS: a hit then costs no I/O, and a write made in
# another process shows here within that time (this process's own writes show at once).
LOCAL_PAGES = 256
LOCAL_BYTES = 64 * 1024 * 1024
LOCAL_PAGE_BYTES = 4 * 1024 * 1024
_local_bytes = 0
VERSION_SECONDS = 1.0
_version_memo: tuple[float, int] = (float("-inf"), 0)


class Page(NamedTuple):
    """A kept page: what a response is made again from."""

    status: int
    headers: list[tuple[str, str]]
    content: bytes

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response[name] = value
        return response


_local: OrderedDict[str, tuple[float, Page]] = OrderedDict()
_local_lock = threading.Lock()
_batch = threading.local()


def data_changed(**_) -> None:
    """Move the data version now and again once the transaction commits: a page another process
    renders in between (still seeing the old data) is not kept under the new version."""
    if getattr(_batch, "depth", 0):
        _batch.changed = True
        return
    _bump()
    transaction.on_commit(_bump)


@contextmanager
def one_change() -> Iterator[None]:
    """The writes this thread makes inside the block move the data version once, as it ends, instead of
    once per row: for bulk loads (each step of the demo saves a few hundred rows one by one). A page
    cached while the block runs is kept under an older version, so none outlives it."""
    depth = getattr(_batch, "depth", 0)
    _batch.depth = depth + 1
    try:
        yield
    finally:
        _batch.depth = depth
        if depth == 0 and getattr(_batch, "changed", False):
            _batch.changed = False
            data_changed()


def start_new_version() -> None:
    """Move the data version now, outside any transaction: for a change that is no write (tests changing settings)."""
    _bump()


def _bump() -> None:
    # A version the shared cache lost (flushed, evicted) restarts from a number never used before, so pages this
    # process still keeps from before are not served again (process_caches.shared_version).
    _remember_version(process_caches.bump_shared_version(VERSION_KEY))


def _remember_version(version: int) -> None:
    global _version_memo
    _version_memo = (time.monotonic(), version)


def current_version() -> int:
    """The data version, read from the shared cache at most once a VERSION_SECONDS per process."""
    read_at, version = _version_memo
    if time.monotonic() - read_at < VERSION_SECONDS:
        return version
    version = process_caches.shared_version(VERSION_KEY)
    _remember_version(version)
    return version


_MISSING = object()


def kept(name: str, compute: Callable[[], Any], timeout: int = 24 * 3600) -> Any:
    """`compute()`, kept in the shared cache until the data version moves (a write a page shows, an import),
    for a figure every request needs and only new data changes. None is kept like any other value."""
    key = f"pagecache:value:{current_version()}:{name}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    return value


def _on_write(sender, **kwargs) -> None:
    meta = sender._meta
    if meta.app_label in BOOKKEEPING_APPS or meta.label_lower in BOOKKEEPING_MODELS:
        return
    data_changed()


def connect() -> None:
    """Listen for writes (called once from CoreConfig.ready).

    Deletions are heard only for the apps whose rows area pages show, and not for the tables
    importers empty in bulk: a delete signal receiver makes Django fetch every row it deletes.
    Those imports are heard through their import run instead.
    """
    post_save.connect(_on_write, dispatch_uid="pagecache-save")
    m2m_changed.connect(_on_m2m, dispatch_uid="pagecache-m2m")
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in DELETES_HEARD_IN and label not in BULK_DELETED:
            post_delete.connect(_on_write, sender=model, dispatch_uid=f"pagecache-delete-{label}")


def _on_m2m(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        _on_write(sender)


def _anonymous(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
    )


def public_page(view):
    """Serve the view's page from the cache to anonymous visitors while the site's data is unchanged.

    The page the view returns is kept in the shared cache (every process serves it); the page as it leaves the
    middleware (with the headers they add) is then kept by `PageCacheMiddleware` in this process's memory, which
    answers the next anonymous visit before any other middleware or URL resolution runs."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _anonymous(request):
            return view(request, *args, **kwargs)
        version = current_version()
        key = f"pagecache:{view.__module__}.{view.__qualname__}:{version}:{page_key(request)}"
        hit = cache.get(key)
        if hit is not None:
            request._public_page = True
            return Page(*hit).response()
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _storable(request, response) and not db_router.replica_behind():
            headers = [(h, response[h]) for h in KEPT_HEADERS if response.has_header(h)]
            cache.set(key, Page(response.status_code, headers, response.content), PAGE_SECONDS)
            request._public_page = True
        return response

    return wrapper


class PageCacheMiddleware:
    """The first middleware: answers an anonymous GET for a public page from this process's memory, as the
    page left the middleware last time (security and CSP headers included), while the data version is
    unchanged; on the way out keeps each page `public_page` served that carries no cookie.

    Keyed by the data version and `page_key` (the path decides the view, and only GET is answered, so no view
    name is needed). A page is kept PAGE_SECONDS at most, and the process keeps LOCAL_PAGES pages and
    LOCAL_BYTES bytes at most (a page larger than LOCAL_PAGE_BYTES is left to the shared cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or not _anonymous(request) or request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        key = f"{current_version()}:{page_key(request)}"
        hit = _local_get(key)
        if hit is not None:
            return hit.response()
        response = self.get_response(request)
        # As it leaves: the same rules as `public_page`'s (a cookie or a CSRF token set on the way out counts).
        if (
            getattr(request, "_public_page", False)
            and _storable(request, response)
            and len(response.content) <= LOCAL_PAGE_BYTES
        ):
            _local_put(key, Page(response.status_code, list(response.items()), response.content))
        return response


def accepts_gzip(request) -> bool:
    """Whether the client takes a gzip-compressed body (read as Django's GZipMiddleware reads it)."""
    return _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")) is not None


def page_key(request) -> str:
    """What the page depends on besides the data: its full path, the scheme and host it is served under
    (a site answering at two addresses links to each in its own pages) and the language it is rendered in
    (what LocaleMiddleware would choose from Accept-Language; always LANGUAGE_CODE while that is off, so the
    header alone does not split the cache), and whether the client takes a gzip-compressed body (an API
    answer kept compressed is sent so to those that do)."""
    gzip = "gzip" if accepts_gzip(request) else ""
    varies = [request.scheme, request.get_host(), translation.get_language() or "", request.get_full_path(), gzip]
    return hashlib.sha1("\n".join(varies).encode()).hexdigest()


def _local_get(key: str) -> Page | None:
    global _local_bytes
    with _local_lock:
        found = _local.get(key)
        if found is None:
            return None
        expires, page = found
        if expires < time.monotonic():
            del _local[key]
            _local_bytes -= len(page.content)
            return None
        _local.move_to_end(key)
        return page


def _local_put(key: str, page: Page) -> None:
    global _local_bytes
    with _local_lock:
        if (old := _local.pop(key, None)) is not None:
            _local_bytes -= len(old[1].content)
        _local[key] = (time.monotonic() + PAGE_SECONDS, page)
        _local_bytes += len(page.content)
        while len(_local) > LOCAL_PAGES or _local_bytes > LOCAL_BYTES:
            _, (_, dropped) = _local.popitem(last=False)
            _local_bytes -= len(dropped.content)


def clear_local() -> None:
    """Forget this process's copies and re-read the version (tests start each test with empty caches)."""
    global _local_bytes
    with _local_lock:
        _local.clear()
        _local_bytes = 0
    _remember_version(cache.get(VERSION_KEY, 0))


process_caches.register(clear_local)
