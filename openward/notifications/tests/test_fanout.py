"""Fan-out through a real SMTP server on loopback: everyone exactly once; a worker killed half-way and an
SMTP server stopped for a while lose nobody, and the only duplicates are messages in flight at the kill.

Delivery guarantee under test (see notifications/delivery.py): at-least-once. Ledger row written
(pending) -> claimed (sending) -> SMTP send -> marked sent (every MARK_EVERY messages). A SIGKILL
between the SMTP server accepting a message and its row being marked sent is the only way to get a
duplicate, so with one worker at most MARK_EVERY messages are duplicated per kill, all of them rows
the ledger shows as `sending` at the moment of the kill.
"""

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

import pytest
from django.conf import settings as django_settings

from openward.engagement import services as engagement
from openward.notifications.models import Delivery, Subscriber, Subscription
from openward.notifications.tests import worker_settings

ROOT = Path(django_settings.BASE_DIR)
N = 10_000


def add_subscribers(ward, n):
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"person{i:05d}@example.org") for i in range(n)], batch_size=2000
    )
    Subscription.objects.bulk_create([Subscription(subscriber=s, ward=ward) for s in subscribers], batch_size=2000)
    return subscribers


class CountingHandler:
    def __init__(self):
        self.lock = threading.Lock()
        self.received: list[str] = []
        self.first: bytes | None = None

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.extend(envelope.rcpt_tos)
            self.first = self.first or envelope.content
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
        bulletin = engagement.publish_bulletin(
            officer, title="Knife crime appeal", body_html="<p>Call 101</p>", wards=[ward]
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


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, what: str, timeout: float = 600):
    """Poll until `predicate()` is true (a safeguard against hanging, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


@pytest.mark.slow
def test_worker_killed_half_way_and_smtp_stopped_nobody_missed(tmp_path):
    from aiosmtpd.controller import Controller

    db = tmp_path / "fanout.sqlite3"
    port = free_port()
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "openward.notifications.tests.worker_settings",
        "OPENWARD_TEST_DB": str(db),
        "OPENWARD_TEST_SMTP_PORT": str(port),
        "PYTHONPATH": str(ROOT),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    setup = f"""
from openward.areas.models import Borough, Ward
from openward.accounts.models import Role, RoleGrant, User
from openward.notifications.models import Subscriber, Subscription
b = Borough.objects.create(gss_code="E09000001", name="City of London", slug="city")
w = Ward.objects.create(gss_code="E05009288", name="Aldersgate", slug="aldersgate", borough=b)
emails = [f"person{{i:05d}}@example.org" for i in range({N})]
subs = Subscriber.objects.bulk_create([Subscriber(email=e) for e in emails], batch_size=2000)
Subscription.objects.bulk_create([Subscription(subscriber=s, ward=w) for s in subs], batch_size=2000)
User.objects.create_user(email="officer@example.org")
"""
    subprocess.run([*manage, "shell", "-c", setup], env=env, check=True, cwd=ROOT)

    handler = CountingHandler()
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()

    def start_worker():
        return subprocess.Popen(
            [*manage, "db_worker", "--interval", "0.05", "--no-startup-delay", "--no-reload", "-v", "0"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    conn = sqlite3.connect(db, timeout=30)

    def ledger(sql, *args):
        return conn.execute(sql, args).fetchall()

    def sent():
        return ledger("SELECT count(*) FROM notifications_delivery WHERE status='sent'")[0][0]

    worker = start_worker()
    try:
        publish = """
from openward.accounts.models import User
from openward.areas.models import Ward
from openward.engagement import services
services.publish_bulletin(
    User.objects.get(), title="Weapons sweep volunteers", body_html="<p>Join us</p>", wards=[Ward.objects.get()]
)
"""
        subprocess.run([*manage, "shell", "-c", publish], env=env, check=True, cwd=ROOT)

        def sending():
            return ledger("SELECT count(*) FROM notifications_delivery WHERE status='sending'")[0][0]

        # Half-way, and mid-batch (rows claimed and not all sent), so the kill lands on messages in flight.
        wait_until(lambda: sent() >= N // 2 and sending() > 0, "half the messages to be sent")
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        in_flight = {
            email
            for (email,) in ledger(
                "SELECT s.email FROM notifications_delivery d"
                " JOIN notifications_subscriber s ON s.id = d.subscriber_id WHERE d.status = 'sending'"
            )
        }
        sent_at_kill = sent()
        assert 0 < sent_at_kill < N and in_flight, "the kill must land mid-batch for this test to mean anything"

        # The SMTP server goes away for a while; the restarted worker must retry, not give up.
        smtp.stop()
        worker = start_worker()
        wait_until(
            lambda: (
                ledger("SELECT count(*) FROM notifications_delivery WHERE last_error LIKE 'SMTP unavailable%'")[0][0]
                > 0
            ),
            "the worker to find the SMTP server gone",
        )
        assert sent() == sent_at_kill
        time.sleep(2)
        smtp = Controller(handler, hostname="127.0.0.1", port=port)
        smtp.start()

        wait_until(lambda: sent() == N, "every row to be marked sent")
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        smtp.stop()

    with handler.lock:
        counts = Counter(handler.received)
    everyone = {f"person{i:05d}@example.org" for i in range(N)}
    assert set(counts) == everyone, f"missed: {len(everyone - set(counts))}"
    duplicated = {email for email, n in counts.items() if n > 1}
    assert duplicated <= in_flight, "only messages in flight at the kill may arrive twice"
    mark_every = worker_settings.NOTIFICATIONS["MARK_EVERY"]
    assert sum(counts.values()) - N <= mark_every, "one worker: at most MARK_EVERY messages were accepted, unmarked"
    statuses = dict(ledger("SELECT status, count(*) FROM notifications_delivery GROUP BY status"))
    assert statuses == {"sent": N}
    retried = ledger("SELECT count(*) FROM notifications_delivery WHERE attempts >= 2")[0][0]
    assert retried >= len(in_flight), "the rows claimed by the killed worker were claimed again"
    conn.close()
