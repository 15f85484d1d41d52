"""Engagement writes: each is one atomic, audited service named in domain words; email goes after commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format

from openward.accounts.models import Role
from openward.accounts.permissions import has_role
from openward.core import audit
from openward.notifications import services as notifications
from openward.notifications.models import Notice, Subscriber

from . import html, selectors
from .models import (
    Action,
    AgendaItem,
    Attendance,
    Bulletin,
    BulletinImage,
    Event,
    MeetingRecord,
    MinuteEntry,
    Registration,
    Reply,
    Topic,
    VolunteerReport,
    VolunteerSignup,
    VolunteerTask,
    new_token,
)


def _ward_code(item) -> str:
    ward = getattr(item, "ward", None)
    return ward.gss_code if ward else ""


# Events and meetings


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "l j F Y, H:i") if moment else "not given"


def _check_event(event: Event) -> None:
    if event.ends_at and event.ends_at < event.starts_at:
        raise ValidationError("The end time is before the start time.")
    if event.mode != Event.Mode.IN_PERSON and not event.online_link:
        raise ValidationError("Give the online link for an online or hybrid event (only people registered see it).")
    if event.mode != Event.Mode.ONLINE and not event.address:
        raise ValidationError("Give the address for an event held in person.")


GROUP_MEETING_REFUSED = (
    "Only a stop-and-search monitoring group's chair schedules the group's meetings, from the group's own "
    "meetings page. Choose another kind of event."
)


def check_kind_allowed(actor, event: Event) -> None:
    """A monitoring group meeting is held in a borough by its group; only the chair for that borough (or a
    site administrator) may make one, and only they may turn an event into one."""
    if event.kind != Event.Kind.MONITORING_GROUP:
        return
    if event.borough_id is None or not has_role(actor, [Role.MONITORING_CHAIR], event.borough):
        raise ValidationError(GROUP_MEETING_REFUSED)


def check_future(starts_at) -> None:
    """Refuse a start in the past, in the words the event form and the API both show."""
    if starts_at is not None and starts_at < timezone.now():
        raise ValidationError(
            f"{_when(starts_at)} is in the past. Give a date and time from now on "
            "(a meeting already held is written up from its page instead)."
        )


@transaction.atomic
def schedule_event(
    actor, *, agenda: Sequence[str] = (), notify: bool = True, allow_past: bool = False, **fields
) -> Event:
    """Publish an event; a panel meeting's agenda carries the place's overdue actions forward.

    Events start from now on; `allow_past` is for loading meetings already held (the demo, imports)."""
    event = Event(created_by=actor, **fields)
    check_kind_allowed(actor, event)
    if not allow_past:
        check_future(event.starts_at)
    _check_event(event)
    event.full_clean()
    event.save()
    position = 0
    for position, title in enumerate([a for a in agenda if a.strip()], start=1):
        AgendaItem.objects.create(event=event, position=position, title=title.strip())
    if event.is_panel:
        carry_overdue_actions(event, start=position + 1)
    audit.record(actor, "engagement.schedule_event", event, ward_code=_ward_code(event), title=event.title)
    if notify:
        notifications.announce(
            Notice.Kind.EVENT, event.pk, f"event:{event.pk}", f"{event.get_kind_display()}: {event.title}"
        )
    return event


# What registered people are told when these change, in their words.
TOLD_WHEN_CHANGED = {
    "title": "Title",
    "starts_at": "Starts",
    "ends_at": "Ends",
    "mode": "How to attend",
    "address": "Address",
    "online_link": "Online link",
    "capacity": "Places",
    "description": "Description",
}


def _said(event: Event, name: str) -> str:
    value = getattr(event, name)
    if name in ("starts_at", "ends_at"):
        return _when(value)
    if name == "mode":
        return event.get_mode_display()
    if name == "online_link":
        return "changed: see the event page" if value else "none"
    return str(value) if value not in (None, "") else "none"


@transaction.atomic
def change_event(actor, event: Event, **fields) -> list[str]:
    """Change a coming event; everyone registered or waiting is emailed what changed. Returns the changes."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError("This event is cancelled, so it cannot be changed.")
    if event.starts_at < timezone.now():
        raise ValidationError("This event has already started, so it cannot be changed. Write its record instead.")
    before = {name: _said(event, name) for name in TOLD_WHEN_CHANGED}
    old_start, old_capacity, old_kind = event.starts_at, event.capacity, event.kind
    for name, value in fields.items():
        if name not in TOLD_WHEN_CHANGED and name != "kind":
            raise ValueError(f"{name} cannot be changed here.")
        setattr(event, name, value)
    if event.kind != old_kind:
        check_kind_allowed(actor, event)
    if event.starts_at != old_start:
        check_future(event.starts_at)
    _check_event(event)
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    if event.capacity is not None and event.capacity < confirmed:
        raise ValidationError(
            f"{confirmed} people already have a place, so there must be at least {confirmed} places. "
            "Ask people to give up their place first, or cancel the event."
        )
    event.full_clean()
    event.save()
    changes = [
        f"{label}: now {after} (was {before[name]})"
        for name, label in TOLD_WHEN_CHANGED.items()
        if (after := _said(event, name)) != before[name]
    ]
    if not changes:
        return []
    audit.record(actor, "engagement.change_event", event, ward_code=_ward_code(event), changed=changes)
    emails = list(event.registrations.filter(status__in=Registration.ACTIVE).values_list("user__email", flat=True))
    if emails:
        number = Notice.objects.filter(key__startswith=f"event-changed:{event.pk}:").count() + 1
        notifications.notify_people(
            Notice.Kind.EVENT,
            event.pk,
            f"event-changed:{event.pk}:{number}",
            f"Changed: {event.title}",
            emails,
            detail="\n".join(changes),
        )
    if event.capacity is not None and (old_capacity is None or event.capacity > old_capacity):
        offer_places(event)
    return changes


