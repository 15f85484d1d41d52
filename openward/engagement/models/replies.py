"""Replies from residents to a bulletin or event, for the team to answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .bulletins import Bulletin
from .events import Event
from .places import Place, within_q


class ReplyQuerySet(models.QuerySet):
    def within(self, area):
        return self.filter(within_q(area)).distinct()

    def unanswered(self):
        return self.filter(answered_at__isnull=True)


class Reply(Place):
    """A resident's reply to a bulletin or an event notice; it reaches the team of the item's place."""

    bulletin = models.ForeignKey(Bulletin, null=True, blank=True, on_delete=models.PROTECT, related_name="replies")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.PROTECT, related_name="replies")
    sender_email = models.EmailField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    body = models.TextField()
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bulletin__isnull=False, event__isnull=True) | Q(bulletin__isnull=True, event__isnull=False),
                name="reply_to_one_item",
            )
        ]

    @property
    def item(self):
        return self.bulletin or self.event
