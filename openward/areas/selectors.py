"""Reads over places: postcode → ward, point → neighbourhood, neighbours, nearest front counter.

Look-ups return plain values (codes and names) so a page or an API call costs one or two
indexed queries; pages that need the full ward fetch it by code afterwards.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from django.db import connections, router
from django.db.models import F, Q
from django.db.models.functions import Length
from django.http import Http404
from django.utils import timezone

from openward.core import process_caches
from openward.core.models import ImportRun
from openward.core.values import InvalidPostcode, Postcode

from . import geo
from .models import GSS_CODE_RE, Borough, Cluster, Force, Neighbourhood, Station, TeamMember, Ward, WardGeneration
from .models import Postcode as PostcodeRecord

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")
# Importers whose runs date the postcode look-up (the areas-data importers' names).
POSTCODE_IMPORTERS = ("codepoint-open", "ons-postcode-directory")


class PostcodeLookupError(ValueError):
    """A postcode we cannot place; `str(error)` is a message a person can act on."""

    status = 404


class PostcodeInvalid(PostcodeLookupError):
    status = 400


class PostcodeUnknown(PostcodeLookupError):
    pass


class PostcodeTerminated(PostcodeLookupError):
    def __init__(self, message: str, terminated: date, suggestion: Postcode | None):
        super().__init__(message)
        self.terminated = terminated
        self.suggestion = suggestion


@dataclass(frozen=True)
class PostcodeResult:
    """Where a postcode is: its ward, borough, force and police.uk neighbourhood."""

    postcode: Postcode
    latitude: float | None
    longitude: float | None
    ward_code: str
    ward_name: str
    borough_code: str
    borough_name: str
    force_id: str
    force_name: str
    neighbourhood_id: str
    neighbourhood_name: str
    is_demo: bool


# The look-ups below are the hottest paths in the app (every "find your ward" and every
# locate-neighbourhood call), so they are single hand-written queries: building an ORM query
# costs about as much as running it here (measured by bench/bench_lookup_http.py).
# Ordering puts the current generation's ward first, then its current neighbourhood.
_AREA_COLUMNS = (
    "w.id, w.gss_code, w.name, w.is_demo, b.gss_code, b.name, bf.slug, bf.name, n.code, n.name, nf.slug, nf.name"
)
_AREA_JOINS = (
    " LEFT JOIN {generation} g ON g.id = w.generation_id"
    " LEFT JOIN {borough} b ON b.id = w.borough_id"
    " LEFT JOIN {force} bf ON bf.id = b.force_id"
    " LEFT JOIN {neighbourhood} n ON n.ward_id = w.id"
    " LEFT JOIN {force} nf ON nf.id = n.force_id"
)
_AREA_ORDER = (
    " ORDER BY CASE WHEN g.valid_from IS NULL THEN 1 ELSE 0 END, g.valid_from DESC, w.id DESC,"
    " CASE WHEN n.code IS NULL THEN 1 ELSE 0 END, CASE WHEN n.valid_to IS NULL THEN 0 ELSE 1 END, n.id LIMIT 1"
)


def _tables() -> dict[str, str]:
    return {
        "postcode": PostcodeRecord._meta.db_table,
        "ward": Ward._meta.db_table,
        "generation": WardGeneration._meta.db_table,
        "borough": Borough._meta.db_table,
        "force": Force._meta.db_table,
        "neighbourhood": Neighbourhood._meta.db_table,
    }


_POSTCODE_SQL = (
    "SELECT p.compact, p.latitude, p.longitude, p.terminated IS NOT NULL, p.is_demo, "
    + _AREA_COLUMNS
    + " FROM {postcode} p"
    " LEFT JOIN {ward} w ON w.gss_code = p.ward_code" + _AREA_JOINS + " WHERE p.compact = %s" + _AREA_ORDER
).format(**_tables())
_WARD_AREA_SQL = ("SELECT " + _AREA_COLUMNS + " FROM {ward} w" + _AREA_JOINS + " WHERE w.id = %s" + _AREA_ORDER).format(
    **_tables()
)
# A ward's team, for a point in no neighbourhood with a boundary of its own: those tied to the ward without
# one (the Met's, whose ids are ward codes) first; one with its own boundary, which the point is outside,
# only when the ward has no other (a boundary a little off the ward's must not leave its edge unserved).
_NEIGHBOURHOOD_SQL = (
    "SELECT f.slug, n.code FROM {neighbourhood} n JOIN {force} f ON f.id = n.force_id WHERE n.ward_id = %s"
    " ORDER BY CASE WHEN n.boundary = '' THEN 0 ELSE 1 END,"
    " CASE WHEN n.valid_to IS NULL THEN 0 ELSE 1 END, n.valid_to DESC, n.id LIMIT 1"
).format(**_tables())


def _fetch_one(sql: str, params: list) -> tuple | None:
    # Raw SQL goes where the ORM would read places from (the read replica, when there is one).
    with connections[router.db_for_read(Ward)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def postcode_data_updated() -> date | None:
    """When postcodes were last imported (the last committed postcode ImportRun)."""
    run = (
        ImportRun.objects.filter(Q(importer__in=POSTCODE_IMPORTERS) | Q(importer__icontains="postcode"))
        .filter(status=ImportRun.Status.COMMITTED)
        .order_by("-finished_at")
        .only("finished_at")
        .first()
    )
    return timezone.localdate(run.finished_at) if run else None


def _nearby_live_postcode(record: PostcodeRecord) -> Postcode | None:
    """The nearest live postcode in the same sector ("SW1A 1"), if there is one."""
    code = Postcode(record.compact)
    sector = code.outcode + code.incode[0]
    candidates = list(
        PostcodeRecord.objects.live()
        .annotate(length=Length("compact"))
        .filter(compact__startswith=sector, length=len(code.compact))
        .values_list("compact", "latitude", "longitude")
    )
    if not candidates:
        return None
    lat, lng = record.latitude, record.longitude
    if lat is not None and lng is not None:
        candidates.sort(key=lambda c: distance_km(lat, lng, c[1], c[2]) if c[1] is not None else 1e9)
    else:
        candidates.sort()
    return Postcode(candidates[0][0])


def postcode_lookup(text: str) -> PostcodeResult:
    """Place a postcode written any way ("sw1a1aa", " SW1A  1AA "); raises PostcodeLookupError."""
    try:
        code = Postcode.parse(text)
    except InvalidPostcode as exc:
        raise PostcodeInvalid(str(exc)) from None
    row = _fetch_one(_POSTCODE_SQL, [code.compact])
    if row is None:
        updated = postcode_data_updated()
        when = f"last updated {updated:%Y-%m-%d}" if updated else "no postcode data has been loaded yet"
        raise PostcodeUnknown(f'Postcode "{code}" is not in our lookup ({when}). Check it, or try a nearby postcode.')
    _, lat, lng, terminated, postcode_is_demo, *area = row
    if terminated:
        record = PostcodeRecord.objects.get(compact=code.compact)
        ended = record.terminated
        assert ended is not None  # the look-up's row said it is terminated
        suggestion = _nearby_live_postcode(record)
        message = f'Postcode "{code}" is no longer in use: it was terminated on {ended:%-d %B %Y}.'
        message += (
            f' Try a nearby postcode that is still in use, such as "{suggestion}".'
            if suggestion
            else " Try a nearby postcode that is still in use."
        )
        raise PostcodeTerminated(message, ended, suggestion)
    if area[0] is None and lat is not None and lng is not None:
        # The source's ward code is unknown to us (another generation): place the point instead.
        ward_id = int(geo.locate_ward_ids([lat], [lng])[0])
        area = list(_fetch_one(_WARD_AREA_SQL, [ward_id]) or area) if ward_id else area
    if area[0] is None:
        raise PostcodeUnknown(
            f'Postcode "{code}" is outside the wards we cover. Check it, or try a postcode in London.'
        )
    (
        _,
        ward_code,
        ward_name,
        ward_is_demo,
        borough_code,
        borough_name,
        bf_slug,
        bf_name,
        nb_code,
        nb_name,
        nf_slug,
        nf_name,
    ) = area
    return PostcodeResult(
        postcode=code,
        latitude=lat,
        longitude=lng,
        ward_code=ward_code,
        ward_name=ward_name,
        borough_code=borough_code or "",
        borough_name=borough_name or "",
        force_id=nf_slug or bf_slug or "",
        force_name=nf_name or bf_name or "",
        neighbourhood_id=nb_code or "",
        neighbourhood_name=nb_name or "",
        is_demo=bool(ward_is_demo or postcode_is_demo),
    )


_generations: dict[tuple, WardGeneration | None] = {}
process_caches.register(_generations.clear)


def _current_generation() -> WardGeneration | None:
    """The generation in force today, remembered per process until the day or the boundaries change."""
    key = (timezone.localdate(), process_caches.shared_version(geo.VERSION_KEY))
    if key not in _generations:
        _generations.clear()
        _generations[key] = geo.generation_for(key[0])
    return _generations[key]


# Buckingham Palace's postcode: known to everyone, and in every Code-Point Open release.
EXAMPLE_POSTCODE = "SW1A1AA"


def example_postcode() -> Postcode | None:
    """A real postcode the site knows, for the home page's hint (SW1A 1AA when it is loaded)."""
    live = PostcodeRecord.objects.live().filter(is_demo=False).order_by("compact").values_list("compact", flat=True)
    first = live.filter(compact=EXAMPLE_POSTCODE).first() or live.first()
    return Postcode(first) if first else None


