"""Background tasks for notification fan-out (django-tasks: the database worker, or RQ on Redis)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task


@task()
def fan_out(notice_id: int) -> int:
    """Write the ledger rows for a notice's audience, then hand them to senders in chunks."""
    from . import services

    return services.fan_out_notice(notice_id)


@task()
def send_deliveries(notice_id: int, delivery_ids: list[int]) -> dict:
    """Send one chunk of ledger rows over one SMTP connection."""
    from . import delivery

    return delivery.send_batch(notice_id, delivery_ids)


@task()
def sweep(notice_id: int) -> int:
    """Re-send what a dead worker or a failed SMTP server left behind; repeats until the notice is settled."""
    from . import services

    return services.sweep_notice(notice_id)


def enqueue_sends(notice_id: int, delivery_ids: list[int], chunk: int) -> None:
    for start in range(0, len(delivery_ids), chunk):
        send_deliveries.enqueue(notice_id, delivery_ids[start : start + chunk])


def schedule_sweep(notice_id: int, seconds: int) -> bool:
    """Enqueue a sweep to run later, when the task backend can defer (the immediate backend cannot)."""
    if not sweep.get_backend().supports_defer:
        return False
    sweep.using(run_after=timezone.now() + timedelta(seconds=seconds)).enqueue(notice_id)
    return True
