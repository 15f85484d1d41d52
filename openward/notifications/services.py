"""Subscriptions and notices: every write here is one atomic service; email leaves after commit."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from openward.areas.geo import generation_for, successor
from openward.core import audit

from . import delivery, subjects
from .models import Delivery, Notice, Subscriber, Subscription


def config(name: str) -> int:
    return delivery.config(name)


def subscriber_for(email: str, user=None) -> Subscriber:
    email = email.strip().lower()
    subscriber, created = Subscriber.objects.get_or_create(email=email, defaults={"user": user})
    if user is not None and subscriber.user_id is None:
        subscriber.user = user
        subscriber.save(update_fields=["user"])
    return subscriber


@transaction.atomic
def subscribe(user, *wards, topics=None, frequency: str | None = None) -> Subscriber:
    """Subscribe a signed-in person to notices for each of `wards`, and turn their emails back on.

    `topics` replaces each subscription's topics (empty: everything); None keeps what the person chose
    before. A subscription is audited when it is made or its topics are set."""
    subscriber = subscriber_for(user.email, user)
    changed = []
    if subscriber.unsubscribed_at is not None:
        subscriber.unsubscribed_at = None
        changed.append("unsubscribed_at")
    if frequency and frequency != subscriber.frequency:
        subscriber.frequency = frequency
        changed.append("frequency")
    if changed:
        subscriber.save(update_fields=changed)
    for ward in wards:
        subscription, created = Subscription.objects.get_or_create(subscriber=subscriber, ward=ward)
        if topics is not None:
            subscription.topics.set(topics)
        if created or topics is not None:
            audit.record(user, "notifications.subscribe", subscription, ward_code=ward.gss_code)
    return subscriber


@transaction.atomic
def unsubscribe(subscriber: Subscriber, *, actor=None) -> bool:
    """Stop every email to this address. Idempotent: returns False when it was already stopped."""
    updated = Subscriber.objects.filter(pk=subscriber.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    if updated:
        audit.record(actor, "notifications.unsubscribe", subscriber)
    subscriber.refresh_from_db()
    return bool(updated)


@transaction.atomic
def update_preferences(subscriber: Subscriber, *, frequency: str, wards, topics=(), receiving: bool = True, actor=None):
    """Set a subscriber's wards, topics and frequency (or stop everything)."""
    subscriber.frequency = frequency
    subscriber.unsubscribed_at = None if receiving else (subscriber.unsubscribed_at or timezone.now())
    subscriber.save(update_fields=["frequency", "unsubscribed_at"])
    wards = list(wards)
    subscriber.subscriptions.exclude(ward__in=wards).delete()
    for ward in wards:
        subscription, _ = Subscription.objects.get_or_create(subscriber=subscriber, ward=ward)
        subscription.topics.set(topics)
    # Choosing wards again answers any "your ward changed" question.
    subscriber.subscriptions.filter(needs_review=True).update(needs_review=False, review_reason="")
    audit.record(actor, "notifications.preferences", subscriber, frequency=frequency, wards=[w.gss_code for w in wards])
    return subscriber