def demo_postcode() -> Postcode | None:
    """A postcode in the generated demo area, to suggest on the home page when the demo is loaded."""
    compact = PostcodeRecord.objects.live().filter(is_demo=True).order_by("compact").values_list("compact", flat=True)
    first = compact.first()
    return Postcode(first) if first else None


def locate_neighbourhood(lat: float, lng: float, on: date | None = None) -> tuple[str, str] | None:
    """(force id, neighbourhood id) of the team covering a point, or None.

    As police.uk answers locate-neighbourhood: the neighbourhood whose boundary contains the point. A
    neighbourhood with a boundary of its own (stored by the sync for forces that draw their own) is found
    by that boundary, whatever ward the point is in; the others (the Met's, tied to GSS wards) through the
    ward containing the point."""
    found = geo.neighbourhood_index(on).locate(lat, lng)
    if found is not None:
        return found
    if on is None:
        ward_id = int(geo.ward_index(_current_generation()).locate([lat], [lng])[0])
    else:
        ward_id = int(geo.locate_ward_ids([lat], [lng], on=on)[0])
    if not ward_id:
        return None
    return _fetch_one(_NEIGHBOURHOOD_SQL, [ward_id])


def ward_by_code(code: str, generation: str | None = None) -> Ward | None:
    """The ward with a GSS code, in the named generation or else the one in force (see Ward.objects.by_code)."""
    return Ward.objects.by_code(code, generation or None)


