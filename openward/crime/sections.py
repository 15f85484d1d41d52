"""The crime section on ward, borough and cluster pages (rendered by the areas app).

Left out while no crime data is loaded; otherwise a cached summary, so a page view costs one query.
"""

from django.urls import reverse

from openward.core import sections

from .analytics.cache import cached, data_version, has_crime_data
from .analytics.scope import ScopeError, borough_scope, cluster_scope, scope_for_ward
from .analytics.summary import crime_summary


def _context(kind, make_scope, url_name, key):
    def context(area, request):
        version = data_version()
        if not has_crime_data(version):
            return None
        try:
            summary = cached(
                f"section|{kind}|{area.pk}",
                lambda: crime_summary(make_scope(area), with_detail=False),
                version=version,
            )
        except ScopeError:
            return None
        return {"summary": summary, "url": reverse(url_name, args=[getattr(area, key)])}

    return context


sections.register(
    "ward",
    order=20,
    template="crime/section.html",
    context=_context("ward", scope_for_ward, "crime:ward", "gss_code"),
)
sections.register(
    "borough",
    order=20,
    template="crime/section.html",
    context=_context("borough", lambda b: borough_scope(b.gss_code), "crime:borough", "gss_code"),
)
sections.register(
    "cluster",
    order=20,
    template="crime/section.html",
    context=_context("cluster", lambda c: cluster_scope(c.slug), "crime:cluster", "slug"),
)
