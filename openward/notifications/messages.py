"""What each kind of notice says. A Composer loads a notice's subject matter once per batch and
writes one message per recipient, each with its own one-click unsubscribe link (RFC 8058)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from . import tokens
from .models import Notice, Subscriber


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class Composer:
    """Writes the email for one notice to one subscriber."""

    def __init__(self, notice: Notice):
        from openward.engagement.models import Bulletin, Event, Registration, Reply

        self.notice = notice
        self.context: dict = {"notice": notice, "SITE_NAME": settings.SITE_NAME}
        kind = notice.kind
        if kind == Notice.Kind.BULLETIN:
            bulletin = Bulletin.objects.get(pk=notice.object_id)
            self.context |= {
                "bulletin": bulletin,
                "body_text": strip_tags(bulletin.body_html).strip(),
                "url": absolute(bulletin.get_absolute_url()),
            }
        elif kind in (Notice.Kind.EVENT, Notice.Kind.REMINDER):
            event = Event.objects.select_related("ward", "cluster", "borough").get(pk=notice.object_id)
            self.context |= {"event": event, "url": absolute(reverse("engagement:event", args=[event.pk]))}
        elif kind == Notice.Kind.PLACE_OFFER:
            registration = Registration.objects.select_related("event").get(pk=notice.object_id)
            self.context |= {
                "registration": registration,
                "event": registration.event,
                "accept_url": absolute(reverse("engagement:offer", args=[registration.offer_token])),
            }
        elif kind == Notice.Kind.ANSWER:
            reply = Reply.objects.select_related("bulletin", "event").get(pk=notice.object_id)
            self.context |= {"reply": reply, "item": reply.item}
        self.template = f"notifications/email/{kind}.txt"

    def reply_url(self, subscriber: Subscriber) -> str | None:
        if self.notice.kind == Notice.Kind.BULLETIN:
            kind = "bulletin"
        elif self.notice.kind in (Notice.Kind.EVENT, Notice.Kind.REMINDER):
            kind = "event"
        else:
            return None
        token = tokens.reply_token(subscriber.pk, kind, self.notice.object_id)
        return absolute(reverse("engagement:reply-by-link", args=[token]))

    def digest_items(self, subscriber: Subscriber) -> dict | None:
        from openward.engagement.models import Bulletin, Event

        since = self.notice.created_at - timedelta(days=7)
        wards = list(subscriber.subscriptions.values_list("ward_id", flat=True))
        bulletins = [
            b
            for b in Bulletin.objects.published().filter(
                published_at__gte=since, published_at__lte=self.notice.created_at
            )
            if b.covered_wards().filter(pk__in=wards).exists()
        ]
        events = [
            e
            for e in Event.objects.scheduled().filter(created_at__gte=since, starts_at__gte=timezone.now())
            if any(w in wards for w in _event_ward_ids(e))
        ]
        if not bulletins and not events:
            return None
        return {
            "bulletins": [(b, absolute(b.get_absolute_url())) for b in bulletins],
            "events": [(e, absolute(reverse("engagement:event", args=[e.pk]))) for e in events],
        }

    # Per-recipient links are filled into a body rendered once per batch (digests differ per person).
    PLACEHOLDERS = {"unsubscribe_url": "\x00U\x00", "preferences_url": "\x00P\x00", "reply_url": "\x00R\x00"}

    def _shared_body(self) -> str:
        if not hasattr(self, "_body"):
            placeholders = dict(self.PLACEHOLDERS)
            if self.notice.kind not in (Notice.Kind.BULLETIN, Notice.Kind.EVENT, Notice.Kind.REMINDER):
                placeholders["reply_url"] = ""
            self._body = render_to_string(self.template, self.context | placeholders)
        return self._body

    def message(self, subscriber: Subscriber) -> EmailMessage | None:
        """The email for `subscriber`, or None when there is nothing to tell them (an empty digest)."""
        unsubscribe_url = absolute(reverse("notifications:unsubscribe", args=[tokens.unsubscribe_token(subscriber.pk)]))
        links = {
            "unsubscribe_url": unsubscribe_url,
            "preferences_url": unsubscribe_url.replace("/unsubscribe/", "/preferences/"),
            "reply_url": self.reply_url(subscriber),
        }
        if self.notice.kind == Notice.Kind.DIGEST:
            items = self.digest_items(subscriber)
            if items is None:
                return None
            body = render_to_string(self.template, self.context | links | items | {"subscriber": subscriber})
        else:
            body = self._shared_body()
            for name, placeholder in self.PLACEHOLDERS.items():
                body = body.replace(placeholder, links[name] or "")
        return EmailMessage(
            subject=self.notice.subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[subscriber.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "X-Open-Ward-Notice": self.notice.key,
            },
        )


def _event_ward_ids(event) -> list[int]:
    if event.ward_id:
        return [event.ward_id]
    if event.cluster_id:
        return list(event.cluster.wards.values_list("pk", flat=True))
    return list(event.borough.wards.values_list("pk", flat=True))