@transaction.atomic
def remap_subscriptions(generation, *, actor=None) -> dict:
    """After a new ward generation is imported: move each subscription on an older ward to its successor
    (the same code, or the new ward holding most of it), merging with one the person already has; flag
    the rest for the person to choose (their preferences page and the API say why).

    Set-based: the subscriptions are read once, each old ward's successor is found once, and the moves,
    merges, flags and their audit rows are written in bulk, however many people follow a ward."""
    counts = {"moved": 0, "merged": 0, "flagged": 0}
    stale_rows = Subscription.objects.exclude(ward__generation=generation)
    stale = list(stale_rows.select_related("ward").order_by("pk"))
    successors = {ward.pk: successor(ward, generation) for ward in {s.ward for s in stale}}
    targets = {found.ward.pk for found in successors.values() if found.ward is not None}
    # (subscriber, new ward) → the subscription already there, for everyone with a stale subscription.
    held = {
        (subscriber_id, ward_id): pk
        for subscriber_id, ward_id, pk in Subscription.objects.filter(
            ward__in=targets, subscriber__in=stale_rows.values("subscriber")
        ).values_list("subscriber_id", "ward_id", "pk")
    }
    flagged, merged, moved = [], [], []
    for subscription in stale:
        old, found = subscription.ward, successors[subscription.ward_id]
        if found.ward is None:
            counts["flagged"] += 1
            if not subscription.needs_review:  # flagged before: nothing to write again
                subscription.needs_review = True
                subscription.review_reason = f"Ward boundaries changed: {found.reason}"[:300]
                flagged.append(subscription)
        elif (twin := held.get((subscription.subscriber_id, found.ward.pk))) is not None:
            counts["merged"] += 1
            merged.append((subscription, Subscription(pk=twin), found.ward, old))
        else:
            counts["moved"] += 1
            held[subscription.subscriber_id, found.ward.pk] = subscription.pk
            subscription.ward, subscription.remapped_from = found.ward, old.gss_code
            subscription.needs_review, subscription.review_reason = False, ""
            moved.append((subscription, old))
    Subscription.objects.bulk_update(flagged, ["needs_review", "review_reason"], batch_size=500)
    audit.record_many(actor, "subscription.flagged", [(s, s.ward.gss_code, {}) for s in flagged])
    doomed = [s.pk for s, *_ in merged]
    for start in range(0, len(doomed), 500):
        Subscription.objects.filter(pk__in=doomed[start : start + 500]).delete()
    audit.record_many(
        actor,
        "subscription.merged",
        [(twin, new.gss_code, {"old_ward": old.gss_code}) for _, twin, new, old in merged],
    )
    fields = ["ward", "remapped_from", "needs_review", "review_reason"]
    Subscription.objects.bulk_update([s for s, _ in moved], fields, batch_size=500)
    audit.record_many(
        actor, "subscription.remapped", [(s, s.ward.gss_code, {"old_ward": old.gss_code}) for s, old in moved]
    )
    return counts


def remap_after_boundary_import(sender, generation, **kwargs) -> dict | None:
    """When the generation in force today is imported, move subscriptions onto it (or flag them)."""
    if generation_for() != generation:
        return None  # an older (or future) pattern: subscriptions stay on today's wards
    return remap_subscriptions(generation)


def announce(kind: str, object_id: int | None, key: str, subject: str) -> Notice:
    """Create the notice for a broadcast (bulletin, event, digest); fan-out runs after commit."""
    notice, created = Notice.objects.get_or_create(
        key=key, defaults={"kind": kind, "object_id": object_id, "subject": subject[:250]}
    )
    if created:
        transaction.on_commit(lambda: fan_out.enqueue(notice.pk))
    return notice


def notify_people(kind: str, object_id: int, key: str, subject: str, emails: list[str], detail: str = "") -> Notice:
    """Email named people (a place offer, an answer, a reminder, a change): ledger rows now, sending after commit."""
    notice, _ = Notice.objects.get_or_create(
        key=key, defaults={"kind": kind, "object_id": object_id, "subject": subject[:250], "detail": detail}
    )
    subscribers = [subscriber_for(email) for email in emails]
    Delivery.objects.bulk_create([Delivery(notice=notice, subscriber=s) for s in subscribers], ignore_conflicts=True)
    notice.fanned_out_at = notice.fanned_out_at or timezone.now()
    notice.save(update_fields=["fanned_out_at"])
    ids = list(Delivery.objects.filter(notice=notice, status=Delivery.Status.PENDING).values_list("pk", flat=True))
    transaction.on_commit(lambda: delivery.enqueue_sends(notice.pk, ids, config("CHUNK")))
    transaction.on_commit(lambda: schedule_sweep(notice.pk, config("SWEEP_SECONDS")))
    return notice