def ward_or_404(code: str, generation: str | None = None) -> Ward:
    """The ward for a GSS code (see Ward.objects.by_code), or a 404 that says no ward has it."""
    ward = Ward.objects.by_code(code, generation or None)
    if ward is None:
        raise Http404(f'There is no ward with the code "{str(code)[:20]}". Ward codes look like E05000138.')
    return ward


def ward_has_ended(ward: Ward) -> bool:
    """Is the ward's boundary generation (or the ward itself) no longer in force?"""
    today = timezone.localdate()
    ends = [d for d in (ward.valid_to, ward.generation.valid_to if ward.generation else None) if d]
    return any(d < today for d in ends)


def ward_now_covering(ward: Ward) -> Ward | None:
    """For a ward no longer in force, the current ward covering its centre (None if it is current)."""
    if not ward_has_ended(ward) or ward.centre_lat is None or ward.centre_lng is None:
        return None
    return Ward.objects.covering(ward.centre_lat, ward.centre_lng).first()


def borough_by_code(code: str) -> Borough | None:
    if not GSS_CODE_RE.match(code or ""):
        return None
    return Borough.objects.select_related("force").filter(gss_code=code).first()


def cluster_by_slug(slug: str) -> Cluster | None:
    if not SLUG_RE.match(slug or ""):
        return None
    return Cluster.objects.select_related("borough").filter(slug=slug).first()


