"""Minutes topics, which are also the topics subscribers follow."""

from __future__ import annotations

from django.db import models

from openward.areas.models import Cluster, Ward


class TopicQuerySet(models.QuerySet):
    def offered_in(self, ward_ids):
        """The topics a resident of these wards can follow: the standard topics of panel meetings (a monitoring
        group's own headings are its meetings', not a ward's) and those the wards' panels and their clusters'
        panels added (not every panel's in the country)."""
        ward_ids = list(ward_ids)
        return self.filter(
            Topic.standard_for(Topic.Meetings.PANELS)
            | models.Q(added_for_ward__in=ward_ids)
            | models.Q(added_for_cluster__in=Cluster.objects.filter(wards__in=ward_ids).values("pk"))
        )


class Topic(models.Model):
    """A minutes heading and a topic of interest: the standard lists plus topics a panel adds. A standard
    topic is offered to the meetings `meetings` names (vocabulary.py); a panel's own, to that panel."""

    class Meetings(models.TextChoices):
        PANELS = "panels", "Ward and cluster panels and the team's other meetings"
        MONITORING = "monitoring", "Stop and search monitoring group meetings"
        ALL = "all", "Every meeting"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    is_standard = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=100)
    meetings = models.CharField(max_length=16, choices=Meetings.choices, default=Meetings.PANELS)
    added_for_ward = models.ForeignKey(Ward, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added_for_cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def standard_for(cls, meetings: str) -> models.Q:
        """The standard topics offered to `meetings` (panels or monitoring), as a filter to combine with others."""
        return models.Q(is_standard=True, meetings__in=[meetings, cls.Meetings.ALL])
