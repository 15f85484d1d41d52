"""Project-wide test fixtures: the clock, per-process caches, the data migrations' rows, shared data, SMTP and
the browser. People and places come from tests/personas.py, the one persona set; tests/support.py has the rest."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test.signals import setting_changed

from tests.support import PINNED_NOW, forget_process_caches, free_port, restore_data_migration_rows, uses_database


@pytest.fixture(autouse=True)
def pinned_clock(time_machine):
    """Start the test at PINNED_NOW; the clock ticks, so waits and leases behave as they do for real."""
    time_machine.move_to(PINNED_NOW, tick=True)
    return PINNED_NOW


@pytest.fixture(autouse=True)
def fresh_process_caches():
    """Every test starts and ends with empty caches, shared and process-local (tests/support.py says which):
    ids repeat after rolled-back tests, so figures cached or indexes built in one test must not answer the
    next. A setting changed during a test (the `settings` fixture) also starts them afresh: see below."""
    forget_process_caches()
    yield
    forget_process_caches()


def _setting_changed(**_):
    """Pages and indexes made under the settings before (a tile URL on every map page, say) are not served
    under the new ones: this process forgets its own copies and the page cache moves to a new version.
    The live server's thread shares this process, so it may have cached a page after the test began."""
    from openward.core import pagecache, process_caches

    process_caches.forget_all()
    pagecache.start_new_version()


setting_changed.connect(_setting_changed, dispatch_uid="openward-tests-setting-changed")


@pytest.fixture(autouse=True)
def data_migration_rows(request):
    """Tests that use the database find the rows the data migrations load (standard topics, concerns),
    even after a transactional test on the same worker emptied every table."""
    if not uses_database(request):
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        restore_data_migration_rows()


@pytest.fixture
def db_snapshot(db):
    """Every row of every table, so a test can say a refused action changed nothing at all (not one table)."""
    from django.apps import apps

    def row(values):
        return repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in values))

    def snapshot() -> dict[str, list[str]]:
        return {
            model._meta.label: sorted(row(r) for r in model._base_manager.values_list())
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }

    return snapshot


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data sets; tests that need them skip, saying why, when absent."""
    path = Path(settings.SHARED_DATA_DIR)
    if not (path / "MANIFEST.tsv").exists():
        pytest.skip(f"real data not found at {path} (set OPENWARD_SHARED_DATA); CI provides it")
    return path


class CapturedMail:
    """Messages a real SMTP server (aiosmtpd on loopback) received, parsed."""

    def __init__(self):
        import threading

        self.messages = []
        self.changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.changed:
            self.messages.append({"to": list(envelope.rcpt_tos), "from": envelope.mail_from, "message": msg})
            self.changed.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 30.0):
        """Block until `count` messages arrived (a wait, not a timing assertion)."""
        with self.changed:
            self.changed.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
        return self.messages


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django's SMTP backend is pointed at it."""
    from aiosmtpd.controller import Controller

    handler = CapturedMail()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    handler.port = settings.EMAIL_PORT
    handler.controller = controller
    yield handler
    controller.stop()


def chromium_path() -> str | None:
    import shutil

    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (no browser download)."""
    import os

    exe = chromium_path()
    if not exe:
        pytest.skip("Debian's chromium is not installed (make test installs it when run as root)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test are still sync.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=exe,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture(autouse=True)
def _close_browser_contexts(request):
    """After a browser test, close every context it opened (its pages' keep-alive connections with them), while
    the live server still shares the test database with its request threads: a connection the browser closed
    only at the end of the session ended its thread after the server had stopped sharing the database, and
    the thread's clean-up failed (PytestUnhandledThreadExceptionWarning)."""
    yield
    if "browser" in request.fixturenames:
        for context in list(request.getfixturevalue("browser").contexts):
            context.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page; `page.base_url` is the live server."""
    context = browser.new_context(base_url=live_server.url)
    pg = context.new_page()
    pg.base_url = live_server.url
    yield pg
    context.close()


def pytest_sessionfinish(session, exitstatus):
    """With OPENWARD_FAIL_ON_SKIP set (CI, which has every service and data set), a skip fails the run.

    pytest's closing line still says how many were skipped, and `-ra` lists why."""
    import os

    if not os.environ.get("OPENWARD_FAIL_ON_SKIP"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    import os

    skipped = len(terminalreporter.stats.get("skipped", []))
    if os.environ.get("OPENWARD_FAIL_ON_SKIP") and skipped:
        terminalreporter.write_line(
            f"OPENWARD_FAIL_ON_SKIP: {skipped} skipped test(s) fail this run (see reasons above)."
        )


def pytest_collection_modifyitems(config, items):
    """Files with a test marked `slow` run first, so that the two workers (`make test`: -n 2 --dist loadfile
    --no-loadscope-reorder) start on the longest files and finish together, instead of one worker starting the
    crawl when the rest is done. The order within a file is kept.

    Tests marked `postgresql` check what only PostgreSQL has (month partitions, its constraints): on SQLite they
    are left out as deselected, not skipped, so that a skip in CI still means a test that should have run. Tests
    marked `sqlite` (its import stage) are left out the same way on PostgreSQL."""
    from django.conf import settings

    slow_files = {item.nodeid.split("::")[0] for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in slow_files)
    other = "sqlite" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "postgresql"
    kept, left = [], []
    for item in items:
        (left if item.get_closest_marker(other) else kept).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