@transaction.atomic
def add_agenda_item(actor, event: Event, title: str) -> AgendaItem:
    """Add an item to the end of a coming meeting's agenda."""
    title = (title or "").strip()
    if not title:
        raise ValidationError("Write the agenda item to add.")
    if len(title) > 300:
        raise ValidationError("Keep an agenda item under 300 characters; put the detail in the description.")
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError("This meeting is cancelled, so its agenda cannot change.")
    if event.is_past:
        raise ValidationError("This meeting has already started, so its agenda cannot change. Write its record.")
    last = event.agenda.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem.objects.create(event=event, position=last + 1, title=title)
    audit.record(actor, "engagement.add_agenda_item", event, ward_code=_ward_code(event), item=title)
    return item


def carry_overdue_actions(event: Event, start: int = 1) -> int:
    """Add each overdue open action of the event's place to its agenda (once)."""
    actions = Action.objects.overdue().filter(
        ward_id=event.ward_id, cluster_id=event.cluster_id, borough_id=event.borough_id
    )
    already = set(event.agenda.exclude(carried_action=None).values_list("carried_action_id", flat=True))
    added = 0
    for offset, action in enumerate(a for a in actions if a.pk not in already):
        due = action.due_date.strftime("%-d %B %Y")
        AgendaItem.objects.create(
            event=event,
            position=start + offset,
            title=f"Overdue action (due {due}, {action.owner}): {action.what}",
            carried_action=action,
        )
        added += 1
    return added


