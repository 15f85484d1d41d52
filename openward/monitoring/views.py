"""Monitoring group pages: the public summaries, and the group's own work (members only, each member
seeing and doing what their role allows: roles.py)."""

from __future__ import annotations

import copy
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from openward.core import access, audit
from openward.core.importers.base import ImportFailed
from openward.engagement import selectors as engagement_selectors
from openward.engagement.forms import ActionForm, ActionStatusForm, EventChangeForm, MeetingRecordForm
from openward.engagement.models import Action as MeetingAction
from openward.engagement.models import MeetingRecord
from openward.engagement.services import events as engagement_events
from openward.engagement.services import records as engagement_records

from . import grounds, meetings, members, roles, services
from .forms import DrawForm, GroundsFileForm, MeetingForm, MemberForm, SampleButtonsForm
from .models import Answer, MonitoringGroup, ReviewSample
from .summary import summary_lines


def _group(borough_code: str) -> MonitoringGroup:
    return get_object_or_404(MonitoringGroup.objects.select_related("borough"), borough__gss_code=borough_code)


@access.public
def public_summaries(request, borough_code: str):
    group = _group(borough_code)
    samples = group.samples.filter(published_at__isnull=False).prefetch_related("actions")
    published = [(s, summary_lines(s)) for s in samples]
    context = {
        "group": group,
        "published": published,
        "upcoming": meetings.upcoming(group)[:5],
        "records": meetings.published_records(group)[:10],
    }
    return render(request, "monitoring/public.html", context)


