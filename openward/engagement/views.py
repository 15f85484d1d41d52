"""Engagement pages: thin views that check access, call one service and render."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from openward.accounts.permissions import has_role
from openward.areas.selectors import ward_or_404
from openward.core import access
from openward.notifications import tokens
from openward.notifications.models import Subscriber

from . import exports, forms, html, ical, places, selectors
from .models import (
    Action,
    Bulletin,
    BulletinImage,
    CalendarFeed,
    Event,
    MeetingRecord,
    Registration,
    Reply,
    VolunteerSignup,
    VolunteerTask,
)
from .services import bulletins as bulletins_services
from .services import events as events_services
from .services import records as records_services
from .services import registrations as registrations_services
from .services import replies as replies_services
from .services import volunteering as volunteering_services


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# Events


@access.public
def event_list(request):
    ward = ward_or_404(request.GET["ward"]) if request.GET.get("ward") else None
    events = Event.objects.scheduled().upcoming().select_related("ward", "cluster", "borough")
    if ward:
        events = events.for_ward(ward)
    return render(request, "engagement/event_list.html", {"events": events[:200], "ward": ward})


@access.public
def event_detail(request, pk):
    event = get_object_or_404(Event.objects.select_related("ward", "cluster", "borough", "record"), pk=pk)
    registration = None
    if request.user.is_authenticated:
        registration = event.registrations.filter(user=request.user).first()
    can_manage = has_role(request.user, places.EVENT_ROLES, event.area)
    context = {
        "event": event,
        "registration": registration,
        "show_link": registration is not None and registration.status == Registration.Status.CONFIRMED,
        "can_manage": can_manage,
        "waiting": event.registrations.filter(status=Registration.Status.WAITING).count(),
        "places_left": event.places_left(),
        "register_form": forms.RegisterForm(),
        "reply_form": forms.ReplyForm(),
        "cancel_form": forms.CancelEventForm(),
    }
    if can_manage:
        context["registrations"] = event.registrations.select_related("user").exclude(
            status=Registration.Status.CANCELLED
        )
    return render(request, "engagement/event_detail.html", context)


@access.role(*places.EVENT_ROLES, area=places.from_kwargs)
def event_new(request, kind, key):
    area = places.area_by(kind, key)
    form = forms.EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agenda = data.pop("agenda").splitlines()
        try:
            event = events_services.schedule_event(request.user, agenda=agenda, **{kind: area}, **data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, "The event is published; subscribers are being told.")
            return redirect("engagement:event", pk=event.pk)
    return render(request, "engagement/event_form.html", {"form": form, "area": area})


@access.role(*places.EVENT_ROLES, area=places.of_event)
def event_edit(request, pk):
    event = get_object_or_404(Event, pk=pk)
    if event.is_cancelled or event.is_past:
        messages.error(request, "This event has taken place or is cancelled, so it cannot be changed.")
        return redirect("engagement:event", pk=pk)
    # The form writes what was posted onto its instance; the service compares against the event as stored.
    form = forms.EventChangeForm(request.POST or None, instance=copy.copy(event))
    if request.method == "POST" and form.is_valid():
        try:
            changes = events_services.change_event(
                request.user, event, **{f: form.cleaned_data[f] for f in form.changed_data}
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            if changes:
                messages.success(request, "The event is changed. Everyone registered is being emailed what changed.")
            else:
                messages.success(request, "Nothing was changed.")
            return redirect("engagement:event", pk=pk)
    return render(request, "engagement/event_edit.html", {"form": form, "event": event})


@access.role(*places.EVENT_ROLES, area=places.of_event)
@require_POST
def event_cancel(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = forms.CancelEventForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason for cancelling, so people know why.")
    else:
        events_services.cancel_event(request.user, event, form.cleaned_data["reason"])
        messages.success(request, "The event is cancelled and everyone registered is being told.")
    return redirect("engagement:event", pk=pk)


@access.signed_in
@require_POST
def register(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = forms.RegisterForm(request.POST)
    form.is_valid()
    try:
        registration = registrations_services.register_for_event(
            request.user, event, share_name=form.cleaned_data.get("share_name", False)
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, "Your place is confirmed.")
        else:
            messages.success(
                request, "The event is full: you are on the waiting list. We will email you if a place comes up."
            )
    return redirect("engagement:event", pk=pk)


@access.signed_in
@require_POST
def cancel_registration(request, pk):
    registration = get_object_or_404(Registration, event_id=pk, user=request.user)
    registrations_services.cancel_registration(request.user, registration)
    messages.success(request, "You have given up your place. Thank you for letting someone else have it.")
    return redirect("engagement:event", pk=pk)


@access.public
def offer(request, token):
    registration = Registration.objects.select_related("event").filter(offer_token=token).first() if token else None
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "decline":
                registrations_services.decline_offer(token)
                messages.success(request, "You have turned down the place; it goes to the next person waiting.")
            else:
                registrations_services.accept_offer(token)
                messages.success(request, "The place is yours. See you there.")
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        if registration:
            return redirect("engagement:event", pk=registration.event_id)
        return redirect("engagement:events")
    if registration is None:
        return render(
            request,
            "engagement/message.html",
            {
                "title": "This offer link does not work",
                "text": "It may have been used already, or changed on the way. "
                "Open the event page to see your registration.",
            },
            status=404,
        )
    return render(request, "engagement/offer.html", {"registration": registration, "event": registration.event})


# Calendars


@access.public
def ward_calendar(request, code):
    ward = ward_or_404(code)
    events = Event.objects.for_ward(ward).filter(starts_at__gte=selectors.calendar_window_start())
    body = ical.calendar(f"Open Ward: {ward.name}", events.order_by("starts_at"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@access.public
def personal_calendar(request, token):
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None:
        raise Http404("This calendar link is not valid (it may have been reset).")
    events = Event.objects.filter(
        registrations__user=feed.user, registrations__status=Registration.Status.CONFIRMED
    ).filter(starts_at__gte=selectors.calendar_window_start())
    body = ical.calendar("Open Ward: my events", events.order_by("starts_at"), show_links=True)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@access.signed_in
def mine(request):
    if request.method == "POST" and request.POST.get("reset_feed"):
        registrations_services.reset_calendar_feed(request.user)
        messages.success(request, "Your calendar link has been changed; the old one no longer works.")
        return redirect("engagement:mine")
    return render(
        request,
        "engagement/mine.html",
        {
            "registrations": request.user.registrations.select_related("event").exclude(
                status=Registration.Status.CANCELLED
            ),
            "volunteering": request.user.volunteering.select_related("task").filter(
                status=VolunteerSignup.Status.SIGNED_UP
            ),
            "feed_url": request.build_absolute_uri(
                reverse("engagement:personal-calendar", args=[registrations_services.calendar_feed(request.user).token])
            ),
        },
    )


# Meeting records and actions


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
            form.add_error(None, _errors(exc))
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
            messages.error(request, _errors(exc))
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
            messages.error(request, _errors(exc))
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


# Bulletins


@access.public
def bulletin_list(request):
    bulletins = Bulletin.objects.published()
    area = None
    if request.GET.get("ward"):
        area = ward_or_404(request.GET["ward"])
        bulletins = bulletins.for_ward(area)
    return render(request, "engagement/bulletin_list.html", {"bulletins": bulletins[:100], "ward": area})


@access.public
def bulletin_detail(request, pk):
    bulletin = get_object_or_404(Bulletin.objects.exclude(status=Bulletin.Status.DRAFT), pk=pk)
    areas = bulletin.areas()
    can_edit = bool(areas) and bulletin.status == Bulletin.Status.PUBLISHED
    return render(
        request,
        "engagement/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "images": bulletin.images.all(),
            "reply_form": forms.ReplyForm(),
            "can_edit": can_edit and has_role(request.user, places.TEAM_ROLES, areas[0]),
        },
    )


@access.public
def bulletin_image(request, pk):
    image = get_object_or_404(BulletinImage.objects.exclude(bulletin__status=Bulletin.Status.DRAFT), pk=pk)
    response = FileResponse(image.image.open("rb"), content_type=image.content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _bulletin_form_kwargs(user) -> dict:
    wards, clusters, boroughs = places.own_places(user, places.TEAM_ROLES)
    return {
        "wards": places.wards_for(user, places.TEAM_ROLES),
        "clusters": places.clusters_for(user, places.TEAM_ROLES),
        "boroughs": places.boroughs_for(user, places.TEAM_ROLES),
        "own_places": [*wards, *clusters, *boroughs],
    }


def _preview(request, form) -> str | None:
    """The text as it will read, when the author asked to preview instead of publishing."""
    if request.method == "POST" and "preview" in request.POST and form.is_valid():
        return html.render_markdown(form.cleaned_data["body_markdown"])
    return None


@access.role(*places.TEAM_ROLES)
def bulletin_new(request):
    form = forms.BulletinForm(request.POST or None, request.FILES or None, **_bulletin_form_kwargs(request.user))
    preview = _preview(request, form)
    if request.method == "POST" and preview is None and form.is_valid():
        data = form.cleaned_data
        images = [(data["image"], data["image_alt"])] if data.get("image") else []
        try:
            bulletin = bulletins_services.publish_bulletin(
                request.user,
                title=data["title"],
                kind=data["kind"],
                summary=data["summary"],
                body_markdown=data["body_markdown"],
                wards=data["wards"],
                clusters=data["clusters"],
                boroughs=data["boroughs"],
                topics=data["topics"],
                images=images,
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, "The bulletin is published; subscribers are being emailed.")
            return redirect(bulletin)
    return render(request, "engagement/bulletin_form.html", {"form": form, "preview": preview})


@access.role(*places.TEAM_ROLES, area=places.of_bulletin)
def bulletin_edit(request, pk):
    bulletin = get_object_or_404(Bulletin.objects.filter(status=Bulletin.Status.PUBLISHED), pk=pk)
    initial = {
        "title": bulletin.title,
        "kind": bulletin.kind,
        "summary": bulletin.summary,
        # Bulletins written before the editor keep their words, in paragraphs.
        "body_markdown": bulletin.body_markdown or html.as_plain_paragraphs(bulletin.body_html),
        "wards": bulletin.wards.all(),
        "clusters": bulletin.clusters.all(),
        "boroughs": bulletin.boroughs.all(),
        "topics": bulletin.topics.all(),
    }
    form = forms.BulletinRevisionForm(request.POST or None, initial=initial, **_bulletin_form_kwargs(request.user))
    preview = _preview(request, form)
    if request.method == "POST" and preview is None and form.is_valid():
        data = form.cleaned_data
        try:
            bulletins_services.revise_bulletin(
                request.user,
                bulletin,
                title=data["title"],
                kind=data["kind"],
                summary=data["summary"],
                body_markdown=data["body_markdown"],
                wards=data["wards"],
                clusters=data["clusters"],
                boroughs=data["boroughs"],
                topics=data["topics"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, "The bulletin is updated. Nobody is emailed again; the page says it was updated.")
            return redirect(bulletin)
    return render(request, "engagement/bulletin_form.html", {"form": form, "preview": preview, "bulletin": bulletin})


# Replies


def _reply(request, item, sender_email, user, redirect_to):
    form = forms.ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write your reply (up to 5,000 characters) before sending it.")
        return redirect(redirect_to)
    try:
        replies_services.receive_reply(item, sender_email=sender_email, body=form.cleaned_data["body"], user=user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Your reply has gone to the team. Their answer will come by email.")
    return redirect(redirect_to)


@access.signed_in
@require_POST
def reply_to_event(request, pk):
    event = get_object_or_404(Event, pk=pk)
    return _reply(request, event, request.user.email, request.user, event.get_absolute_url())


@access.signed_in
@require_POST
def reply_to_bulletin(request, pk):
    bulletin = get_object_or_404(Bulletin, pk=pk)
    return _reply(request, bulletin, request.user.email, request.user, bulletin.get_absolute_url())


@access.public
def reply_by_link(request, token):
    """The reply link in an email: it names the subscriber, so no sign-in is needed."""
    try:
        subscriber_id, kind, object_id = tokens.reply_target_from(token)
    except tokens.BadToken as exc:
        return render(
            request, "engagement/message.html", {"title": "This reply link does not work", "text": str(exc)}, status=400
        )
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    model = Bulletin if kind == "bulletin" else Event
    item = model.objects.filter(pk=object_id).first()
    if subscriber is None or item is None:
        return render(
            request,
            "engagement/message.html",
            {"title": "This reply link does not work", "text": "We cannot find who or what it is for."},
            status=404,
        )
    if request.method == "POST":
        return _reply(request, item, subscriber.email, None, item.get_absolute_url())
    return render(
        request, "engagement/reply_form.html", {"item": item, "form": forms.ReplyForm(), "subscriber": subscriber}
    )


@access.role(*places.TEAM_ROLES)
def inbox(request):
    replies = selectors.inbox_for(request.user)
    show = request.GET.get("show", "unanswered")
    if show == "unanswered":
        replies = replies.unanswered()
    return render(request, "engagement/inbox.html", {"replies": replies[:200], "show": show})


@access.role(*places.TEAM_ROLES, area=places.of_reply)
def inbox_reply(request, pk):
    reply = get_object_or_404(Reply.objects.select_related("bulletin", "event"), pk=pk)
    form = forms.AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            replies_services.answer_reply(request.user, reply, form.cleaned_data["answer"])
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, "Your answer has been emailed.")
            return redirect("engagement:inbox")
    return render(request, "engagement/inbox_reply.html", {"reply": reply, "form": form})


# Volunteering


@access.public
def volunteering_list(request):
    tasks = VolunteerTask.objects.filter(status=VolunteerTask.Status.OPEN).select_related("ward")
    ward = None
    if request.GET.get("ward"):
        ward = ward_or_404(request.GET["ward"])
        tasks = tasks.filter(ward=ward)
    return render(request, "engagement/volunteering_list.html", {"tasks": tasks, "ward": ward})


@access.public
def volunteer_task(request, pk):
    task = get_object_or_404(VolunteerTask.objects.select_related("ward"), pk=pk)
    signup = None
    if request.user.is_authenticated:
        signup = task.signups.filter(user=request.user, status=VolunteerSignup.Status.SIGNED_UP).first()
    can_manage = has_role(request.user, places.EVENT_ROLES, task.ward)
    return render(
        request,
        "engagement/volunteer_task.html",
        {
            "task": task,
            "signup": signup,
            "can_manage": can_manage,
            "signup_form": forms.VolunteerSignupForm(),
            "report_form": forms.VolunteerReportForm(),
            "report": getattr(task, "report", None),
            "signups": task.signups.filter(status=VolunteerSignup.Status.SIGNED_UP).select_related("user")
            if can_manage
            else None,
        },
    )


@access.signed_in
@require_POST
def volunteer_sign_up(request, pk):
    task = get_object_or_404(VolunteerTask, pk=pk)
    form = forms.VolunteerSignupForm(request.POST)
    form.is_valid()
    try:
        volunteering_services.sign_up_to_volunteer(
            request.user, task, confirms_vetting=form.cleaned_data.get("confirms_vetting", False)
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Thank you: you are signed up.")
    return redirect("engagement:volunteer-task", pk=pk)


@access.signed_in
@require_POST
def volunteer_withdraw(request, pk):
    signup = get_object_or_404(VolunteerSignup, task_id=pk, user=request.user)
    volunteering_services.withdraw_from_volunteering(request.user, signup)
    messages.success(request, "You are no longer signed up.")
    return redirect("engagement:volunteer-task", pk=pk)


@access.role(*places.EVENT_ROLES, area=places.from_kwargs)
def volunteer_task_new(request, kind, key):
    ward = places.area_by(kind, key)
    if kind != "ward":
        raise Http404("Volunteering tasks are set up for a ward.")
    form = forms.VolunteerTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = volunteering_services.create_volunteer_task(request.user, ward=ward, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, "The task is published.")
            return redirect("engagement:volunteer-task", pk=task.pk)
    return render(request, "engagement/volunteer_task_form.html", {"form": form, "ward": ward})


@access.role(*places.EVENT_ROLES, area=places.of_volunteer_task)
@require_POST
def volunteer_report(request, pk):
    task = get_object_or_404(VolunteerTask, pk=pk)
    form = forms.VolunteerReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the number of volunteers, the hours and what was found or done.")
    else:
        try:
            volunteering_services.report_volunteering(request.user, task, **form.cleaned_data)
            messages.success(request, "Report saved.")
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return redirect("engagement:volunteer-task", pk=pk)