@transaction.atomic
def cancel_event(actor, event: Event, reason: str) -> Event:
    """Cancel an event and tell everyone registered."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        return event
    event.status = Event.Status.CANCELLED
    event.cancelled_reason = reason[:300]
    event.save(update_fields=["status", "cancelled_reason", "updated_at"])
    emails = list(event.registrations.filter(status__in=Registration.ACTIVE).values_list("user__email", flat=True))
    if emails:
        notifications.notify_people(
            Notice.Kind.EVENT,
            event.pk,
            f"event-cancelled:{event.pk}",
            f"Cancelled: {event.title}",
            emails,
            detail=f"This event is cancelled: {reason[:300]}",
        )
    audit.record(actor, "engagement.cancel_event", event, ward_code=_ward_code(event), reason=reason)
    return event


@transaction.atomic
def register_for_event(user, event: Event, *, share_name: bool = False) -> Registration:
    """RSVP: a confirmed place while there is room, otherwise a place on the waiting list."""
    # Locking the event row makes capacity real when many people register at once.
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError("This event has been cancelled, so you cannot register for it.")
    if event.is_past:
        raise ValidationError("This event has already started or taken place, so registration is closed.")
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration and registration.status in Registration.ACTIVE:
        return registration
    has_room = event.capacity is None or event.places_taken() < event.capacity
    status = Registration.Status.CONFIRMED if has_room else Registration.Status.WAITING
    now = timezone.now()
    if registration is None:
        registration = Registration(event=event, user=user)
    registration.status = status
    registration.share_name = share_name
    registration.waiting_since = now if status == Registration.Status.WAITING else None
    registration.offer_token = ""
    registration.offer_expires_at = None
    registration.save()
    audit.record(user, "engagement.register", registration, ward_code=_ward_code(event), status=status)
    return registration


@transaction.atomic
def cancel_registration(user, registration: Registration) -> Registration:
    """Give up a place (or leave the waiting list); a freed place is offered to the next person waiting."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in Registration.ACTIVE:
        return registration
    freed = registration.status in Registration.HOLDING
    registration.status = Registration.Status.CANCELLED
    registration.offer_token = ""
    registration.save(update_fields=["status", "offer_token", "updated_at"])
    audit.record(user, "engagement.cancel_registration", registration, ward_code=_ward_code(registration.event))
    if freed and not registration.event.is_past:
        offer_places(registration.event)
    return registration


