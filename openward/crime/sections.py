"""The crime section on ward, borough and cluster pages (rendered by the areas app).

Left out while neither crime nor stop and search data is loaded for the area (the page then says
so, and how it is loaded); otherwise a cached summary, so a page view costs one query.
"""

from django.urls import reverse

from openward.core import sections

from .analytics.cache import cached, data_version, has_crime_data
from .analytics.scope import ScopeError, borough_scope, cluster_scope, scope_for_ward
from .analytics.summary import crime_summary
from .models import MonthlyCount, Stop

CRIME_GAP = (
    "Crime figures: none are loaded for this ward yet. data.police.uk publishes every force's crimes each "
    "month; they appear here once the site's administrators import them (manage.py import_crime) or sync them "
    "from police.uk (manage.py sync_policeuk)."
)


def ward_has_crime_data(ward, version: str) -> bool:
    """Is any crime recorded in this ward loaded? (A real ward with none means its force's data is not.)"""
    if not has_crime_data(version):
        return False
    return cached(
        f"has-records|ward|{ward.pk}", lambda: MonthlyCount.objects.filter(ward=ward).exists(), version=version
    )


def ward_has_any_data(ward, version: str) -> bool:
    """Crime or stop and search loaded for this ward: otherwise its crime page has nothing to show."""
    return ward_has_crime_data(ward, version) or cached(
        f"has-stops|ward|{ward.pk}", lambda: Stop.objects.filter(ward=ward).exists(), version=version
    )


def page_data_version(area) -> str:
    """The data version, read once for every crime section and gap of one area page."""
    return sections.page_value(area, "crime-data-version", data_version)


def _context(kind, make_scope, url_name, key):
    def context(area, request):
        version = page_data_version(area)
        if not has_crime_data(version) or kind == "ward" and not ward_has_any_data(area, version):
            return None
        try:
            summary = cached(
                f"section|{kind}|{area.pk}",
                lambda: crime_summary(make_scope(area), with_detail=False, version=version),
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
sections.register_gap(
    "ward", order=20, explain=lambda ward: None if ward_has_crime_data(ward, page_data_version(ward)) else CRIME_GAP
)


def _stop_search_context(kind, make_scope, url_name, key):
    """Stop and search by ethnicity on ward and borough pages, once stops are loaded for the area."""

    def context(area, request):
        from .stopsearch_views import cached_disproportionality

        version = page_data_version(area)
        if not has_crime_data(version) or kind == "ward" and not ward_has_any_data(area, version):
            return None
        try:
            result = cached_disproportionality(f"{kind}|{getattr(area, key)}", lambda: make_scope(area), version)
        except ScopeError:
            return None
        if not result.has_data:
            return None
        return {"d": result, "url": reverse(url_name, args=[getattr(area, key)])}

    return context


sections.register(
    "ward",
    order=25,
    template="crime/stop_search_section.html",
    context=_stop_search_context("ward", scope_for_ward, "crime:stop-search-ward", "gss_code"),
)
sections.register(
    "borough",
    order=25,
    template="crime/stop_search_section.html",
    context=_stop_search_context(
        "borough", lambda b: borough_scope(b.gss_code), "crime:stop-search-borough", "gss_code"
    ),
)
