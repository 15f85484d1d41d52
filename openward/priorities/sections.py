"""The "You said, we did" section on ward, cluster and borough pages."""

from __future__ import annotations

from openward.core import sections

from .results import published_results
from .selectors import anything_for, you_said_we_did


def _context(wards, area, kind):
    # Most area pages have nothing here yet: find that out in one query.
    if not anything_for(wards):
        return None
    data = you_said_we_did(wards)
    if not (data["open_priorities"] or data["past_priorities"] or data["consultations"]):
        return None
    open_consultations = [c for c in data["consultations"] if c.status() == "open"]
    latest_closed = next((c for c in data["consultations"] if c.status() == "closed"), None)
    results = published_results(latest_closed) if latest_closed else None
    headline = (results.verified or results.overall) if results else None
    return {
        "area": area,
        "kind": kind,
        "open_priorities": data["open_priorities"],
        "recently_reviewed": data["past_priorities"][:3],
        "open_consultations": open_consultations,
        "latest_closed": latest_closed,
        "headline": headline,
    }


def ward_context(ward, request):
    return _context([ward], ward, "ward")


def cluster_context(cluster, request):
    return _context(cluster.wards.all(), cluster, "cluster")


def borough_context(borough, request):
    return _context(borough.wards.all(), borough, "borough")


TEMPLATE = "priorities/section.html"
sections.register("ward", order=40, template=TEMPLATE, context=ward_context)
sections.register("cluster", order=40, template=TEMPLATE, context=cluster_context)
sections.register("borough", order=40, template=TEMPLATE, context=borough_context)
