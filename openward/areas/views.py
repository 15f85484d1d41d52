"""Area pages: find your ward, ward, borough and cluster pages."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from openward.core import access, sections
from openward.core.pagecache import public_page

from . import selectors
from .forms import PostcodeForm
from .maps import boundary_map


def _sections(kind: str, area, request) -> list[str]:
    """Sections other apps register for this kind of area, rendered in order."""
    return [
        mark_safe(render_to_string(s["template"], {"area": area, **s["context"]}, request=request))  # noqa: S308
        for s in sections.render_context(kind, area, request)
    ]


TEAM_GAP = (
    "Neighbourhood team: not loaded yet. police.uk publishes each team's officers and how to reach them; "
    "they appear here once the site's administrators load them (manage.py import_neighbourhood_teams) or "
    "sync them from police.uk (manage.py sync_policeuk)."
)
FRONT_COUNTER_GAP = (
    "Police front counters: none are loaded near this ward yet. They come with the neighbourhood team data."
)


def _ward_gaps(ward, neighbourhood, team, front_counter) -> list[str]:
    """What the page has no data for yet, in words, with how it gets loaded."""
    found = []
    if not team and not (neighbourhood and (neighbourhood.contact_details or neighbourhood.url_force)):
        found.append(TEAM_GAP)
    if front_counter is None:
        found.append(FRONT_COUNTER_GAP)
    return found + sections.gaps("ward", ward)


def _ward_map_description(ward, neighbours) -> str:
    text = f"{ward.name} ward is shaded blue."
    if neighbours:
        text += f" Around it, in grey: {', '.join(n.name for n in neighbours)}."
    return text


def _wards_map_description(name: str, wards) -> str:
    return f"The {len(wards)} wards of {name}: {', '.join(w.name for w in wards)}." if wards else ""


@access.public
def home(request):
    form = PostcodeForm(request.GET) if "postcode" in request.GET else PostcodeForm()
    if form.is_bound and form.is_valid():
        return redirect("areas:ward", code=form.result.ward_code)
    return render(
        request,
        "areas/home.html",
        {"form": form, "example_postcode": selectors.example_postcode(), "demo_postcode": selectors.demo_postcode()},
    )


@access.public
@public_page
def ward_detail(request, code: str):
    ward = selectors.ward_or_404(code, request.GET.get("generation"))
    neighbourhood = selectors.ward_neighbourhood(ward)
    team = selectors.team(neighbourhood)
    replaced_by = selectors.ward_now_covering(ward)
    neighbours = list(selectors.neighbouring_wards(ward))
    front_counter = selectors.nearest_front_counter(ward)
    ward_map = boundary_map(
        [(n, "neighbour", reverse("areas:ward", args=[n.gss_code])) for n in neighbours] + [(ward, "area", None)]
    )
    return render(
        request,
        "areas/ward.html",
        {
            "ward": ward,
            "ward_ended": selectors.ward_has_ended(ward),
            "replaced_by": replaced_by,
            "neighbourhood": neighbourhood,
            "team": team,
            "gaps": _ward_gaps(ward, neighbourhood, team, front_counter),
            "front_counter": front_counter,
            "opening_hours": selectors.opening_hours(front_counter.station) if front_counter else [],
            "neighbours": neighbours,
            "clusters": list(ward.clusters.order_by("name")),
            "map": ward_map,
            "map_title": f"Map of {ward.name} ward",
            "map_description": _ward_map_description(ward, neighbours),
            "geojson_url": f"/api/v1/wards/{ward.gss_code}/boundary",
            "sections": _sections("ward", ward, request),
        },
    )


@access.public
@public_page
def borough_list(request):
    boroughs = selectors.Borough.objects.current().select_related("force").order_by("name")
    return render(request, "areas/borough_list.html", {"boroughs": boroughs})


@access.public
@public_page
def borough_detail(request, code: str):
    borough = selectors.borough_by_code(code)
    if borough is None:
        raise Http404(f'There is no borough with the code "{code[:20]}".')
    wards = list(selectors.borough_wards(borough))
    return render(
        request,
        "areas/borough.html",
        {
            "borough": borough,
            "wards": wards,
            "clusters": list(borough.clusters.order_by("name")),
            "map": boundary_map([(w, "area", reverse("areas:ward", args=[w.gss_code])) for w in wards]),
            "map_title": f"Map of the wards of {borough.name}",
            "map_description": _wards_map_description(borough.name, wards),
            "geojson_url": f"/api/v1/boroughs/{borough.gss_code}/wards.geojson",
            "sections": _sections("borough", borough, request),
        },
    )


@access.public
@public_page
def cluster_detail(request, slug: str):
    cluster = selectors.cluster_by_slug(slug)
    if cluster is None:
        raise Http404(f'There is no cluster called "{slug[:40]}".')
    wards = list(selectors.cluster_wards(cluster))
    return render(
        request,
        "areas/cluster.html",
        {
            "cluster": cluster,
            "wards": wards,
            "map": boundary_map([(w, "area", reverse("areas:ward", args=[w.gss_code])) for w in wards]),
            "map_title": f"Map of the wards of {cluster.name}",
            "map_description": _wards_map_description(cluster.name, wards),
            "geojson_url": f"/api/v1/clusters/{cluster.slug}/wards.geojson",
            "sections": _sections("cluster", cluster, request),
        },
    )
