"""Serve Open Ward as production does, on one machine: gunicorn, the task worker and the scheduler.

`--dev` (make dev) swaps gunicorn for Django's development server, which reloads on save; the worker and
the scheduler run just the same, so notification jobs and the monthly sync happen as they do under make run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
STOP_SECONDS = 20


class Stop(Exception):
    """A signal asked the server to stop."""


class Command(BaseCommand):
    help = (
        "Run gunicorn (threads), the task worker and the scheduler together; stop them all on Ctrl-C or SIGTERM. "
        "--dev runs Django's development server instead of gunicorn."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
        parser.add_argument(
            "--dev", action="store_true", help="Django's development server (reloads on save) instead of gunicorn."
        )

    def processes(self, host: str, port: int, workers: int, threads: int, dev: bool = False) -> dict[str, list[str]]:
        python = sys.executable
        worker = (
            [python, MANAGE, "rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.Job"]
            if settings.REDIS_URL
            else [python, MANAGE, "db_worker"]
        )
        web = (
            [python, MANAGE, "runserver", f"{host}:{port}"]
            if dev
            else [
                python,
                "-m",
                "gunicorn",
                "openward.wsgi",
                f"--bind={host}:{port}",
                f"--workers={workers}",
                f"--threads={threads}",
                "--worker-class=gthread",
                # The master loads the application once (and with it what the first requests would load
                # while a person waits: openward.core.warmup); workers are forked with it loaded.
                "--preload",
                # Every request is bounded in time: a worker stuck longer than this is restarted.
                "--timeout=30",
                f"--graceful-timeout={STOP_SECONDS // 2}",
                "--log-level=warning",
            ]
        )
        return {
            "web": web,
            "worker": worker,
            "scheduler": [python, MANAGE, "run_scheduler"],
        }

    def handle(self, *args, host, port, workers, threads, dev, **options):
        # Children read HOST and PORT, so links in emails name the address actually served.
        env = {**os.environ, "HOST": host, "PORT": str(port)}
        children: dict[str, subprocess.Popen] = {}

        def stop(signum, frame):
            raise Stop

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            for name, argv in self.processes(host, port, workers, threads, dev).items():
                children[name] = subprocess.Popen(argv, env=env)
            self.stdout.write(f"Open Ward is at http://{host}:{port}/ (Ctrl-C to stop).")
            pid, status = os.wait()
            name = next((n for n, p in children.items() if p.pid == pid), str(pid))
            self.stderr.write(f"The {name} process stopped (status {status}); stopping the others.")
        except Stop:
            pass
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            for child in children.values():
                if child.poll() is None:
                    child.terminate()
            for child in children.values():
                try:
                    child.wait(STOP_SECONDS)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
