"""The scheduler runs each job when its cron time comes, once, and goes on after a job fails."""

import threading
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from openward.core.schedule import Job, Scheduler, jobs_from_settings

LONDON = ZoneInfo("Europe/London")
FIVE_MINUTES = Job("*/5 * * * *", "run_notification_jobs")
MONDAY_SEVEN = Job("0 7 * * 1", "run_notification_jobs", ("--weekly-digest",))


def at(day, hour, minute):
    return datetime(2026, 11, day, hour, minute, tzinfo=LONDON)


def test_jobs_run_when_due_and_not_before():
    ran = []
    scheduler = Scheduler([FIVE_MINUTES, MONDAY_SEVEN], at(27, 10, 3), runner=ran.append)  # a Friday
    assert scheduler.next_time() == at(27, 10, 5)
    assert scheduler.run_due(at(27, 10, 4)) == [] and ran == []
    assert scheduler.run_due(at(27, 10, 5)) == [FIVE_MINUTES]
    assert scheduler.due[FIVE_MINUTES] == at(27, 10, 10)
    assert scheduler.due[MONDAY_SEVEN] == at(30, 7, 0)
    # Stopped over the weekend: on Monday morning each job runs once, not once per missed time.
    assert scheduler.run_due(at(30, 7, 2)) == [FIVE_MINUTES, MONDAY_SEVEN]
    assert ran == [FIVE_MINUTES, FIVE_MINUTES, MONDAY_SEVEN]
    assert scheduler.due[FIVE_MINUTES] == at(30, 7, 5)
    assert scheduler.due[MONDAY_SEVEN] == datetime(2026, 12, 7, 7, 0, tzinfo=LONDON)


def test_a_failing_job_is_logged_and_tried_at_its_next_time(caplog):
    def runner(job):
        raise RuntimeError("SMTP server unreachable")

    scheduler = Scheduler([FIVE_MINUTES], at(27, 10, 3), runner=runner)
    assert scheduler.run_due(at(27, 10, 5)) == [FIVE_MINUTES]
    assert "run_notification_jobs (*/5 * * * *) failed" in caplog.text and "SMTP server unreachable" in caplog.text
    assert scheduler.due[FIVE_MINUTES] == at(27, 10, 10)


def test_run_forever_returns_when_asked_to_stop():
    stop = threading.Event()
    stop.set()
    Scheduler([FIVE_MINUTES], at(27, 10, 3), runner=lambda job: pytest.fail("nothing is due")).run_forever(stop)


def test_the_configured_schedule_runs_notifications_retention_and_ballot_reordering(settings):
    commands = {(job.command, job.args) for job in jobs_from_settings()}
    assert ("run_notification_jobs", ()) in commands
    assert ("run_notification_jobs", ("--weekly-digest",)) in commands
    assert ("purge_personal_data", ()) in commands
    assert ("reorder_ballots", ()) in commands
    out = StringIO()
    call_command("run_scheduler", "--list", stdout=out)
    assert "run_notification_jobs (*/5 * * * *): next at" in out.getvalue()


def test_a_bad_cron_expression_is_refused_naming_the_job(settings):
    settings.OPENWARD_SCHEDULE = [("every five minutes", "run_notification_jobs", [])]
    with pytest.raises(CommandError, match='"every five minutes" for run_notification_jobs is not a cron expression'):
        call_command("run_scheduler", "--list", stdout=StringIO())
