"""What each kind of notice says. A Composer loads a notice's subject matter once per batch and
writes one message per recipient, each with its own one-click unsubscribe link (RFC 8058)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from . import subjects, tokens
from .models import Notice, Subscriber


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class Composer:
    """Writes the email for one notice to one subscriber."""

    def __init__(self, notice: Notice):
        self.notice = notice
        self.context: dict = {"notice": notice, "SITE_NAME": settings.SITE_NAME}
        self.subject = None if notice.kind == Notice.Kind.DIGEST else subjects.subject(notice.kind)
        if self.subject is not None:
            self.context |= self.subject.context(notice)
        self.template = f"notifications/email/{notice.kind}.txt"

    def reply_url(self, subscriber: Subscriber) -> str | None:
        if self.subject is None or self.subject.reply_kind is None or self.notice.object_id is None:
            return None
        token = tokens.reply_token(subscriber.pk, self.subject.reply_kind, self.notice.object_id)
        return absolute(reverse("engagement:reply-by-link", args=[token]))

    def digest_items(self, subscriber: Subscriber) -> dict | None:
        return subjects.digest_items(subscriber, self.notice)

    # Per-recipient links are filled into a body rendered once per batch (digests differ per person).
    PLACEHOLDERS = {"unsubscribe_url": "\x00U\x00", "preferences_url": "\x00P\x00", "reply_url": "\x00R\x00"}

    def _shared_body(self) -> str:
        if not hasattr(self, "_body"):
            placeholders = dict(self.PLACEHOLDERS)
            if self.subject is None or self.subject.reply_kind is None:
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
