"""An item belongs to one place: a ward, a cluster or a borough (exactly one is set); and the queries for
items covering a ward or within an area."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from openward.areas.models import Borough, Cluster, Ward


class KeptForGood(Exception):
    """Published records are never deleted."""


class Place(models.Model):
    """An item aimed at exactly one ward, cluster or borough."""

    ward = models.ForeignKey(Ward, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    borough = models.ForeignKey(Borough, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    @property
    def area(self):
        return self.ward or self.cluster or self.borough

    @property
    def area_name(self) -> str:
        return str(self.area.name) if self.area else ""


def covering_q(ward: Ward, prefix: str = "") -> Q:
    """Items aimed at this ward, a cluster containing it, or its borough."""
    return (
        Q(**{f"{prefix}ward": ward})
        | Q(**{f"{prefix}cluster__wards": ward})
        | Q(**{f"{prefix}borough_id": ward.borough_id})
    )


def within_q(area, prefix: str = "") -> Q:
    """Items aimed at this area or any place inside it (for roll-ups)."""
    if isinstance(area, Ward):
        return Q(**{f"{prefix}ward": area})
    if isinstance(area, Cluster):
        return Q(**{f"{prefix}cluster": area}) | Q(**{f"{prefix}ward__clusters": area})
    return (
        Q(**{f"{prefix}borough": area})
        | Q(**{f"{prefix}ward__borough": area})
        | Q(**{f"{prefix}cluster__borough": area})
    )
