"""The crime section on ward, borough and cluster pages (rendered by the areas app)."""

from django.urls import reverse

from openward.core import sections

from .analytics.cache import cached
from .analytics.scope import ScopeError, borough_scope, cluster_scope, scope_for_ward
from .analytics.summary import crime_summary


def _context(make_scope, url_name, key):
    def context(area, request):
        try:
            scope = make_scope(area)
        except ScopeError:
            return None
        return {
            "summary": cached(
                f"section|{scope.kind}|{scope.code}|{area.pk}", lambda: crime_summary(scope, with_detail=False)
            ),
            "url": reverse(url_name, args=[getattr(area, key)]),
        }

    return context


sections.register(
    "ward", order=20, template="crime/section.html", context=_context(scope_for_ward, "crime:ward", "gss_code")
)
sections.register(
    "borough",
    order=20,
    template="crime/section.html",
    context=_context(lambda b: borough_scope(b.gss_code), "crime:borough", "gss_code"),
)
sections.register(
    "cluster",
    order=20,
    template="crime/section.html",
    context=_context(lambda c: cluster_scope(c.slug), "crime:cluster", "slug"),
)
