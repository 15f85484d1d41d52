"""Fan-out through a real SMTP server on loopback: everyone exactly once; a worker killed half-way and an
SMTP server stopped for a while lose nobody, and the only duplicates are messages in flight at the kill.

Delivery guarantee under test (see notifications/delivery.py): at-least-once. Ledger row written
(pending) -> claimed (sending) -> SMTP send -> marked sent (every MARK_EVERY messages). A SIGKILL
between the SMTP server accepting a message and its row being marked sent is the only way to get a
duplicate, so with one worker at most MARK_EVERY messages are duplicated per kill, all of them rows
the ledger shows as `sending` at the moment of the kill.

The worker-kill test runs on the run's own backends: a database worker on a SQLite file in the embedded
run, RQ workers on Redis and a PostgreSQL database when the run has REDIS_URL and DATABASE_URL (CI's
second run).
"""

import asyncio
import email
import email.policy
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings as django_settings

from openward.engagement.services import bulletins
from openward.notifications.models import Delivery, Subscriber, Subscription
from openward.notifications.tests import worker_settings
from tests.support import free_port

ROOT = Path(django_settings.BASE_DIR)
N = 10_000
# The worker-kill test's subscribers: 8 chunks of the worker settings' 250, so the kill lands mid-batch with whole
# chunks sent before it and still to send after it; what it proves does not grow with the count, and each
# message costs a real SMTP exchange with a separate worker process (10,000 took about four minutes).
KILLED_N = 2_000


def add_subscribers(ward, n):
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"person{i:05d}@example.org") for i in range(n)], batch_size=2000
    )
    Subscription.objects.bulk_create([Subscription(subscriber=s, ward=ward) for s in subscribers], batch_size=2000)
    return subscribers


class CountingHandler:
    """Counts recipients; with `hold_at`, keeps the reply to that message back until `release` is set.

    Held, the sending worker is stopped inside an SMTP transaction: a kill then lands mid-batch for certain."""

    def __init__(self, hold_at: int | None = None):
        self.lock = threading.Lock()
        self.received: list[str] = []
        self.first: bytes | None = None
        self.hold_at = hold_at
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.extend(envelope.rcpt_tos)
            self.first = self.first or envelope.content
            hold = len(self.received) == self.hold_at
        if hold:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        return "250 OK"


@pytest.fixture
def counting_smtp(settings):
    """A real SMTP server on loopback that only counts (parsing 10,000 messages would dominate the run)."""
    from aiosmtpd.controller import Controller

    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", controller.port, False
    yield handler
    controller.stop()


@pytest.mark.slow
@pytest.mark.django_db
def test_fan_out_to_10000_subscribers_each_gets_exactly_one(
    ward, officer, counting_smtp, django_capture_on_commit_callbacks
):
    subscribers = add_subscribers(ward, N)
    with django_capture_on_commit_callbacks(execute=True):
        bulletin = bulletins.publish_bulletin(
            officer, bulletins.BulletinFields(title="Knife crime appeal", body_html="<p>Call 101</p>", wards=[ward])
        )
    counts = Counter(counting_smtp.received)
    assert sum(counts.values()) == N
    assert set(counts) == {s.email for s in subscribers}
    assert max(counts.values()) == 1
    first = email.message_from_bytes(counting_smtp.first, policy=email.policy.default)
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        first["List-Unsubscribe"].strip().startswith("<") and "/notifications/unsubscribe/" in first["List-Unsubscribe"]
    )
    rows = Delivery.objects.filter(notice__key=f"bulletin:{bulletin.pk}")
    assert rows.filter(status="sent").count() == N
    # The fan-out running again (a duplicated task) writes no new rows and sends nobody anything.
    from openward.notifications import services

    services.fan_out_notice(rows.first().notice_id)
    assert rows.count() == N and sum(Counter(counting_smtp.received).values()) == N


