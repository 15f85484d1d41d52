"""Set the site up in one process: what `make run` (and `make dev`) do before serving.

The same steps as the separate commands, in order, with their own output: migrate, the places pack
(unless that exact pack is loaded), the demo area and, with --static, collectstatic. One process
starts Django and runs the system checks once instead of four times (a few seconds each on a busy
machine). Each step's time is printed as it ends (bench/bench_make_run.py reads them).
"""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from openward.core import process_caches


class Command(BaseCommand):
    help = (
        "Migrate, load the places pack unless it is loaded, load the demo area and (with --static) collect the static "
        "files, in one process: what make run and make dev do before serving."
    )

    def add_arguments(self, parser):
        parser.add_argument("--static", action="store_true", help="Also collect the static files (make run).")

    def handle(self, *args, static, **options):
        steps = {
            "migrate": lambda: call_command("migrate", interactive=False, stdout=self.stdout, stderr=self.stderr),
            "load_places_pack": lambda: call_command(
                "load_places_pack", commit=True, unless_loaded=True, stdout=self.stdout, stderr=self.stderr
            ),
            "load_demo": lambda: call_command("load_demo", stdout=self.stdout, stderr=self.stderr),
            "collectstatic": lambda: call_command(
                "collectstatic", interactive=False, verbosity=0, stdout=self.stdout, stderr=self.stderr
            ),
        }
        if not static:
            del steps["collectstatic"]
        started = time.monotonic()
        for name, run in steps.items():
            began = time.monotonic()
            self.stdout.write(f"Setting up: {name}")
            run()
            # As if each step were a process of its own: nothing one step kept in memory answers the next.
            process_caches.forget_all()
            self.stdout.write(f"Set up: {name} in {time.monotonic() - began:.1f} s")
        self.stdout.write(f"Set up in {time.monotonic() - started:.1f} s.")
