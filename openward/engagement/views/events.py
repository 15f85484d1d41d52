"""Event pages: the list, one event, publishing, changing and cancelling one, and registering for a place
(including answering an offered place). Thin views: check access, call one service, render."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openward.accounts.permissions import has_role
from openward.areas.selectors import ward_or_404
from openward.core import access

from .. import forms, organisers, places
from ..models import Event, Registration
from ..services import events as events_services
from ..services import registrations as registrations_services
from .common import errors_text


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
        "organiser_page": organisers.page_for(request.user, event),
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
            form.add_error(None, errors_text(exc))
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
            form.add_error(None, errors_text(exc))
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
        messages.error(request, errors_text(exc))
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
            messages.error(request, errors_text(exc))
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
