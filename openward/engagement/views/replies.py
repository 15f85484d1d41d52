"""Replies: a resident replies to an event or bulletin (signed in, or by an emailed link); the team's inbox."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openward.core import access
from openward.notifications import tokens
from openward.notifications.models import Subscriber

from .. import forms, places, selectors
from ..models import Bulletin, Event, Reply
from ..services import replies as replies_services
from .common import errors_text


def _reply(request, item, sender_email, user, redirect_to):
    form = forms.ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write your reply (up to 5,000 characters) before sending it.")
        return redirect(redirect_to)
    try:
        replies_services.receive_reply(item, sender_email=sender_email, body=form.cleaned_data["body"], user=user)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
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
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, "Your answer has been emailed.")
            return redirect("engagement:inbox")
    return render(request, "engagement/inbox_reply.html", {"reply": reply, "form": form})
