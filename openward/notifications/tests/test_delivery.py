"""Every path of the delivery ledger (notifications/delivery.py) against a real SMTP server on loopback:
sent, skipped, refused (failed for good), an SMTP error mid-batch (the rest retried), a batch that
outlives half its lease (the rest handed back), and a row that has used up its attempts."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from openward.engagement.services import bulletins
from openward.notifications import delivery, services
from openward.notifications.models import Delivery, Notice, Subscription
from tests.support import free_port

pytestmark = pytest.mark.django_db

PINNED = datetime(2025, 3, 12, 10, 30, tzinfo=UTC)


class ScriptedServer:
    """A real SMTP server that refuses chosen recipients, answers 451 to the nth message, or runs a hook."""

    def __init__(self, refuse=(), fail_message=None, on_message=None):
        self.refuse = set(refuse)
        self.fail_message = fail_message
        self.on_message = on_message
        self.lock = threading.Lock()
        self.received: list[str] = []
        self.data_commands = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_commands += 1
            if self.data_commands == self.fail_message:
                return "451 4.3.0 Temporary local problem, try again later"
            self.received.extend(envelope.rcpt_tos)
            if self.on_message:
                self.on_message(self.data_commands)
        return "250 OK"


@pytest.fixture
def scripted_smtp(settings):
    """Start a ScriptedServer on loopback and point Django's SMTP backend at it."""
    controllers = []

    def start(**script):
        handler = ScriptedServer(**script)
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", controller.port, False
        return handler

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def bulletin_notice(ward, officer, django_capture_on_commit_callbacks):
    """A published bulletin's notice; nobody subscribes yet, so the fan-out wrote no rows."""
    with django_capture_on_commit_callbacks(execute=True):
        bulletin = bulletins.publish_bulletin(
            officer, bulletins.BulletinFields(title="Appeal", body_html="<p>Help</p>", wards=[ward])
        )
    notice = Notice.objects.get(key=f"bulletin:{bulletin.pk}")
    assert not notice.deliveries.exists()
    return notice


def ledger(notice, emails) -> list[int]:
    """Pending rows for `emails`, in this order."""
    rows = [Delivery.objects.create(notice=notice, subscriber=services.subscriber_for(e)) for e in emails]
    return [r.pk for r in rows]


def statuses(ids) -> list[str]:
    by_pk = dict(Delivery.objects.filter(pk__in=ids).values_list("pk", "status"))
    return [by_pk[pk] for pk in ids]


EMAILS = [f"p{i}@example.org" for i in range(5)]


def test_every_row_sent_is_marked_sent_and_unclaimed(scripted_smtp, bulletin_notice):
    server = scripted_smtp()
    ids = ledger(bulletin_notice, EMAILS)
    counts = delivery.send_batch(bulletin_notice.pk, ids)
    assert counts == {"sent": 5, "skipped": 0, "retry": 0, "failed": 0}
    assert server.received == EMAILS
    assert statuses(ids) == ["sent"] * 5
    assert set(Delivery.objects.filter(pk__in=ids).values_list("claim", "attempts")) == {("", 1)}
    assert delivery.send_batch(bulletin_notice.pk, ids)["sent"] == 0 and server.received == EMAILS


def test_someone_who_unsubscribed_after_the_row_was_written_is_skipped(scripted_smtp, bulletin_notice):
    server = scripted_smtp()
    ids = ledger(bulletin_notice, EMAILS[:3])
    services.unsubscribe(services.subscriber_for(EMAILS[1]))
    counts = delivery.send_batch(bulletin_notice.pk, ids)
    assert counts == {"sent": 2, "skipped": 1, "retry": 0, "failed": 0}
    assert server.received == [EMAILS[0], EMAILS[2]]
    assert statuses(ids) == ["sent", "skipped", "sent"]
    assert Delivery.objects.get(pk=ids[1]).claim == ""
    assert not delivery.outstanding(bulletin_notice.pk).exists(), "a skipped row is settled, never retried"


def test_an_empty_digest_is_skipped_and_a_full_one_sent(scripted_smtp, bulletin_notice, ward, other_ward):
    server = scripted_smtp()
    with_news, without = services.subscriber_for("news@example.org"), services.subscriber_for("quiet@example.org")
    Subscription.objects.create(subscriber=with_news, ward=ward)
    Subscription.objects.create(subscriber=without, ward=other_ward)
    digest = Notice.objects.create(kind=Notice.Kind.DIGEST, key="digest:test", subject="Your weekly digest")
    ids = [Delivery.objects.create(notice=digest, subscriber=s).pk for s in (with_news, without)]
    counts = delivery.send_batch(digest.pk, ids)
    assert counts == {"sent": 1, "skipped": 1, "retry": 0, "failed": 0}
    assert server.received == ["news@example.org"]
    assert statuses(ids) == ["sent", "skipped"]


