"""Run the scheduled jobs (settings.OPENWARD_SCHEDULE) until stopped."""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from openward.core.schedule import Scheduler, jobs_from_settings


class Command(BaseCommand):
    help = "Run the management commands in OPENWARD_SCHEDULE at their cron times until stopped (Ctrl-C or SIGTERM)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", dest="list_only", action="store_true", help="Print each job and when it next runs, then stop."
        )

    def handle(self, *args, list_only, **options):
        try:
            scheduler = Scheduler(jobs_from_settings(), timezone.localtime())
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        for job in scheduler.jobs:
            self.stdout.write(f"{job}: next at {scheduler.due[job]:%Y-%m-%d %H:%M}")
        if list_only:
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        scheduler.run_forever(stop)
