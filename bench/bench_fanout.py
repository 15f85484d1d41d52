"""Fan-out benchmark: a bulletin to 50,000 subscribers through the delivery ledger and Redis workers
(django-tasks-rq, PostgreSQL), against a bare smtplib loop sending the same messages, in the same run,
to the same SMTP server on loopback (aiosmtpd in its own process).

    /work/main/.venv/bin/python bench/bench_fanout.py [--subscribers 50000] [--workers 4]

Needs Redis (REDIS_URL, default redis://127.0.0.1:6379/0) and PostgreSQL (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/openward_bench_fanout; the database is recreated each run).
Prints both throughputs and the ratio ours / bare loop (goal >= 0.5).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_smtp(port: int, counter, ready) -> None:
    """A counting SMTP server (its own process, so it does not share a GIL with either sender)."""
    import threading

    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope):
            with counter.get_lock():
                counter.value += len(envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    signal.signal(signal.SIGTERM, lambda *a: (controller.stop(), sys.exit(0)))
    threading.Event().wait()


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    n = args.subscribers

    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/openward_bench_fanout")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    port = free_port()
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "openward.settings.dev",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "DEBUG": "0",
        "SITE_URL": "https://openward.example",
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update(env)

    print(f"Fan-out benchmark: {n:,} subscribers, {args.workers} RQ workers, PostgreSQL, SMTP on loopback")
    recreate_database(database_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)

    import django

    django.setup()
    import django_rq
    from django.db import connection

    from openward.accounts.models import User
    from openward.areas.models import Borough, Ward
    from openward.engagement.services import bulletins
    from openward.notifications.messages import Composer
    from openward.notifications.models import Delivery, Notice, Subscriber, Subscription

    queue = django_rq.get_queue("default")
    queue.empty()
    borough = Borough.objects.create(gss_code="E09000001", name="City of London", slug="city")
    ward = Ward.objects.create(gss_code="E05009288", name="Aldersgate", slug="aldersgate", borough=borough)
    officer = User.objects.create_user(email="officer@example.org")
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"person{i:06d}@example.org") for i in range(n)], batch_size=5000
    )
    Subscription.objects.bulk_create([Subscription(subscriber=s, ward=ward) for s in subscribers], batch_size=5000)

    counter = multiprocessing.Value("q", 0)
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve_smtp, args=(port, counter, ready), daemon=True)
    server.start()
    ready.wait(30)

    # The messages both senders deliver: built by the same composer, for the same people.
    bulletin = bulletins.publish_bulletin(
        officer,
        bulletins.BulletinFields(
            title="Weapons sweep: volunteers wanted", body_html="<p>Join us on Saturday.</p>", wards=[ward]
        ),
        notify=False,
    )
    sample_notice = Notice(kind=Notice.Kind.BULLETIN, object_id=bulletin.pk, key="bench-sample", subject=bulletin.title)
    composer = Composer(sample_notice)
    prepared = [(s.email, composer.message(s).message().as_bytes(linesep="\r\n")) for s in subscribers]

    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for address, raw in prepared:
            smtp.sendmail("no-reply@openward.localhost", [address], raw)
    bare_seconds = time.perf_counter() - started
    while counter.value < n:
        time.sleep(0.01)
    del prepared

    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "rqworker",
                "default",
                "--with-scheduler",
                "--job-class",
                "django_tasks_rq.Job",
                "--verbosity",
                "0",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(args.workers)
    ]
    from rq import Worker

    while Worker.count(queue=queue) < args.workers:  # start the clock once every worker is listening
        time.sleep(0.1)
    try:
        from django.db import transaction

        from openward.notifications import services as notifications

        started = time.perf_counter()
        with transaction.atomic():
            notifications.announce(Notice.Kind.BULLETIN, bulletin.pk, f"bulletin:{bulletin.pk}", bulletin.title)
        sent = 0
        while sent < n:
            time.sleep(0.05)
            sent = Delivery.objects.filter(status=Delivery.Status.SENT).count()
            connection.close()
        ours_seconds = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        server.terminate()

    received = counter.value - n
    statuses = dict(Delivery.objects.values_list("status").annotate(c=django.db.models.Count("pk")))
    print(f"bare smtplib loop (one connection): {n:,} messages in {bare_seconds:.1f} s = {n / bare_seconds:,.0f} msg/s")
    print(
        f"Open Ward fan-out (ledger + {args.workers} RQ workers): {n:,} messages in {ours_seconds:.1f} s"
        f" = {n / ours_seconds:,.0f} msg/s (server received {received:,}; ledger {statuses})"
    )
    print(f"ratio ours / bare loop = {bare_seconds / ours_seconds:.2f} (goal >= 0.5)")


if __name__ == "__main__":
    main()