def test_a_refused_recipient_fails_for_good_and_the_rest_are_sent(scripted_smtp, bulletin_notice):
    server = scripted_smtp(refuse={EMAILS[1]})
    ids = ledger(bulletin_notice, EMAILS[:3])
    counts = delivery.send_batch(bulletin_notice.pk, ids)
    assert counts == {"sent": 2, "skipped": 0, "retry": 0, "failed": 1}
    assert server.received == [EMAILS[0], EMAILS[2]]
    assert statuses(ids) == ["sent", "failed", "sent"]
    refused = Delivery.objects.get(pk=ids[1])
    assert refused.claim == "" and refused.last_error.startswith("Refused: ") and EMAILS[1] in refused.last_error
    assert "550" in refused.last_error
    assert delivery.due(bulletin_notice.pk) == [] and delivery.claim(ids)[1] == [], "a refused row is never retried"


def test_an_smtp_error_mid_batch_keeps_what_was_sent_and_retries_the_rest(
    scripted_smtp, bulletin_notice, settings, time_machine
):
    time_machine.move_to(PINNED, tick=False)
    server = scripted_smtp(fail_message=3)
    ids = ledger(bulletin_notice, EMAILS)
    counts = delivery.send_batch(bulletin_notice.pk, ids)
    assert counts == {"sent": 2, "skipped": 0, "retry": 3, "failed": 0}
    assert server.received == EMAILS[:2]
    assert statuses(ids) == ["sent", "sent", "retry", "retry", "retry"]
    retry_in = timedelta(seconds=settings.NOTIFICATIONS["RETRY_SECONDS"])
    for row in Delivery.objects.filter(pk__in=ids[2:]):
        assert row.claim == "" and row.attempts == 1 and row.next_attempt_at == PINNED + retry_in
        assert row.last_error.startswith("SMTP error: ") and "451" in row.last_error
    assert delivery.due(bulletin_notice.pk) == [], "not due before the retry time"

    time_machine.move_to(PINNED + retry_in, tick=False)
    assert [pk for _, pk in delivery.due(bulletin_notice.pk)] == ids[2:]
    assert delivery.send_batch(bulletin_notice.pk, ids) == {"sent": 3, "skipped": 0, "retry": 0, "failed": 0}
    assert server.received == EMAILS, "each person exactly once: the sent rows were not sent again"
    assert statuses(ids) == ["sent"] * 5


def test_retries_double_their_wait_and_stop_at_max_attempts(scripted_smtp, bulletin_notice, settings, time_machine):
    time_machine.move_to(PINNED, tick=False)
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "MAX_ATTEMPTS": 3}
    [pk] = ledger(bulletin_notice, EMAILS[:1])
    retry = settings.NOTIFICATIONS["RETRY_SECONDS"]
    for attempt, wait in ((1, retry), (2, 2 * retry)):
        scripted_smtp(fail_message=1)
        assert delivery.send_batch(bulletin_notice.pk, [pk])["retry"] == 1
        row = Delivery.objects.get(pk=pk)
        assert (row.status, row.attempts) == ("retry", attempt)
        assert row.next_attempt_at == timezone.now() + timedelta(seconds=wait)
        time_machine.move_to(row.next_attempt_at, tick=False)
    scripted_smtp(fail_message=1)
    delivery.send_batch(bulletin_notice.pk, [pk])
    row = Delivery.objects.get(pk=pk)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 3, None)
    assert not delivery.outstanding(bulletin_notice.pk).exists()


def test_a_batch_past_half_its_lease_hands_the_rest_back_to_the_queue(
    scripted_smtp, bulletin_notice, settings, time_machine
):
    """The rest go back to pending and to a new task before the lease ends, so no other worker sends them too."""
    time_machine.move_to(PINNED, tick=False)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    half_lease = timedelta(seconds=settings.NOTIFICATIONS["LEASE_SECONDS"] / 2)

    def slow_second_message(n):
        if n == 2:
            time_machine.shift(half_lease + timedelta(seconds=1))

    server = scripted_smtp(on_message=slow_second_message)
    ids = ledger(bulletin_notice, EMAILS)
    counts = delivery.send_batch(bulletin_notice.pk, ids)
    assert counts == {"sent": 2, "skipped": 0, "retry": 0, "failed": 0}
    assert server.received == EMAILS[:2]
    assert statuses(ids) == ["sent", "sent", "pending", "pending", "pending"]
    assert set(Delivery.objects.filter(pk__in=ids[2:]).values_list("claim", flat=True)) == {""}

    from django_tasks import task_backends

    [queued] = task_backends["default"].results
    assert queued.task.name == "send_deliveries" and queued.args == [bulletin_notice.pk, ids[2:]]
    _, reclaimed = delivery.claim(ids)
    assert [r.pk for r in reclaimed] == ids[2:], "handed back: claimable at once, and only the unsent rows"
