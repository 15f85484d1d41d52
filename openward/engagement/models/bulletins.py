"""Bulletins from the neighbourhood team, and their images."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from openward.areas.models import Borough, Cluster, Ward

from .topics import Topic


class BulletinQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Bulletin.Status.PUBLISHED).order_by("-published_at")

    def for_ward(self, ward):
        return self.filter(Q(wards=ward) | Q(clusters__wards=ward) | Q(boroughs=ward.borough_id)).distinct()

    def for_wards(self, wards):
        """Bulletins whose covered_wards() meet `wards` (ward ids, or a queryset of wards), in one query."""
        return self.filter(Q(wards__in=wards) | Q(clusters__wards__in=wards) | Q(boroughs__wards__in=wards)).distinct()

    def within(self, area):
        if isinstance(area, Ward):
            return self.for_ward(area)
        if isinstance(area, Cluster):
            return self.filter(Q(clusters=area) | Q(wards__clusters=area)).distinct()
        return self.filter(Q(boroughs=area) | Q(wards__borough=area) | Q(clusters__borough=area)).distinct()


class Bulletin(models.Model):
    """News, appeals and crime prevention advice written by officers."""

    class Kind(models.TextChoices):
        NEWS = "news", "News"
        APPEAL = "appeal", "Appeal for information"
        PREVENTION = "prevention", "Crime prevention advice"
        VOLUNTEERS = "volunteers", "Call for volunteers"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NEWS)
    summary = models.CharField(max_length=300, blank=True)
    body_html = models.TextField(help_text="Sanitised HTML.")
    body_markdown = models.TextField(blank=True, help_text="What the author wrote, when written in the editor.")
    wards = models.ManyToManyField(Ward, blank=True, related_name="+")
    clusters = models.ManyToManyField(Cluster, blank=True, related_name="+")
    boroughs = models.ManyToManyField(Borough, blank=True, related_name="+")
    topics = models.ManyToManyField(Topic, blank=True, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    revised_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("engagement:bulletin", args=[self.pk])

    def areas(self) -> list:
        return [*self.wards.all(), *self.clusters.all(), *self.boroughs.all()]

    def covered_wards(self):
        return Ward.objects.filter(
            Q(pk__in=self.wards.values("pk"))
            | Q(clusters__in=self.clusters.values("pk"))
            | Q(borough__in=self.boroughs.values("pk"))
        ).distinct()


class BulletinImage(models.Model):
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to="bulletins/%Y/%m/")
    content_type = models.CharField(max_length=40)
    alt_text = models.CharField(max_length=300, help_text="Describe the image for people who cannot see it.")
    created_at = models.DateTimeField(auto_now_add=True)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("engagement:bulletin-image", args=[self.pk])