def current_wards():
    """Wards of the generation in force today (all wards if no generation is loaded)."""
    generation = geo.generation_for()
    wards = Ward.objects.select_related("borough")
    return wards.filter(generation=generation) if generation else wards


def wards_in_box(west: float, south: float, east: float, north: float):
    """Current wards whose own boxes meet a box (WGS84 degrees): the ones a map of that box shows."""
    inside = current_wards().filter(min_lat__lte=north, max_lat__gte=south, min_lng__lte=east, max_lng__gte=west)
    return inside.order_by("name")


def borough_wards(borough: Borough):
    return current_wards().filter(borough=borough).order_by("name")


def cluster_wards(cluster: Cluster):
    return cluster.wards.select_related("borough").order_by("name")


def neighbouring_wards(ward: Ward):
    """Wards sharing a boundary with `ward` (computed by the boundary importer)."""
    return ward.neighbours.select_related("borough").order_by("name")


def ward_neighbourhood(ward: Ward) -> Neighbourhood | None:
    """The police.uk neighbourhood for a ward, preferring one still current."""
    return (
        Neighbourhood.objects.filter(ward=ward)
        .select_related("force")
        .order_by(F("valid_to").desc(nulls_first=True), "id")
        .first()
    )


def team(neighbourhood: Neighbourhood | None) -> list[TeamMember]:
    if neighbourhood is None:
        return []
    return list(neighbourhood.people.all())


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class NearbyStation:
    station: Station
    distance_km: float


def nearest_front_counters(
    lat: float | None, lng: float | None, limit: int = 1, *, demo: bool | None = None
) -> list[NearbyStation]:
    """Front counters nearest a point, closest first; `demo` keeps only generated (True) or real (False) ones."""
    if lat is None or lng is None:
        return []
    stations = Station.objects.filter(has_front_counter=True, latitude__isnull=False, longitude__isnull=False)
    if demo is not None:
        stations = stations.filter(is_demo=demo)
    ranked = sorted(
        (
            NearbyStation(s, distance_km(lat, lng, s.latitude, s.longitude))
            for s in stations
            if s.latitude is not None and s.longitude is not None  # as filtered: for the type checker
        ),
        key=lambda n: n.distance_km,
    )
    return ranked[:limit]


def nearest_front_counter(ward: Ward) -> NearbyStation | None:
    """The front counter nearest the ward's centre, or None; a real ward is never sent to a generated station."""
    found = nearest_front_counters(ward.centre_lat, ward.centre_lng, 1, demo=None if ward.is_demo else False)
    return found[0] if found else None


DAYS = (
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
)


def opening_hours(station: Station) -> list[tuple[str, str]]:
    """[("Monday", "08:00 to 20:00"), ("Sunday", "Closed"), …]; days the data does not mention are left out."""
    hours = station.opening_hours or {}
    out = []
    for key, day in DAYS:
        if key not in hours:
            continue
        spans = hours[key] or []
        text = ", ".join(f"{a} to {b}" for a, b in spans) if spans else "Closed"
        out.append((day, text))
    return out