def offer_places(event: Event) -> list[Registration]:
    """Offer each free place to the first person waiting, by email, with an accept link and a deadline."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    offered: list[Registration] = []
    if event.is_cancelled or event.is_past or event.capacity is None:
        return offered
    free = event.capacity - event.places_taken()
    waiting = event.registrations.filter(status=Registration.Status.WAITING).order_by("waiting_since", "pk")
    for registration in waiting[: max(0, free)]:
        deadline = min(timezone.now() + timedelta(hours=settings.NOTIFICATIONS["PLACE_OFFER_HOURS"]), event.starts_at)
        registration.status = Registration.Status.OFFERED
        registration.offer_token = new_token()
        registration.offer_expires_at = deadline
        registration.save(update_fields=["status", "offer_token", "offer_expires_at", "updated_at"])
        notifications.notify_people(
            Notice.Kind.PLACE_OFFER,
            registration.pk,
            f"offer:{registration.pk}:{registration.offer_token[:8]}",
            f"A place has come up: {event.title}",
            [registration.user.email],
        )
        audit.record(None, "engagement.offer_place", registration, ward_code=_ward_code(event))
        offered.append(registration)
    return offered


class OfferProblem(ValidationError):
    pass


@transaction.atomic
def accept_offer(token: str) -> Registration:
    """Take an offered place before its deadline."""
    registration = Registration.objects.select_for_update().filter(offer_token=token).first() if token else None
    if registration is None:
        raise OfferProblem("This link is not a current place offer. It may have been used already or changed.")
    if registration.status == Registration.Status.CONFIRMED:
        return registration
    if registration.status != Registration.Status.OFFERED:
        raise OfferProblem("This offer is no longer open.")
    if registration.event.is_cancelled:
        raise OfferProblem("This event has been cancelled, so the place can no longer be taken.")
    if registration.offer_expires_at and registration.offer_expires_at < timezone.now():
        expire_offer(registration)
        raise OfferProblem("Sorry, this offer lapsed and the place has gone to the next person waiting.")
    registration.status = Registration.Status.CONFIRMED
    registration.save(update_fields=["status", "updated_at"])
    audit.record(registration.user, "engagement.accept_offer", registration, ward_code=_ward_code(registration.event))
    return registration


@transaction.atomic
def decline_offer(token: str) -> Registration:
    """Turn down an offered place; it goes to the next person waiting."""
    registration = Registration.objects.select_for_update().filter(offer_token=token).first() if token else None
    if registration is None or registration.status != Registration.Status.OFFERED:
        raise OfferProblem("This link is not a current place offer. It may have been used already or changed.")
    return cancel_registration(registration.user, registration)


def expire_offer(registration: Registration) -> None:
    registration.status = Registration.Status.EXPIRED
    registration.save(update_fields=["status", "updated_at"])
    audit.record(None, "engagement.offer_lapsed", registration, ward_code=_ward_code(registration.event))
    offer_places(registration.event)


@transaction.atomic
def expire_lapsed_offers(now=None) -> int:
    """Offers past their deadline lapse; each place goes to the next person waiting."""
    now = now or timezone.now()
    lapsed = list(
        Registration.objects.select_for_update().filter(status=Registration.Status.OFFERED, offer_expires_at__lt=now)
    )
    for registration in lapsed:
        expire_offer(registration)
    return len(lapsed)


@transaction.atomic
def send_event_reminders(now=None, hours: int = 24) -> int:
    """Remind people with a place about events starting within `hours` (once per event)."""
    now = now or timezone.now()
    events = Event.objects.scheduled().filter(
        starts_at__gt=now, starts_at__lte=now + timedelta(hours=hours), reminder_sent_at__isnull=True
    )
    sent = 0
    for event in events.select_for_update():
        emails = list(
            event.registrations.filter(status=Registration.Status.CONFIRMED).values_list("user__email", flat=True)
        )
        if emails:
            notifications.notify_people(
                Notice.Kind.REMINDER, event.pk, f"reminder:{event.pk}", f"Reminder: {event.title}", emails
            )
        event.reminder_sent_at = now
        event.save(update_fields=["reminder_sent_at"])
        sent += 1
    return sent


# Meeting records


@transaction.atomic
def add_topic(actor, name: str, *, ward=None, cluster=None) -> Topic:
    """A panel adds a minutes topic of its own."""
    from django.utils.text import slugify

    name = name.strip()
    if not name:
        raise ValidationError("Give the topic a name.")
    existing = Topic.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    slug = slugify(name)[:70] or "topic"
    if Topic.objects.filter(slug=slug).exists():
        slug = f"{slug}-{Topic.objects.count() + 1}"
    topic = Topic.objects.create(name=name, slug=slug, added_for_ward=ward, added_for_cluster=cluster)
    audit.record(actor, "engagement.add_topic", topic, ward_code=ward.gss_code if ward else "")
    return topic


@transaction.atomic
def write_meeting_record(
    actor,
    event: Event,
    *,
    summary: str = "",
    minutes: dict[Topic, str] | None = None,
    attendance: list[dict] | None = None,
    publish: bool = False,
) -> MeetingRecord:
    """Write or correct a meeting's record (minutes by topic, attendance), optionally publishing it.

    Corrections to a published record change text; they never remove what was published.
    """
    if event.starts_at > timezone.now():
        raise ValidationError("A meeting record can be written once the meeting has started.")
    roles = {row.get("role") for row in attendance or ()}
    unknown = sorted(str(role) for role in roles - set(Attendance.Role.values))
    if unknown:
        raise ValidationError(
            f"Unknown attendance role {', '.join(unknown)}. Use one of: {', '.join(Attendance.Role.values)}."
        )
    record, _ = MeetingRecord.objects.select_for_update().get_or_create(event=event)
    record.summary = summary
    for topic, text in (minutes or {}).items():
        text = text.strip()
        entry = MinuteEntry.objects.filter(record=record, topic=topic).first()
        if entry:
            if text or not record.is_published:
                entry.summary = text or entry.summary
                entry.save(update_fields=["summary"])
        elif text:
            MinuteEntry.objects.create(record=record, topic=topic, summary=text)
    if not record.is_published:
        MinuteEntry.objects.filter(record=record, summary="").delete()
    if attendance is not None:
        if record.is_published and record.attendance.exists():
            raise ValidationError("Attendance of a published record is kept; add people, do not replace them.")
        for row in attendance:
            Attendance.objects.create(
                record=record,
                role=row["role"],
                name=row.get("name", "") if row.get("agreed_to_be_named") else "",
                agreed_to_be_named=bool(row.get("agreed_to_be_named")),
                user=row.get("user"),
            )
    if publish and not record.is_published:
        record.status = MeetingRecord.Status.PUBLISHED
        record.published_at = timezone.now()
        record.published_by = actor
    record.save()
    audit.record(
        actor, "engagement.write_meeting_record", record, ward_code=_ward_code(event), published=record.is_published
    )
    return record


def _check_priority(event: Event, priority_id) -> None:
    """The priority an action serves must be one of the meeting's ward (or of a ward inside its area)."""
    # By label, not import: priorities builds on engagement, so engagement names its model lazily.
    priority = apps.get_model("priorities", "Priority")
    if event.ward_id:
        in_place = Q(ward=event.ward_id)
    elif event.cluster_id:
        in_place = Q(ward__clusters=event.cluster_id)
    else:
        in_place = Q(ward__borough=event.borough_id, ward__borough__isnull=False)
    if not priority.objects.filter(in_place, pk=priority_id).exists():
        raise ValidationError(
            f"There is no priority {priority_id} in {event.area_name}. "
            "Give the number of one of its ward priorities, or leave it empty."
        )