def wait_until(predicate, what: str, timeout: float = 600, every: float = 0.05):
    """Poll until `predicate()` is true (a safeguard against hanging, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(every)


class WorkerDatabase:
    """A database of the run's kind for the worker test alone, read directly (no Django) by the test."""

    def __init__(self, tmp_path: Path):
        run_url = os.environ.get("DATABASE_URL")
        if run_url:
            import psycopg

            params = dj_database_url.parse(run_url)
            self.name = f"{params['NAME']}_fanout_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
            self.url = run_url.rsplit("/", 1)[0] + "/" + self.name
            server = {k.lower(): params[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if params.get(k)}
            self.admin = psycopg.connect(dbname="postgres", autocommit=True, **server)
            self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.admin.execute(f'CREATE DATABASE "{self.name}"')
            self.vendor = "postgresql"
        else:
            self.url = f"sqlite:///{tmp_path / 'fanout.sqlite3'}"
            self.vendor = "sqlite"
        self.conn = None

    def open(self):
        if self.vendor == "postgresql":
            import psycopg

            self.conn = psycopg.connect(self.url, autocommit=True)
        else:
            self.conn = sqlite3.connect(dj_database_url.parse(self.url)["NAME"], timeout=30)

    def rows(self, sql):
        return self.conn.execute(sql).fetchall()

    def scalar(self, sql):
        return self.rows(sql)[0][0]

    def drop(self):
        if self.conn is not None:
            self.conn.close()
        if self.vendor == "postgresql":
            self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.admin.close()


class TaskQueue:
    """The run's task queue as the worker test uses it: RQ on Redis, or the database backend."""

    def __init__(self, db: WorkerDatabase):
        self.db = db
        self.redis = None
        if django_settings.REDIS_URL:
            import redis

            self.redis = redis.Redis.from_url(django_settings.REDIS_URL)

    def command(self) -> list[str]:
        if self.redis is not None:
            # Production's worker command (README): RQ with its scheduler, which runs the deferred sweeps.
            return ["rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.Job", "-v", "0"]
        return ["db_worker", "--interval", "0.05", "--no-startup-delay", "--no-reload", "-v", "0"]

    def forget_everything(self) -> None:
        """Start and end with no RQ jobs, registries or scheduler locks: only this test uses RQ queues."""
        if self.redis is not None:
            keys = list(self.redis.scan_iter(match="rq:*", count=1000))
            if keys:
                self.redis.delete(*keys)

    def wait_for_dead_scheduler_lock(self) -> None:
        """A killed RQ scheduler keeps its lock until the lock's TTL (about a minute) runs out, and a worker
        started while it is held runs no scheduler; so the replacement machine comes up after that."""
        if self.redis is not None:
            from rq.scheduler import RQScheduler

            lock = RQScheduler.get_locking_key("default")
            wait_until(lambda: not self.redis.exists(lock), "the killed scheduler's lock to expire", every=0.5)

    def finished_jobs(self) -> int:
        """How many jobs the run's queue completed: proof that the sends really went through it."""
        if self.redis is not None:
            from rq.registry import FinishedJobRegistry

            return FinishedJobRegistry("default", connection=self.redis).count
        return self.db.scalar("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'")


def descendants(pid: int) -> list[int]:
    """Every process started by `pid`, from /proc (RQ's work horse leaves its parent's process group)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def kill_machine(worker: subprocess.Popen) -> None:
    """SIGKILL a worker and everything it started at one instant, as if its machine died."""
    pids = [worker.pid, *descendants(worker.pid)]
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
    worker.wait()


@pytest.mark.slow
def test_worker_killed_half_way_and_smtp_stopped_nobody_missed(tmp_path):
    from aiosmtpd.controller import Controller

    db = WorkerDatabase(tmp_path)
    queue = TaskQueue(db)
    port = free_port()
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "openward.notifications.tests.worker_settings",
        "OPENWARD_TEST_DATABASE_URL": db.url,
        "OPENWARD_TEST_SMTP_PORT": str(port),
        "PYTHONPATH": str(ROOT),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    # The handler holds the reply to the (KILLED_N/2)th message: the worker is then mid-batch, inside a send.
    handler = CountingHandler(hold_at=KILLED_N // 2)
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    worker = None
    try:
        queue.forget_everything()
        subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
        setup = f"""
from openward.areas.models import Borough, Ward
from openward.accounts.models import Role, RoleGrant, User
from openward.notifications.models import Subscriber, Subscription
b = Borough.objects.create(gss_code="E09000001", name="City of London", slug="city")
w = Ward.objects.create(gss_code="E05009288", name="Aldersgate", slug="aldersgate", borough=b)
emails = [f"person{{i:05d}}@example.org" for i in range({KILLED_N})]
subs = Subscriber.objects.bulk_create([Subscriber(email=e) for e in emails], batch_size=2000)
Subscription.objects.bulk_create([Subscription(subscriber=s, ward=w) for s in subs], batch_size=2000)
User.objects.create_user(email="officer@example.org")
"""
        subprocess.run([*manage, "shell", "-c", setup], env=env, check=True, cwd=ROOT)
        db.open()
        smtp.start()

        def start_worker():
            return subprocess.Popen(
                [*manage, *queue.command()],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

        def sent():
            return db.scalar("SELECT count(*) FROM notifications_delivery WHERE status = 'sent'")

        worker = start_worker()
        publish = """
from openward.accounts.models import User
from openward.areas.models import Ward
from openward.engagement.services import bulletins as bulletins_services
bulletins_services.publish_bulletin(
    User.objects.get(),
    bulletins_services.BulletinFields(
        title="Weapons sweep volunteers", body_html="<p>Join us</p>", wards=[Ward.objects.get()]
    ),
)
"""
        subprocess.run([*manage, "shell", "-c", publish], env=env, check=True, cwd=ROOT)

        assert handler.holding.wait(timeout=600), "the worker never sent half the messages"
        kill_machine(worker)
        # Read after the kill: nothing has changed the ledger since the worker stopped inside the held send.
        in_flight = {
            email
            for (email,) in db.rows(
                "SELECT s.email FROM notifications_delivery d"
                " JOIN notifications_subscriber s ON s.id = d.subscriber_id WHERE d.status = 'sending'"
            )
        }
        attempts_at_kill = dict(db.rows("SELECT id, attempts FROM notifications_delivery"))
        sent_at_kill = sent()
        assert 0 < sent_at_kill < KILLED_N and in_flight, "the kill must land mid-batch for this test to mean anything"
        assert sent_at_kill + len(in_flight) >= KILLED_N // 2, "every message the server took is sent or in flight"

        # The SMTP server goes away for a while; the restarted worker must retry, not give up.
        handler.release.set()
        smtp.stop()
        queue.wait_for_dead_scheduler_lock()
        worker = start_worker()

        def retried_while_smtp_down():
            rows = db.rows("SELECT id, attempts FROM notifications_delivery WHERE last_error LIKE 'SMTP unavailable%'")
            return any(attempts >= attempts_at_kill[pk] + 2 for pk, attempts in rows)

        wait_until(retried_while_smtp_down, "a row to fail on the missing SMTP server twice", every=0.2)
        assert sent() == sent_at_kill
        smtp = Controller(handler, hostname="127.0.0.1", port=port)
        smtp.start()

        wait_until(lambda: sent() == KILLED_N, "every row to be marked sent", every=0.2)
        assert queue.finished_jobs() > 0, "the sends went through the run's task queue"
        statuses = dict(db.rows("SELECT status, count(*) FROM notifications_delivery GROUP BY status"))
        retried = db.scalar("SELECT count(*) FROM notifications_delivery WHERE attempts >= 2")
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                kill_machine(worker)
        handler.release.set()
        smtp.stop(no_assert=True)
        queue.forget_everything()
        db.drop()

    with handler.lock:
        counts = Counter(handler.received)
    everyone = {f"person{i:05d}@example.org" for i in range(KILLED_N)}
    assert set(counts) == everyone, f"missed: {len(everyone - set(counts))}"
    duplicated = {email for email, n in counts.items() if n > 1}
    assert duplicated <= in_flight, "only messages in flight at the kill may arrive twice"
    mark_every = worker_settings.NOTIFICATIONS["MARK_EVERY"]
    assert sum(counts.values()) - KILLED_N <= mark_every, (
        "one worker: at most MARK_EVERY messages were accepted, unmarked"
    )
    assert statuses == {"sent": KILLED_N}
    assert retried >= len(in_flight), "the rows claimed by the killed worker were claimed again"
