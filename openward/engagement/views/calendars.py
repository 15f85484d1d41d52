"""Calendars: a ward's events and each person's own (by a private link), and the "my events" page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from openward.areas.selectors import ward_or_404
from openward.core import access

from .. import ical, selectors
from ..models import CalendarFeed, Event, Registration, VolunteerSignup
from ..services import registrations as registrations_services


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