@transaction.atomic
def agree_action(actor, record: MeetingRecord, *, what: str, owner: str, due_date=None, priority_id=None) -> Action:
    """Add an action agreed at the meeting to the register (serving one of the place's priorities, if any)."""
    if not what.strip() or not owner.strip():
        raise ValidationError("Say what the action is and who owns it.")
    event = record.event
    if priority_id is not None:
        _check_priority(event, priority_id)
    action = Action.objects.create(
        record=record,
        ward=event.ward,
        cluster=event.cluster,
        borough=event.borough,
        what=what.strip(),
        owner=owner.strip(),
        due_date=due_date,
        priority_id=priority_id,
    )
    audit.record(actor, "engagement.agree_action", action, ward_code=_ward_code(event))
    return action


@transaction.atomic
def update_action(actor, action: Action, *, status: str, note: str = "") -> Action:
    """Move an action on (open, in progress, done, dropped) with a note of why."""
    if status not in Action.Status.values:
        raise ValidationError(f"Unknown status {status!r}.")
    action.status = status
    if note:
        action.status_note = note
    action.save(update_fields=["status", "status_note", "updated_at"])
    audit.record(actor, "engagement.update_action", action, ward_code=_ward_code(action), status=status)
    return action


# Bulletins


@transaction.atomic
def publish_bulletin(
    actor,
    *,
    title: str,
    body_html: str = "",
    body_markdown: str = "",
    kind: str = Bulletin.Kind.NEWS,
    summary: str = "",
    wards=(),
    clusters=(),
    boroughs=(),
    topics=(),
    images: Sequence[tuple] = (),
    is_demo: bool = False,
    notify: bool = True,
) -> Bulletin:
    """Publish a bulletin to the places it is aimed at (none chosen: all the author's places); subscribers
    are emailed after commit. The text is Markdown from the editor, or HTML (checked, then cleaned)."""
    body_html = _bulletin_body(body_html, body_markdown)
    wards, clusters, boroughs = _bulletin_places(actor, wards, clusters, boroughs)
    checked_images = [(html.checked_image(upload), alt) for upload, alt in images]
    bulletin = Bulletin.objects.create(
        title=title.strip(),
        kind=kind,
        summary=summary.strip(),
        body_markdown=body_markdown,
        body_html=body_html,
        author=actor,
        status=Bulletin.Status.PUBLISHED,
        published_at=timezone.now(),
        is_demo=is_demo,
    )
    bulletin.wards.set(wards)
    bulletin.clusters.set(clusters)
    bulletin.boroughs.set(boroughs)
    bulletin.topics.set(topics)
    for (upload, content_type), alt in checked_images:
        BulletinImage.objects.create(bulletin=bulletin, image=upload, content_type=content_type, alt_text=alt)
    audit.record(actor, "engagement.publish_bulletin", bulletin, title=bulletin.title)
    if notify:
        notifications.announce(Notice.Kind.BULLETIN, bulletin.pk, f"bulletin:{bulletin.pk}", bulletin.title)
    return bulletin


def _bulletin_body(body_html: str, body_markdown: str) -> str:
    if body_markdown.strip():
        return html.render_markdown(body_markdown)
    if not body_html.strip():
        raise ValidationError("Write the text of the bulletin.")
    problems = html.unsafe_parts(body_html)
    if problems:
        raise ValidationError(
            "The text contains things we do not allow for safety: "
            + "; ".join(problems[:5])
            + ". Remove them and try again."
        )
    return html.clean(body_html)


