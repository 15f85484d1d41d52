"""The delivery ledger at work: write rows, claim them, send, mark each sent.

Guarantee: at-least-once. A row is written (pending) before anything is sent, claimed by one
worker (status `sending`, a claim id, a time), sent over SMTP, and marked `sent` as soon as the
server has accepted it (marks are written every MARK_EVERY messages, default 10, and at the end
of the batch). A worker that dies leaves its claimed rows in `sending`; once the lease has
passed they are claimed and sent again. So nobody is missed, and the only messages that can
arrive twice are those in flight when a worker died: accepted by the SMTP server but not yet
marked sent — at most MARK_EVERY per worker.
A sent row is never claimed again, so a re-run fan-out or a duplicate task sends nothing twice.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from .messages import Composer
from .models import Delivery, Notice

logger = logging.getLogger(__name__)


def config(name: str) -> int:
    return settings.NOTIFICATIONS[name]


def claimable_q(now) -> Q:
    lease = timedelta(seconds=config("LEASE_SECONDS"))
    return (
        Q(status=Delivery.Status.PENDING)
        | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - lease)
        | Q(status=Delivery.Status.RETRY, next_attempt_at__lte=now)
    )


def claim(delivery_ids: list[int]) -> tuple[str, list[Delivery]]:
    """Claim the rows no live worker holds; the UPDATE's WHERE makes two claimers exclusive."""
    now = timezone.now()
    claim_id = uuid.uuid4().hex
    Delivery.objects.filter(pk__in=delivery_ids).filter(claimable_q(now)).update(
        status=Delivery.Status.SENDING, claim=claim_id, claimed_at=now, attempts=F("attempts") + 1
    )
    rows = list(Delivery.objects.filter(claim=claim_id).select_related("subscriber").order_by("pk"))
    return claim_id, rows


def _release_for_retry(rows: list[Delivery], claim_id: str, error: str) -> None:
    now = timezone.now()
    for row in rows:
        attempts = row.attempts
        if attempts >= config("MAX_ATTEMPTS"):
            status, next_at = Delivery.Status.FAILED, None
        else:
            status = Delivery.Status.RETRY
            next_at = now + timedelta(seconds=min(3600, config("RETRY_SECONDS") * 2 ** (attempts - 1)))
        Delivery.objects.filter(pk=row.pk, claim=claim_id).update(
            status=status, next_attempt_at=next_at, claim="", last_error=error[:500]
        )


def send_batch(notice_id: int, delivery_ids: list[int]) -> dict:
    """Send the claimable rows among `delivery_ids` over one SMTP connection."""
    notice = Notice.objects.get(pk=notice_id)
    claim_id, rows = claim(delivery_ids)
    counts = {"sent": 0, "skipped": 0, "retry": 0, "failed": 0}
    if not rows:
        return counts
    composer = Composer(notice)
    _relax_commit_flush()
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning("SMTP unavailable for notice %s: %s", notice_id, exc)
        _release_for_retry(rows, claim_id, f"SMTP unavailable: {exc}")
        counts["retry"] = len(rows)
        return counts
    # Hand back what is left well before the lease ends, so a slow batch is never sent twice.
    give_back_at = timezone.now() + timedelta(seconds=config("LEASE_SECONDS") / 2)
    accepted: list[int] = []  # accepted by the SMTP server, not yet marked sent: the messages in flight
    try:
        for index, row in enumerate(rows):
            if timezone.now() > give_back_at:
                rest = [r.pk for r in rows[index:]]
                Delivery.objects.filter(pk__in=rest, claim=claim_id).update(status=Delivery.Status.PENDING, claim="")
                send_deliveries.enqueue(notice_id, rest)
                return counts
            subscriber = row.subscriber
            message = composer.message(subscriber) if subscriber.is_receiving else None
            if message is None:
                Delivery.objects.filter(pk=row.pk, claim=claim_id).update(status=Delivery.Status.SKIPPED, claim="")
                counts["skipped"] += 1
                continue
            try:
                connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused as exc:
                Delivery.objects.filter(pk=row.pk, claim=claim_id).update(
                    status=Delivery.Status.FAILED, claim="", last_error=f"Refused: {exc.recipients}"[:500]
                )
                counts["failed"] += 1
                continue
            except (OSError, smtplib.SMTPException) as exc:
                logger.warning("SMTP failed mid-batch for notice %s: %s", notice_id, exc)
                _release_for_retry(rows[index:], claim_id, f"SMTP error: {exc}")
                counts["retry"] += len(rows) - index
                return counts
            accepted.append(row.pk)
            if len(accepted) >= config("MARK_EVERY"):
                mark_sent(accepted, claim_id)
            counts["sent"] += 1
    finally:
        mark_sent(accepted, claim_id)
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            pass
    return counts


def mark_sent(accepted: list[int], claim_id: str) -> None:
    if accepted:
        Delivery.objects.filter(pk__in=accepted, claim=claim_id).update(
            status=Delivery.Status.SENT, sent_at=timezone.now(), claim=""
        )
        accepted.clear()


def _relax_commit_flush() -> None:
    """On PostgreSQL, don't wait for the WAL flush on each "sent" mark.

    A dead worker loses nothing (the database has the commit); only a crash of the database server
    itself could forget the last fraction of a second of marks, and those messages would be sent
    again: still at-least-once. Waiting for the flush costs several milliseconds per message.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


def outstanding(notice_id: int | None = None):
    """Rows not yet settled: waiting, claimed, or due for a retry."""
    rows = Delivery.objects.filter(status__in=(Delivery.Status.PENDING, Delivery.Status.SENDING, Delivery.Status.RETRY))
    return rows.filter(notice_id=notice_id) if notice_id is not None else rows


def due(notice_id: int | None = None) -> list[tuple[int, int]]:
    """(notice, delivery) pairs a sweep should hand to workers: lost claims, due retries, stale pending rows."""
    now = timezone.now()
    lease = timedelta(seconds=config("LEASE_SECONDS"))
    rows = outstanding(notice_id).filter(
        Q(status=Delivery.Status.PENDING, created_at__lt=now - lease)
        | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - lease)
        | Q(status=Delivery.Status.RETRY, next_attempt_at__lte=now)
    )
    return list(rows.order_by("notice_id", "pk").values_list("notice_id", "pk"))


@task()
def send_deliveries(notice_id: int, delivery_ids: list[int]) -> dict:
    """Send one chunk of ledger rows over one SMTP connection (a background task)."""
    return send_batch(notice_id, delivery_ids)


def enqueue_sends(notice_id: int, delivery_ids: list[int], chunk: int) -> None:
    for start in range(0, len(delivery_ids), chunk):
        send_deliveries.enqueue(notice_id, delivery_ids[start : start + chunk])
