"""Crime pages for wards, boroughs, clusters, forces and drawn areas, with CSV and GeoJSON downloads."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from openward.areas.models import Force
from openward.areas.selectors import ward_by_code
from openward.core import access, deadline
from openward.core.pagecache import public_page

from .analytics import charts, export
from .analytics.cache import cached, data_version
from .analytics.scope import (
    ScopeError,
    UnknownForce,
    around_scope,
    borough_scope,
    check_force,
    cluster_scope,
    force_scope,
    polygon_scope,
    ward_scope,
)
from .analytics.summary import PAGE_POINTS, SNAP_POINT_CAVEAT, crime_summary
from .forms import AroundPostcodeForm
from .sections import CRIME_GAP, ward_has_any_data

FORMATS = {"csv": ("text/csv; charset=utf-8", "csv"), "geojson": ("application/geo+json", "geojson")}


def _problem(request, message: str, status: int):
    return render(request, "crime/problem.html", {"message": message}, status=status)


def _area_page(request, key: str, make_scope, not_found_status: int = 404, version: str | None = None):
    """Render an area's crime page or download; the body is cached per data version (`version` if the view
    has read it already), so a repeat visit costs one query."""
    force_slug = request.GET.get("force") or None
    fmt = request.GET.get("format")
    if fmt and fmt not in FORMATS:
        return _problem(request, "Downloads come as format=csv or format=geojson.", 400)
    query = request.GET.copy()
    query.pop("format", None)
    version = version or data_version()

    def compute():
        scope = make_scope()
        check_force(force_slug)
        return {
            "body": _render(scope, force_slug, fmt, query.urlencode(), version),
            "name": scope.name,
            "filename": slugify(f"crime-{scope.kind}-{scope.name}")[:80] or "crime",
        }

    try:
        with deadline.limit():
            page = cached(f"page|{key}|{force_slug}|{fmt}|{query.urlencode()}", compute, version=version)
    except deadline.DeadlineExceeded as exc:
        return _problem(request, str(exc), 503)
    except UnknownForce as exc:
        return _problem(request, str(exc), 400)
    except ScopeError as exc:
        return _problem(request, str(exc), not_found_status)
    if fmt:
        content_type, ext = FORMATS[fmt]
        response = HttpResponse(page["body"], content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{page["filename"]}.{ext}"'
        return response
    return render(
        request, "crime/area.html", {"content": mark_safe(page["body"]), "name": page["name"], **_street_map()}
    )


def _street_map() -> dict:
    """Where street-map tiles come from (none by default: the SVG map is all there is)."""
    return {"tile_url": settings.OPENWARD_TILE_URL, "tile_attribution": settings.OPENWARD_TILE_ATTRIBUTION}


def _kept_fields(scope, query: str) -> list[tuple[str, str]]:
    """What the page's "which forces" form sends again: the postcode and distance, or the drawn polygon."""
    asked = QueryDict(query)
    around = [(name, asked[name]) for name in ("postcode", "radius") if name in asked]
    return around or ([("poly", scope.code)] if scope.kind == "polygon" else [])


def _render(scope, force_slug, fmt, query, version: str) -> str:
    """The page body (or download) for one area."""
    summary = crime_summary(scope, force_slug, points_limit=None if fmt else PAGE_POINTS, version=version)
    if fmt == "csv":
        return export.summary_csv(summary)
    if fmt == "geojson":
        return export.summary_geojson(summary)
    boundary = getattr(scope.area, "boundary", None) if scope.area is not None else None
    context = {
        "summary": summary,
        "scope": scope,
        "trend_svg": charts.trend_svg(summary) if summary.has_data else "",
        "trend_legend": charts.trend_legend(summary) if summary.has_data else "",
        "map_svg": charts.map_svg(summary, boundary) if summary.has_data else "",
        "map_data": charts.map_data(summary, boundary) if summary.has_data else None,
        "busiest": summary.points[:10],
        "caveat": SNAP_POINT_CAVEAT,
        "forces": Force.objects.filter(slug__in=[f.key for f in summary.by_force]),
        "query": query,
        "keep": _kept_fields(scope, query),
    }
    return render_to_string("crime/_area_content.html", context)


@access.public
@public_page
def ward_crime(request, code: str):
    generation = request.GET.get("generation") or None
    ward = ward_by_code(code, generation)
    version = data_version()
    if ward is not None and not request.GET.get("format") and not ward_has_any_data(ward, version):
        # A ward whose force's data is not loaded: "fewer than 10 crimes" would be false, so say so.
        return render(request, "crime/not_loaded.html", {"ward": ward, "gap": CRIME_GAP})
    return _area_page(request, f"ward|{code}|{generation}", lambda: ward_scope(code, generation), version=version)


@access.public
@public_page
def borough_crime(request, code: str):
    return _area_page(request, f"borough|{code}", lambda: borough_scope(code))


@access.public
@public_page
def cluster_crime(request, slug: str):
    return _area_page(request, f"cluster|{slug}", lambda: cluster_scope(slug))


@access.public
@public_page
def force_crime(request, slug: str):
    return _area_page(request, f"force|{slug}", lambda: force_scope(slug))


@access.public
def drawn_area_crime(request):
    """A police.uk-style polygon (`poly=lat,lng:lat,lng:…`), by GET or, for long ones, a POST form; or the
    area within a distance of a postcode (`postcode=…&radius=500`), which needs no map at all."""
    if "postcode" in request.GET:
        around = AroundPostcodeForm(request.GET)
        if not around.is_valid():
            return render(request, "crime/draw.html", {"around": around, **_street_map()}, status=400)
        place, radius = around.result, around.cleaned_data["radius"]
        return _area_page(
            request,
            f"around|{place.postcode.compact}|{radius}",
            lambda: around_scope(place.latitude, place.longitude, radius, place.postcode.display),
        )
    poly = request.POST.get("poly") if request.method == "POST" else request.GET.get("poly")
    if not poly:
        return render(request, "crime/draw.html", {"around": AroundPostcodeForm(), **_street_map()})
    return _area_page(request, f"polygon|{poly}", lambda: polygon_scope(poly), not_found_status=400)