def _month(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        raise services.MonitoringError(f'"{text[:20]}" is not a month. Write it as YYYY-MM, e.g. 2018-06.') from None


@roles.MEMBER_RULE
def group_work(request, borough_code: str):
    group = _group(borough_code)
    problem, status = "", 200
    if request.method == "POST":
        roles.require(request.user, group, "draw")
        form = DrawForm(request.POST)
        try:
            if not form.is_valid():
                raise services.MonitoringError(form.problem())
            month = _month(form.cleaned_data["month"])
            sample = services.draw_sample(request.user, group, month, form.cleaned_data["size"])
            return redirect("monitoring:sample", borough_code=borough_code, pk=sample.pk)
        except services.MonitoringError as exc:
            problem, status = str(exc), 400
    context = {
        "group": group,
        "samples": group.samples.all(),
        "problem": problem,
        "asked": request.POST,
        "can": roles.allowed(request.user, group),
    }
    return render(request, "monitoring/work.html", context, status=status)


def _sample_action(request, group, sample, ids) -> None:
    """Carry out what a button on the sample page asks, if the member's role allows it."""
    post, do = request.POST, request.POST.get("do")
    needs = {
        "review": "review",
        "grounds": "add grounds",
        "upload": "add grounds",
        "publish": "publish",
        "respond": "respond",
        "action": "record actions",
        "done": "record actions",
    }
    if do not in needs:
        raise services.MonitoringError("Choose what to do.")
    roles.require(request.user, group, needs[do])
    sampled = sample.stops.filter(pk=ids["sampled"]).first() if ids["sampled"] else None
    if do in ("review", "grounds") and sampled is None:
        raise services.MonitoringError("That stop is not in this sample.")
    if do == "review":
        services.review_stop(
            request.user,
            sampled,
            grounds_clear=post.get("grounds_clear", ""),
            video_seen=post.get("video_seen", ""),
            outcome_proportionate=post.get("outcome_proportionate", ""),
            concerns=post.get("concerns", ""),
        )
    elif do == "grounds":
        services.add_grounds(request.user, sampled, post.get("text", ""))
    elif do == "upload":
        form = GroundsFileForm(post, request.FILES)
        if not form.is_valid():
            raise services.MonitoringError(" ".join(form.errors["file"]))
        run = grounds.import_grounds(request.user, sample, form.cleaned_data["file"])
        added, blank = run.counts.get("stops_with_grounds", 0), run.counts.get("rows_without_grounds", 0)
        messages.success(
            request,
            f"Grounds added for {added} stop{'s' if added != 1 else ''}"
            + (f"; {blank} row{'s' if blank != 1 else ''} had no grounds yet." if blank else "."),
        )
    elif do == "publish":
        services.publish_summary(request.user, sample)
    elif do == "respond":
        services.record_force_response(request.user, sample, post.get("text", ""))
    elif do == "action":
        services.add_action(request.user, sample, post.get("what", ""), post.get("owner", ""))
    else:
        action = sample.actions.filter(pk=ids["action"]).first() if ids["action"] else None
        if action is None:
            raise services.MonitoringError("That action is not in this sample.")
        services.complete_action(request.user, action, dt.date.today())


@roles.MEMBER_RULE
def sample_page(request, borough_code: str, pk: int):
    group = _group(borough_code)
    sample = get_object_or_404(ReviewSample, pk=pk, group=group)
    problems, status = [], 200
    if request.method == "POST":
        buttons = SampleButtonsForm(request.POST)
        ids = buttons.cleaned_data if buttons.is_valid() else {"sampled": None, "action": None}
        try:
            _sample_action(request, group, sample, ids)
            return redirect("monitoring:sample", borough_code=borough_code, pk=sample.pk)
        except services.MonitoringError as exc:
            problems, status = [str(exc)], 400
        except ImportFailed as exc:
            problems, status = ["Nothing was added: the file has these problems.", *map(str, exc.problems)], 400
    can = roles.allowed(request.user, group)
    stops = sample.stops.select_related("stop", "sample").prefetch_related("grounds")
    if "see reviews" in can:
        stops = stops.select_related("review")
    context = {
        "group": group,
        "sample": sample,
        "stops": stops,
        "answers": Answer.choices,
        "lines": summary_lines(sample) if "see reviews" in can or sample.published_at else [],
        "problems": problems,
        "can": can,
        "upload_form": GroundsFileForm(),
    }
    return render(request, "monitoring/sample.html", context, status=status)


@roles.MEMBER_RULE
def sample_csv(request, borough_code: str, pk: int):
    """The sample's stops as CSV, for the force to fill in their grounds (no review or grounds in it)."""
    sample = get_object_or_404(ReviewSample, pk=pk, group=_group(borough_code))
    response = HttpResponse(grounds.sampled_stops_csv(sample), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sampled-stops-{sample.month:%Y-%m}.csv"'
    return response


@roles.CHAIR_RULE
def members_page(request, borough_code: str):
    group = _group(borough_code)
    form = MemberForm(request.POST if request.POST.get("do") == "add" else None)
    problem, status = "", 200
    if request.method == "POST":
        try:
            if request.POST.get("do") == "remove":
                email = request.POST.get("email", "")
                members.remove_member(request.user, group, email)
                messages.success(request, f"{email.strip()} is no longer a member of the group.")
            else:
                if not form.is_valid():
                    raise services.MonitoringError("Give the person's email address and choose their role.")
                added = members.add_member(request.user, group, form.cleaned_data["email"], form.cleaned_data["role"])
                messages.success(request, f"{added.email} is now the group's {added.role_words.lower()}.")
            return redirect("monitoring:members", borough_code=borough_code)
        except services.MonitoringError as exc:
            problem, status = str(exc), 400
    audit.record(request.user, "monitoring.members-viewed", group, borough=group.borough.gss_code)
    context = {
        "group": group,
        "members": members.members(group),
        "form": form,
        "problem": problem,
        "can": roles.allowed(request.user, group),
    }
    return render(request, "monitoring/members.html", context, status=status)


@roles.CHAIR_RULE
def meetings_page(request, borough_code: str):
    group = _group(borough_code)
    form = MeetingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            agenda = data.pop("agenda").splitlines()
            try:
                event = meetings.schedule_meeting(request.user, group, agenda=agenda, **data)
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, "The meeting is published; the borough's subscribers are being told.")
                return redirect("monitoring:meeting", borough_code=borough_code, pk=event.pk)
        status = 400
    context = {
        "group": group,
        "form": form,
        "meetings": meetings.group_meetings(group),
        "can": roles.allowed(request.user, group),
    }
    return render(request, "monitoring/meetings.html", context, status=status)


def _no_priorities(event):
    # A group's actions are its own: they serve no ward panel's priority.
    return engagement_selectors.priorities_for_actions(event).none()


def _form_problems(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _meeting_post(request, event, record, record_form, change_form) -> str:
    """Carry out what a button on a meeting's page asks, through engagement's services; say what was done."""
    do = request.POST.get("do")
    if do == "change":
        if not change_form.is_valid():
            raise ValidationError("Check the meeting's details: " + _form_problems(change_form))
        changed = {name: change_form.cleaned_data[name] for name in change_form.changed_data}
        if not engagement_events.change_event(request.user, event, **changed):
            return "Nothing was changed."
        return "The meeting is changed. Everyone registered is being emailed what changed."
    if do == "agenda":
        engagement_events.add_agenda_item(request.user, event, request.POST.get("item", ""))
        return "Added to the agenda."
    if do == "record":
        if not record_form.is_valid():
            problems = [str(e) for errors in record_form.errors.values() for e in errors]
            raise ValidationError("Check the record: " + " ".join(problems))
        data = record_form.cleaned_data
        engagement_records.write_meeting_record(
            request.user,
            event,
            summary=data["summary"],
            minutes={t: data.get(f"topic_{t.pk}", "") for t in record_form.topics},
            attendance=record_form.attendance(),
            publish=data["publish"],
        )
    elif do == "action":
        if record is None:
            raise ValidationError("Save the meeting's record first: actions are agreed at a meeting held.")
        form = ActionForm(request.POST, priorities=_no_priorities(event))
        if not form.is_valid():
            raise ValidationError("Say what the action is and who owns it; give a due date as a date, or none.")
        engagement_records.agree_action(request.user, record, **form.cleaned_data)
    elif do == "status":
        ids = SampleButtonsForm(request.POST)
        action_id = ids.cleaned_data["action"] if ids.is_valid() else None
        action = record.actions.filter(pk=action_id).first() if record and action_id else None
        form = ActionStatusForm(request.POST)
        if action is None or not form.is_valid():
            raise ValidationError("Choose one of this meeting's actions and its new status.")
        engagement_records.update_action(request.user, action, **form.cleaned_data)
    elif do == "cancel":
        if event.is_past:
            raise ValidationError("This meeting has already started, so it cannot be cancelled. Write its record.")
        reason = request.POST.get("reason", "").strip()[:300]
        if not reason:
            raise ValidationError("Give a reason for cancelling, so people know why.")
        engagement_events.cancel_event(request.user, event, reason)
    else:
        raise ValidationError("Choose what to do.")
    return "Saved."


@roles.CHAIR_RULE
def meeting_page(request, borough_code: str, pk: int):
    """One of the group's meetings, for its chair: before it, change it, add to its agenda or cancel it;
    after it, write its record, agree and update actions."""
    group = _group(borough_code)
    event = get_object_or_404(meetings.group_meetings(group), pk=pk)
    record = MeetingRecord.objects.filter(event=event).first()
    topics = engagement_selectors.topics_for(event)
    initial = {}
    if record:
        initial = {"summary": record.summary} | {f"topic_{m.topic_id}": m.summary for m in record.minutes.all()}
    bound = request.POST if request.POST.get("do") == "record" else None
    record_form = MeetingRecordForm(bound, topics=topics, initial=initial)
    # The form writes what was posted onto its instance; the service compares against the meeting as stored.
    changing = request.POST if request.POST.get("do") == "change" else None
    change_form = EventChangeForm(changing, instance=copy.copy(event), prefix="change")
    problem, status = "", 200
    if request.method == "POST":
        try:
            messages.success(request, _meeting_post(request, event, record, record_form, change_form))
            return redirect("monitoring:meeting", borough_code=borough_code, pk=event.pk)
        except ValidationError as exc:
            problem, status = " ".join(exc.messages), 400
    context = {
        "group": group,
        "event": event,
        "record": record,
        "record_form": record_form,
        "change_form": change_form,
        "agenda": list(event.agenda.all()),
        "actions": list(record.actions.all()) if record else [],
        "action_form": ActionForm(priorities=_no_priorities(event)),
        "statuses": MeetingAction.Status.choices,
        "problem": problem,
        "can": roles.allowed(request.user, group),
    }
    return render(request, "monitoring/meeting.html", context, status=status)
