"""Meeting records: minutes topics, the record (minutes by topic, attendance, publishing) and the actions
agreed, tracked to completion. Each write is atomic and audited; a published record is kept for good."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from openward.core import audit

from .. import selectors
from ..models import Action, Attendance, Event, MeetingRecord, MinuteEntry, Topic
from .common import ward_code


@transaction.atomic
def add_topic(actor, name: str, *, ward=None, cluster=None) -> Topic:
    """A panel adds a minutes topic of its own."""
    name = name.strip()
    if not name:
        raise ValidationError("Give the topic a name.")
    # The same name already offered to this panel is that topic; a name only another panel or a monitoring
    # group uses becomes this panel's own (else the panel would never see the topic it added).
    offered = Topic.standard_for(Topic.Meetings.PANELS)
    if ward is not None:
        offered |= Q(added_for_ward=ward)
    if cluster is not None:
        offered |= Q(added_for_cluster=cluster)
    existing = Topic.objects.filter(offered, name__iexact=name).first()
    if existing:
        return existing
    base = slug = slugify(name)[:70] or "topic"
    n = Topic.objects.count()
    while Topic.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
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
    offered = list(selectors.topics_for(event))
    not_offered = sorted(f"“{topic.name}”" for topic in minutes or {} if topic not in offered)
    if not_offered:
        raise ValidationError(
            f"{', '.join(not_offered)} {'is not a topic' if len(not_offered) == 1 else 'are not topics'} of a "
            f"{event.get_kind_display().lower()}'s record. Write under one of its topics: "
            f"{', '.join(t.name for t in offered)}."
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
        actor, "engagement.write_meeting_record", record, ward_code=ward_code(event), published=record.is_published
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
    audit.record(actor, "engagement.agree_action", action, ward_code=ward_code(event))
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
    audit.record(actor, "engagement.update_action", action, ward_code=ward_code(action), status=status)
    return action
