"""The monitoring group's published reviews, linked from its borough's page."""

from django.urls import reverse

from openward.core import sections

from .models import MonitoringGroup


def _context(borough, request):
    group = MonitoringGroup.objects.filter(borough=borough).first()
    if group is None:
        return None
    published = group.samples.filter(published_at__isnull=False).count()
    return {"group": group, "published": published, "url": reverse("monitoring:public", args=[borough.gss_code])}


sections.register("borough", order=70, template="monitoring/section.html", context=_context)