def audience(notice: Notice):
    """Who gets a broadcast notice: receiving subscribers of the wards it covers (and its topics)."""
    receiving = Subscriber.objects.receiving()
    if notice.kind == Notice.Kind.DIGEST:
        return receiving.filter(frequency=Subscriber.Frequency.WEEKLY, subscriptions__isnull=False).distinct()
    find = subjects.subject(notice.kind).subscriptions if notice.kind in subjects.broadcast_kinds() else None
    if find is None:  # a broadcast kind is one registered with a `subscriptions` function
        raise ValueError(f"Notice kind {notice.kind!r} is not a broadcast.")
    subscriptions = find(notice)
    return receiving.filter(frequency=Subscriber.Frequency.IMMEDIATE, pk__in=subscriptions.values("subscriber_id"))


def fan_out_notice(notice_id: int) -> int:
    """Write one ledger row per recipient (unique, so a re-run adds nobody twice), then queue the sends."""
    notice = Notice.objects.get(pk=notice_id)
    recipient_ids = list(audience(notice).values_list("pk", flat=True))
    batch = 2000
    with transaction.atomic():
        for start in range(0, len(recipient_ids), batch):
            Delivery.objects.bulk_create(
                [Delivery(notice=notice, subscriber_id=sid) for sid in recipient_ids[start : start + batch]],
                ignore_conflicts=True,
            )
        Notice.objects.filter(pk=notice.pk).update(fanned_out_at=timezone.now())
    # The sweep goes first: if this worker dies while queueing, it still finds the rows.
    schedule_sweep(notice.pk, config("SWEEP_SECONDS"))
    ids = list(
        Delivery.objects.filter(notice=notice, status=Delivery.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    delivery.enqueue_sends(notice.pk, ids, config("CHUNK"))
    return len(ids)


def sweep_notice(notice_id: int) -> int:
    """Queue what is due again, and come back later while anything is unsettled."""
    ids = [pk for _, pk in delivery.due(notice_id)]
    delivery.enqueue_sends(notice_id, ids, config("CHUNK"))
    if delivery.outstanding(notice_id).exists():
        schedule_sweep(notice_id, config("SWEEP_SECONDS"))
    return len(ids)


def sweep_all() -> int:
    """Sweep every notice with something outstanding (the scheduled jobs command calls this)."""
    pairs = delivery.due()
    by_notice: dict[int, list[int]] = {}
    for notice_id, pk in pairs:
        by_notice.setdefault(notice_id, []).append(pk)
    for notice_id, ids in by_notice.items():
        delivery.enqueue_sends(notice_id, ids, config("CHUNK"))
    return len(pairs)


def send_weekly_digest(on=None) -> Notice:
    """The weekly digest for subscribers who asked for one (one notice per ISO week)."""
    on = on or timezone.now()
    year, week, _ = on.isocalendar()
    with transaction.atomic():
        return announce(
            Notice.Kind.DIGEST, None, f"digest:{year}-W{week:02d}", f"Your Open Ward weekly digest ({on:%d %B %Y})"
        )


# Background tasks (django-tasks: the database worker, or RQ on Redis). Delivery's own task,
# send_deliveries, lives in delivery.py, so the modules import one way: services → delivery.
@task()
def fan_out(notice_id: int) -> int:
    """Write the ledger rows for a notice's audience, then hand them to senders in chunks."""
    return fan_out_notice(notice_id)


@task()
def sweep(notice_id: int) -> int:
    """Re-send what a dead worker or a failed SMTP server left behind; repeats until the notice is settled."""
    return sweep_notice(notice_id)


def schedule_sweep(notice_id: int, seconds: int) -> bool:
    """Enqueue a sweep to run later, when the task backend can defer (the immediate backend cannot)."""
    if not sweep.get_backend().supports_defer:
        return False
    sweep.using(run_after=timezone.now() + timedelta(seconds=seconds)).enqueue(notice_id)
    return True
