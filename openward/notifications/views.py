"""Subscribe, change preferences, and unsubscribe in one click (RFC 8058)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from openward.areas.selectors import ward_or_404
from openward.core import access

from . import services, tokens
from .forms import PreferencesForm, SubscribeForm
from .models import Subscriber


def _subscriber_from(token):
    try:
        return Subscriber.objects.filter(pk=tokens.subscriber_id_from(token)).first(), None
    except tokens.BadToken as exc:
        return None, str(exc)


def _bad_link(request, text, status=400):
    return render(
        request,
        "notifications/message.html",
        {
            "title": "This link does not work",
            "text": text + " Use the link in your most recent email, or sign in to "
            "change your preferences. Nothing has been changed.",
        },
        status=status,
    )


@csrf_exempt
@access.public
def unsubscribe(request, token):
    """GET shows a button (mail scanners follow links); POST, from it or a mail client's one-click, unsubscribes."""
    subscriber, problem = _subscriber_from(token)
    if subscriber is None:
        return _bad_link(request, problem or "We cannot find this subscription.", 400 if problem else 404)
    if request.method == "POST":
        services.unsubscribe(subscriber)
        return render(request, "notifications/unsubscribed.html", {"subscriber": subscriber, "token": token})
    return render(request, "notifications/unsubscribe.html", {"subscriber": subscriber, "token": token})


def _preferences(request, subscriber, form_action):
    # Read once with their wards and topics: the form and the "choose your new ward" notices use them.
    subscriptions = list(subscriber.subscriptions.select_related("ward").prefetch_related("topics"))
    initial = {
        "receiving": subscriber.is_receiving,
        "frequency": subscriber.frequency,
        "wards": [s.ward for s in subscriptions],
        "topics": {t for s in subscriptions for t in s.topics.all()},
    }
    form = PreferencesForm(request.POST or None, initial=initial, subscriber=subscriber)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_preferences(
            subscriber,
            frequency=data["frequency"],
            wards=data["wards"],
            topics=data["topics"],
            receiving=data["receiving"],
            actor=request.user,
        )
        messages.success(request, "Your preferences are saved.")
        return redirect(request.path)
    to_review = [s for s in subscriptions if s.needs_review]
    return render(
        request, "notifications/preferences.html", {"form": form, "subscriber": subscriber, "to_review": to_review}
    )


@access.public
def preferences_by_link(request, token):
    subscriber, problem = _subscriber_from(token)
    if subscriber is None:
        return _bad_link(request, problem or "We cannot find this subscription.", 400 if problem else 404)
    return _preferences(request, subscriber, request.path)


@access.signed_in
def preferences(request):
    subscriber = services.subscriber_for(request.user.email, request.user)
    return _preferences(request, subscriber, request.path)


@access.public
def subscribe(request):
    """Choose how often and on which topics to hear about a ward; people not signed in are told why they
    need to, and come back here after."""
    code = request.POST.get("ward") or request.GET.get("ward") or ""
    ward = ward_or_404(code) if code else None
    if not request.user.is_authenticated:
        return render(request, "notifications/subscribe_sign_in.html", {"ward": ward, "next": request.get_full_path()})
    form = SubscribeForm(request.POST or None, initial={"ward": code}, ward=ward)
    if request.method == "POST" and ward is not None and form.is_valid():
        services.subscribe(
            request.user, ward, topics=form.cleaned_data["topics"], frequency=form.cleaned_data["frequency"]
        )
        messages.success(request, f"You will get notices for {ward.name}.")
        return redirect("notifications:preferences")
    return render(request, "notifications/subscribe.html", {"form": form, "ward": ward})
