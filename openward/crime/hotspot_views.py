"""Hot-spot pages (map, tables, CSV, GeoJSON) for any area, and demand per officer for a borough.

Each is kept whole for anonymous visitors until the data changes (`public_page`): the figures are cached
already, but drawing the map and the tables of a borough's cells took half a second a visit."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from openward.core import access, deadline
from openward.core.pagecache import public_page

from .analytics import demand as demand_module
from .analytics import hotspot_export
from .analytics.cache import cached
from .analytics.hotspots import hot_spots, period_for
from .analytics.scope import (
    ScopeError,
    UnknownForce,
    borough_scope,
    check_force,
    cluster_scope,
    force_scope,
    polygon_scope,
    ward_scope,
)
from .analytics.summary import SNAP_POINT_CAVEAT

FORMATS = {"csv": ("text/csv; charset=utf-8", "csv"), "geojson": ("application/geo+json", "geojson")}


def compute_hot_spots(make_scope, first, last, force_slug):
    """The HotSpots for a scope and period (raises ScopeError with a message a person can act on)."""
    scope = make_scope()
    check_force(force_slug)
    return hot_spots(scope, period_for(first, last), force_slug)


def cached_hot_spots(key: str, make_scope, first, last, force_slug):
    return cached(
        f"hotspots|{key}|{first}|{last}|{force_slug}", lambda: compute_hot_spots(make_scope, first, last, force_slug)
    )


def _page(request, key: str, make_scope, not_found_status: int = 404):
    get = request.POST if request.method == "POST" else request.GET
    first, last = get.get("from") or None, get.get("to") or None
    force_slug = get.get("force") or None
    fmt = get.get("format")
    if fmt and fmt not in FORMATS:
        return _problem(request, "Downloads come as format=csv or format=geojson.", 400)
    try:
        with deadline.limit():
            result = cached_hot_spots(key, make_scope, first, last, force_slug)
    except deadline.DeadlineExceeded as exc:
        return _problem(request, str(exc), 503)
    except UnknownForce as exc:
        return _problem(request, str(exc), 400)
    except ScopeError as exc:
        status = not_found_status if str(exc).startswith("There is no") else 400
        return _problem(request, str(exc), status)
    if fmt:
        content_type, ext = FORMATS[fmt]
        body = hotspot_export.hotspots_csv(result) if fmt == "csv" else hotspot_export.hotspots_geojson(result)
        response = HttpResponse(body, content_type=content_type)
        filename = slugify(f"hot-spots-{result.kind}-{result.name}")[:80] or "hot-spots"
        response["Content-Disposition"] = f'attachment; filename="{filename}.{ext}"'
        return response
    query = get.copy()
    query.pop("format", None)
    context = {
        "result": result,
        "map_svg": hotspot_export.hotspots_svg(result) if result.has_data else "",
        "top_cells": result.by_count[: hotspot_export.TABLE_ROWS],
        "top_harm_cells": result.by_harm[: hotspot_export.TABLE_ROWS],
        "top_points": result.points_by_count[: hotspot_export.TABLE_ROWS],
        "caveat": SNAP_POINT_CAVEAT,
        "method": hotspot_export.METHOD,
        "query": query.urlencode(),
        "poly": get.get("poly", ""),
    }
    body = mark_safe(render_to_string("crime/hotspots.html", context, request=request))
    return render(request, "crime/area.html", {"content": body, "name": f"Hot spots in {result.name}"})


def _problem(request, message: str, status: int):
    return render(request, "crime/problem.html", {"message": message}, status=status)


@access.public
@public_page
def ward_hot_spots(request, code: str):
    return _page(request, f"ward|{code}", lambda: ward_scope(code))


@access.public
@public_page
def borough_hot_spots(request, code: str):
    return _page(request, f"borough|{code}", lambda: borough_scope(code))


@access.public
@public_page
def cluster_hot_spots(request, slug: str):
    return _page(request, f"cluster|{slug}", lambda: cluster_scope(slug))


@access.public
@public_page
def force_hot_spots(request, slug: str):
    return _page(request, f"force|{slug}", lambda: force_scope(slug))


@access.public
@public_page
def drawn_area_hot_spots(request):
    """A drawn polygon (`poly=lat,lng:lat,lng:…`), by GET or, for long ones, a POST form."""
    poly = request.POST.get("poly") if request.method == "POST" else request.GET.get("poly")
    if not poly:
        return _problem(request, "Give the area as poly=lat,lng:lat,lng:lat,lng (at least three points).", 400)
    return _page(request, f"polygon|{poly}", lambda: polygon_scope(poly, require_simple=True), not_found_status=400)


@access.public
@public_page
def borough_demand(request, code: str):
    """Crime and harm per ward per officer of the ward's team, for a borough."""
    try:
        demand = cached_demand(code, request.GET.get("from") or None, request.GET.get("to") or None)
    except ScopeError as exc:
        return _problem(request, str(exc), 404 if str(exc).startswith("There is no") else 400)
    body = mark_safe(render_to_string("crime/demand.html", {"demand": demand}, request=request))
    return render(request, "crime/area.html", {"content": body, "name": f"Demand per officer in {demand.borough}"})


def cached_demand(code: str, first, last):
    return cached(f"demand|{code}|{first}|{last}", lambda: demand_module.borough_demand(code, period_for(first, last)))
