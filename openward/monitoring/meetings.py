"""A monitoring group's meetings are engagement events of the kind "monitoring group meeting" placed in the
group's borough: the public finds them on the borough's pages and calendar, registers, and reads the
published record (minutes by topic, attendance, actions), all engagement's own. Only who runs them differs:
the group's chair, through the pages here, which call engagement's services; engagement's own organiser
pages stay with the roles it names (a borough's police leads may also write them up there). The meeting's
public page links the chair to the group's page for it (`chair_page`, registered with engagement).
"""

from __future__ import annotations

from django.urls import reverse

from openward.engagement import organisers
from openward.engagement.models import Event, MeetingRecord
from openward.engagement.services import events as engagement_events

from . import roles
from .models import MonitoringGroup

KIND = Event.Kind.MONITORING_GROUP


def group_meetings(group: MonitoringGroup):
    """Every meeting of the group, newest first."""
    return (
        Event.objects.filter(kind=KIND, borough=group.borough)
        .select_related("borough", "record")
        .order_by("-starts_at")
    )


def upcoming(group: MonitoringGroup):
    return Event.objects.filter(kind=KIND, borough=group.borough).scheduled().upcoming()


def published_records(group: MonitoringGroup):
    return (
        MeetingRecord.objects.filter(
            event__kind=KIND, event__borough=group.borough, status=MeetingRecord.Status.PUBLISHED
        )
        .select_related("event")
        .order_by("-event__starts_at")
    )


def schedule_meeting(actor, group: MonitoringGroup, *, agenda: list[str], **fields) -> Event:
    """Publish a meeting of the group in its borough (engagement tells the borough's subscribers)."""
    return engagement_events.schedule_event(actor, agenda=agenda, kind=KIND, borough=group.borough, **fields)


def chair_page(user, event: Event) -> str | None:
    """The group's page for one of its meetings, for someone who may run the group's meetings."""
    group = MonitoringGroup.objects.select_related("borough").filter(borough=event.borough_id).first()
    if event.kind != KIND or group is None or not roles.may(user, group, "run meetings"):
        return None
    return reverse("monitoring:meeting", args=[group.borough.gss_code, event.pk])


organisers.register(KIND, chair_page)
