"""Stop and search by ethnicity for a ward, borough or force: page and CSV (figures from `disproportionality`)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from openward.census.models import EthnicPopulation
from openward.core import access, deadline
from openward.core.pagecache import public_page

from .analytics.cache import cached, data_version
from .analytics.disproportionality import disproportionality
from .analytics.disproportionality_export import as_csv
from .analytics.scope import ScopeError, borough_scope, force_scope, ward_scope


def census_version() -> str:
    """Census tables change the figures too: their row count and newest id, one query."""
    from django.db.models import Count, Max

    agg = EthnicPopulation.objects.aggregate(n=Count("pk"), m=Max("pk"))
    return f"{agg['n']}:{agg['m']}"


def cached_disproportionality(key: str, make_scope, version: str | None = None):
    """`disproportionality` for the scope `make_scope` builds, cached per census and data version (`version`
    as the page read it, else read here)."""
    version = version or data_version()
    return cached(
        f"disproportionality|{key}|{census_version()}",
        lambda: disproportionality(make_scope(), version=version),
        version=version,
    )


def _page(request, key: str, make_scope):
    fmt = request.GET.get("format")
    if fmt not in (None, "", "csv"):
        return render(request, "crime/problem.html", {"message": "Downloads come as format=csv."}, status=400)
    try:
        with deadline.limit():
            result = cached_disproportionality(key, make_scope)
    except deadline.DeadlineExceeded as exc:
        return render(request, "crime/problem.html", {"message": str(exc)}, status=503)
    except ScopeError as exc:
        return render(request, "crime/problem.html", {"message": str(exc)}, status=404)
    if fmt == "csv":
        response = HttpResponse(as_csv(result), content_type="text/csv; charset=utf-8")
        name = slugify(f"stop-and-search-by-ethnicity-{result.scope.name}")[:80]
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    body = render_to_string("crime/_stop_search_content.html", {"d": result, "scope": result.scope})
    return render(request, "crime/stop_search.html", {"content": mark_safe(body), "name": result.scope.name})


@access.public
@public_page
def ward_stop_search(request, code: str):
    return _page(request, f"ward|{code}", lambda: ward_scope(code))


@access.public
@public_page
def borough_stop_search(request, code: str):
    return _page(request, f"borough|{code}", lambda: borough_scope(code))


@access.public
@public_page
def force_stop_search(request, slug: str):
    return _page(request, f"force|{slug}", lambda: force_scope(slug))