def _bulletin_places(actor, wards, clusters, boroughs) -> tuple[list, list, list]:
    """The places chosen, or when none are, every place the author works in as a team member."""
    from . import places

    wards, clusters, boroughs = list(wards), list(clusters), list(boroughs)
    if not (wards or clusters or boroughs) and actor is not None:
        wards, clusters, boroughs = places.own_places(actor, places.TEAM_ROLES)
    if not (wards or clusters or boroughs):
        raise ValidationError("Choose at least one ward, cluster or borough the bulletin is for.")
    return wards, clusters, boroughs


@transaction.atomic
def revise_bulletin(
    actor,
    bulletin: Bulletin,
    *,
    title: str,
    body_markdown: str,
    kind: str,
    summary: str = "",
    wards=(),
    clusters=(),
    boroughs=(),
    topics=(),
) -> Bulletin:
    """Correct a published bulletin: the page shows the new text and says when it was updated; nobody is
    emailed again."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status == Bulletin.Status.WITHDRAWN:
        raise ValidationError("This bulletin has been withdrawn, so it cannot be changed.")
    if not title.strip():
        raise ValidationError("Give the bulletin a title.")
    bulletin.body_html = _bulletin_body("", body_markdown)
    wards, clusters, boroughs = _bulletin_places(actor, wards, clusters, boroughs)
    bulletin.title, bulletin.kind, bulletin.summary = title.strip(), kind, summary.strip()
    bulletin.body_markdown = body_markdown
    bulletin.revised_at = timezone.now()
    bulletin.full_clean()
    bulletin.save()
    bulletin.wards.set(wards)
    bulletin.clusters.set(clusters)
    bulletin.boroughs.set(boroughs)
    bulletin.topics.set(topics)
    audit.record(actor, "engagement.revise_bulletin", bulletin, title=bulletin.title)
    return bulletin


@transaction.atomic
def withdraw_bulletin(actor, bulletin: Bulletin, reason: str) -> Bulletin:
    """Take a bulletin off the public pages (it is kept, marked withdrawn)."""
    bulletin.status = Bulletin.Status.WITHDRAWN
    bulletin.save(update_fields=["status"])
    audit.record(actor, "engagement.withdraw_bulletin", bulletin, reason=reason)
    return bulletin


# Replies


def place_of(item):
    if isinstance(item, Event):
        return {"ward": item.ward, "cluster": item.cluster, "borough": item.borough}
    first = item.wards.first()
    if first:
        return {"ward": first, "cluster": None, "borough": None}
    cluster = item.clusters.first()
    if cluster:
        return {"ward": None, "cluster": cluster, "borough": None}
    return {"ward": None, "cluster": None, "borough": item.boroughs.first()}


@transaction.atomic
def receive_reply(item, *, sender_email: str, body: str, user=None) -> Reply:
    """A resident's reply to a bulletin or an event reaches the team's inbox.

    Only people we know may reply: a signed-in person, or a subscriber still receiving our email.
    """
    from django.contrib.auth import get_user_model

    email = (sender_email or "").strip().lower()
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write your reply before sending it.")
    if len(body) > 5000:
        raise ValidationError("Keep your reply under 5,000 characters.")
    if isinstance(item, Bulletin) and item.status != Bulletin.Status.PUBLISHED:
        raise ValidationError("This bulletin is no longer published, so it cannot take replies.")
    subscriber = Subscriber.objects.filter(email=email).first()
    known_user = user or get_user_model().objects.filter(email=email).first()
    if subscriber is not None and not subscriber.is_receiving and user is None:
        raise ValidationError(
            f"{email} has unsubscribed, so we cannot take replies from it by email. "
            "Sign in, or subscribe again from the preferences page."
        )
    if subscriber is None and known_user is None:
        raise ValidationError(
            f"We do not know the address {email or '(none given)'}. Reply from the address our email was sent to, "
            "or sign in first."
        )
    reply = Reply.objects.create(
        bulletin=item if isinstance(item, Bulletin) else None,
        event=item if isinstance(item, Event) else None,
        sender_email=email,
        user=known_user,
        body=body,
        **place_of(item),
    )
    audit.record(known_user, "engagement.receive_reply", reply, ward_code=_ward_code(reply))
    return reply


@transaction.atomic
def answer_reply(actor, reply: Reply, answer: str) -> Reply:
    """The team answers a reply; the answer is emailed to the resident."""
    answer = answer.strip()
    if not answer:
        raise ValidationError("Write an answer before sending it.")
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if reply.answered_at:
        raise ValidationError("This reply has already been answered.")
    reply.answer = answer
    reply.answered_at = timezone.now()
    reply.answered_by = actor
    reply.save(update_fields=["answer", "answered_at", "answered_by"])
    notifications.notify_people(
        Notice.Kind.ANSWER, reply.pk, f"answer:{reply.pk}", f"Re: {reply.item.title}", [reply.sender_email]
    )
    audit.record(actor, "engagement.answer_reply", reply, ward_code=_ward_code(reply))
    return reply


SMALL_COUNT = 5


def reply_figures(area, *, now=None) -> dict:
    """Replies received and the share answered within 7 days (the last 12 months; small counts suppressed)."""
    counts = selectors.reply_counts(area, now=now)
    suppressed = counts["received"] < SMALL_COUNT
    return {
        "received": None if suppressed else counts["received"],
        "suppressed": suppressed,
        "answered_within_7_days_share": (
            None if suppressed or counts["settled"] == 0 else round(100 * counts["on_time"] / counts["settled"])
        ),
        "settled": counts["settled"],
    }


# Volunteering


@transaction.atomic
def create_volunteer_task(actor, **fields) -> VolunteerTask:
    """Publish a volunteering task."""
    task = VolunteerTask(created_by=actor, **fields)
    task.full_clean()
    task.save()
    audit.record(actor, "engagement.create_volunteer_task", task, ward_code=task.ward.gss_code)
    return task


@transaction.atomic
def sign_up_to_volunteer(user, task: VolunteerTask, *, confirms_vetting: bool = False) -> VolunteerSignup:
    """Take a volunteering place, confirming the vetting the task needs."""
    task = VolunteerTask.objects.select_for_update().get(pk=task.pk)
    if task.status != VolunteerTask.Status.OPEN:
        raise ValidationError("This task is not open for sign-up.")
    if task.starts_at < timezone.now():
        raise ValidationError("This task has already started, so sign-up is closed.")
    if task.vetting != VolunteerTask.Vetting.NONE and not confirms_vetting:
        raise ValidationError(f"This task needs: {task.get_vetting_display()}. Confirm you hold it to sign up.")
    signup = VolunteerSignup.objects.filter(task=task, user=user).first()
    if signup and signup.status == VolunteerSignup.Status.SIGNED_UP:
        return signup
    if task.places_left() <= 0:
        raise ValidationError("All the places on this task are taken.")
    if signup is None:
        signup = VolunteerSignup(task=task, user=user)
    signup.status = VolunteerSignup.Status.SIGNED_UP
    signup.confirms_vetting = confirms_vetting
    signup.save()
    audit.record(user, "engagement.volunteer", signup, ward_code=task.ward.gss_code)
    return signup


@transaction.atomic
def withdraw_from_volunteering(user, signup: VolunteerSignup) -> VolunteerSignup:
    """Give a volunteering place back."""
    signup.status = VolunteerSignup.Status.CANCELLED
    signup.save(update_fields=["status"])
    audit.record(user, "engagement.withdraw_volunteering", signup, ward_code=signup.task.ward.gss_code)
    return signup


@transaction.atomic
def report_volunteering(
    actor, task: VolunteerTask, *, volunteers: int, hours: Decimal, findings: str
) -> VolunteerReport:
    """Record what the volunteers did: hours and what was found or done."""
    if task.starts_at > timezone.now():
        raise ValidationError("Report on a task once it has taken place.")
    if hours is None or hours < 0 or volunteers is None or volunteers < 0:
        raise ValidationError("Hours and the number of volunteers must be zero or more.")
    if not findings.strip():
        raise ValidationError("Say what was found or done.")
    report, _ = VolunteerReport.objects.update_or_create(
        task=task,
        defaults={"volunteers": volunteers, "hours": hours, "findings": findings.strip(), "submitted_by": actor},
    )
    task.status = VolunteerTask.Status.COMPLETED
    task.save(update_fields=["status"])
    audit.record(actor, "engagement.report_volunteering", report, ward_code=task.ward.gss_code, hours=str(hours))
    return report
