"""After a ward import: which wards touch, and the police.uk neighbourhood each ward is."""

from __future__ import annotations

from datetime import date

import numpy as np
import shapely
from django.db.models import Q

from openward.core.bulk import update_rows

from .. import geo
from ..models import Force, Neighbourhood, Ward, WardGeneration
from . import places

# Generalised boundary files leave slivers of a few metres between wards that share an edge;
# 0.0001° is 7–11 m in London, far below the width of any ward.
NEIGHBOUR_GAP_DEGREES = 0.0001


def link_neighbours(gen: WardGeneration) -> int:
    """Store Ward.neighbours for every ward of `gen`: boundaries that touch, overlap or nearly touch."""
    wards = list(Ward.objects.filter(generation=gen).exclude(boundary="").only("pk", "boundary"))
    through = Ward.neighbours.through
    through.objects.filter(Q(from_ward__generation=gen) | Q(to_ward__generation=gen)).delete()
    if len(wards) < 2:
        return 0
    geometries = shapely.from_geojson([w.boundary for w in wards])
    tree = shapely.STRtree(geometries)
    left, right = tree.query(geometries, predicate="dwithin", distance=NEIGHBOUR_GAP_DEGREES)
    pairs = {(int(a), int(b)) for a, b in zip(left, right, strict=True) if a < b}
    ids = np.array([w.pk for w in wards])
    rows = []
    for a, b in sorted(pairs):
        rows.append(through(from_ward_id=ids[a], to_ward_id=ids[b]))
        rows.append(through(from_ward_id=ids[b], to_ward_id=ids[a]))
    through.objects.bulk_create(rows, batch_size=1000)
    return len(pairs)


def neighbourhood_force_slug(ward: Ward) -> str | None:
    if ward.borough.force is not None:
        return ward.borough.force.slug
    if ward.borough.is_demo:
        # Generated boroughs use E09 codes too, but the Met does not police them.
        return None
    return places.london_force_slug(ward.borough.gss_code)


def open_neighbourhoods(gen: WardGeneration, *, demo: bool = False) -> int:
    """One police.uk neighbourhood per ward (its id is the ward's GSS code), kept across generations.

    A ward code unchanged between generations is one neighbourhood valid over both; it points at
    the newest generation's ward.
    """
    forces: dict[str, Force] = {}
    existing = {
        (n.force_id, n.code): n for n in Neighbourhood.objects.select_related("ward__generation").order_by("pk")
    }
    new, kept, changed = [], [], []
    for ward in Ward.objects.filter(generation=gen).select_related("borough__force"):
        slug = neighbourhood_force_slug(ward)
        if slug is None:
            continue
        force = forces.get(slug) or forces.setdefault(slug, places.force(slug))
        nbhd = existing.get((force.pk, ward.gss_code))
        if nbhd is None:
            new.append(
                Neighbourhood(
                    force=force,
                    code=ward.gss_code,
                    name=ward.name,
                    ward=ward,
                    valid_from=ward.valid_from,
                    valid_to=ward.valid_to,
                    is_demo=demo or ward.is_demo,
                )
            )
            continue
        before = _stored(nbhd)
        current = nbhd.ward.generation if nbhd.ward is not None else None
        if current is None or current.pk == gen.pk or _starts(gen) >= _starts(current):
            nbhd.ward, nbhd.name = ward, ward.name
        starts = [d for d in (nbhd.valid_from, ward.valid_from) if d]
        nbhd.valid_from = min(starts) if len(starts) == 2 else None
        nbhd.valid_to = None if nbhd.valid_to is None or ward.valid_to is None else max(nbhd.valid_to, ward.valid_to)
        kept.append(nbhd)
        if _stored(nbhd) != before:
            changed.append(nbhd)
    Neighbourhood.objects.bulk_create(new, batch_size=500)
    # Only the rows that change are written: a second import of the same wards (or the demo's wards joining
    # London's generation) leaves hundreds of neighbourhoods as they were.
    update_rows(changed, ["ward", "name", "valid_from", "valid_to"])
    geo.neighbourhood_boundaries_changed()
    return len(new) + len(kept)


def _stored(nbhd: Neighbourhood) -> tuple:
    return nbhd.ward_id, nbhd.name, nbhd.valid_from, nbhd.valid_to


def _starts(gen: WardGeneration) -> date:
    return gen.valid_from or date.min
