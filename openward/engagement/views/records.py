"""Meeting records and actions: writing a record, adding minutes topics, agreeing and moving on actions, and
a place's published records (page and export)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from openward.accounts.permissions import has_role
from openward.core import access

from .. import exports, forms, organisers, places, selectors
from ..models import Action, Event, MeetingRecord
from ..services import records as records_services
from ..services import replies as replies_services
from .common import errors_text


@access.role(*places.RECORD_ROLES, area=places.of_event)
def record_edit(request, pk):
    event = get_object_or_404(Event, pk=pk)
    if not event.is_past:
        # Said before any typing: a record is of a meeting that has happened.
        return render(request, "engagement/record_not_yet.html", {"event": event})
    record = MeetingRecord.objects.filter(event=event).first()
    topics = selectors.topics_for(event)
    initial = {}
    if record:
        initial["summary"] = record.summary
        initial |= {f"topic_{m.topic_id}": m.summary for m in record.minutes.all()}
    form = forms.MeetingRecordForm(request.POST or None, topics=topics, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = records_services.write_meeting_record(
                request.user,
                event,
                summary=data["summary"],
                minutes={t: data.get(f"topic_{t.pk}", "") for t in form.topics},
                attendance=form.attendance(),
                publish=data["publish"],
            )
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, "The record is saved." + (" It is published." if record.is_published else ""))
            return redirect("engagement:record", pk=record.pk)
    return render(
        request,
        "engagement/record_form.html",
        {"form": form, "event": event, "record": record, "topic_form": forms.TopicForm()},
    )


@access.role(*places.RECORD_ROLES, area=places.of_event)
@require_POST
def topic_add(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = forms.TopicForm(request.POST)
    if form.is_valid():
        try:
            records_services.add_topic(request.user, form.cleaned_data["name"], ward=event.ward, cluster=event.cluster)
            messages.success(request, "Topic added.")
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
    return redirect("engagement:record-edit", pk=pk)


@access.public
def record_detail(request, pk):
    record = get_object_or_404(MeetingRecord.objects.select_related("event"), pk=pk)
    can_edit = has_role(request.user, places.RECORD_ROLES, record.event.area)
    if not record.is_published and not can_edit:
        raise Http404("This meeting record has not been published yet.")
    actions = list(record.actions.all())
    return render(
        request,
        "engagement/record_detail.html",
        {
            "record": record,
            "event": record.event,
            "attendance": selectors.attendance_summary(record),
            "minutes": record.minutes.select_related("topic"),
            "actions": actions,
            "priority_titles": selectors.priority_titles(actions),
            "can_edit": can_edit,
            "organiser_page": organisers.page_for(request.user, record.event),
            "action_form": forms.ActionForm(priorities=selectors.priorities_for_actions(record.event)),
            "status_form": forms.ActionStatusForm(),
        },
    )


@access.role(*places.RECORD_ROLES, area=places.of_record)
@require_POST
def action_add(request, pk):
    record = get_object_or_404(MeetingRecord.objects.select_related("event"), pk=pk)
    form = forms.ActionForm(request.POST, priorities=selectors.priorities_for_actions(record.event))
    if form.is_valid():
        data = form.cleaned_data
        priority = data.get("priority")
        try:
            records_services.agree_action(
                request.user,
                record,
                what=data["what"],
                owner=data["owner"],
                due_date=data["due_date"],
                priority_id=priority.pk if priority else None,
            )
            messages.success(request, "Action added to the register.")
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
    else:
        problems = [m for name in ("due_date", "priority") for m in form.errors.get(name, [])]
        if "what" in form.errors or "owner" in form.errors:
            problems.insert(0, "Say what the action is and who owns it.")
        messages.error(request, " ".join(problems))
    return redirect("engagement:record", pk=pk)


@access.role(*places.RECORD_ROLES, area=places.of_action)
@require_POST
def action_update(request, pk):
    action = get_object_or_404(Action, pk=pk)
    form = forms.ActionStatusForm(request.POST)
    if form.is_valid():
        records_services.update_action(request.user, action, **form.cleaned_data)
        messages.success(request, "Action updated.")
    else:
        messages.error(request, "Choose a status for the action.")
    return redirect("engagement:record", pk=action.record_id)


@access.public
def area_records(request, kind, key):
    area = places.area_by(kind, key)
    return render(
        request,
        "engagement/area_records.html",
        {
            "area": area,
            "kind": kind,
            "key": key,
            "records": selectors.published_records(area),
            "open_actions": selectors.open_actions(area),
            "rollup": selectors.open_actions_by_place(area) if kind != "ward" else None,
            "figures": replies_services.reply_figures(area),
            "can_manage": has_role(request.user, places.EVENT_ROLES, area),
        },
    )


EXPORT_FORMATS = {"json": "application/json", "csv": "text/csv; charset=utf-8"}


@access.public
def area_export(request, kind, key, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404("Meeting records download as records.csv (the action register) or records.json (everything).")
    area = places.area_by(kind, key)
    body = exports.records_json(area) if fmt == "json" else exports.actions_csv(area)
    response = HttpResponse(body, content_type=EXPORT_FORMATS[fmt])
    # Named from the place's own slug, never from the URL, so nothing a link carries reaches the header.
    name = slugify(area.slug)[:80] or "place"
    response["Content-Disposition"] = f'attachment; filename="openward-{name}-meeting-records.{fmt}"'
    return response
