"""Periodic jobs: management commands on cron expressions (settings.OPENWARD_SCHEDULE).

`manage.py run_scheduler` (started by `make run`) keeps, for each job, the next time it is due
and runs the jobs that are due one after another in its own process; the work they queue goes
to the task worker. A job that fails is logged and tried again at its next time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from cronsim import CronSim, CronSimError
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    cron: str
    command: str
    args: tuple[str, ...] = ()

    def __str__(self) -> str:
        return " ".join([self.command, *self.args]) + f" ({self.cron})"

    def next_after(self, moment: datetime) -> datetime:
        return next(CronSim(self.cron, moment))


def jobs_from_settings() -> list[Job]:
    """The configured jobs; a cron expression that cannot be read stops the scheduler at start, naming it."""
    jobs = [Job(cron, command, tuple(args)) for cron, command, args in settings.OPENWARD_SCHEDULE]
    for job in jobs:
        try:
            CronSim(job.cron, timezone.localtime())
        except CronSimError as exc:
            message = f'OPENWARD_SCHEDULE: "{job.cron}" for {job.command} is not a cron expression ({exc}).'
            raise ValueError(message) from None
    return jobs


@dataclass
class Scheduler:
    """Which jobs are due when; `run_due(now)` runs those whose time has come."""

    jobs: list[Job]
    started: datetime
    runner: Callable[[Job], None] = field(default=lambda job: call_command(job.command, *job.args))
    due: dict[Job, datetime] = field(init=False)

    def __post_init__(self):
        self.due = {job: job.next_after(self.started) for job in self.jobs}

    def next_time(self) -> datetime | None:
        return min(self.due.values(), default=None)

    def run_due(self, now: datetime) -> list[Job]:
        ran = []
        for job in self.jobs:
            if self.due[job] > now:
                continue
            try:
                self.runner(job)
            except Exception:
                logger.exception("Scheduled job %s failed; it runs again at its next time.", job)
            # From now, not from the missed time: a scheduler that was stopped does not replay a backlog.
            self.due[job] = job.next_after(now)
            ran.append(job)
        return ran

    def run_forever(self, stop: threading.Event, clock: Callable[[], datetime] = timezone.localtime) -> None:
        while not stop.is_set():
            upcoming = self.next_time()
            if upcoming is None:
                stop.wait()
                return
            if stop.wait(max(0.0, (upcoming - clock()).total_seconds())):
                return
            self.run_due(clock())
