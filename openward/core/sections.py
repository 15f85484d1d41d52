"""Sections that apps add to area pages (and to a priority's page), so those pages do not import every app.

An app registers a section in its AppConfig.ready():

    sections.register("ward", order=20, template="crime/ward_section.html", context=ward_crime_context)

The area view renders each registered section for that kind of area, in order, passing
the area and the request to `context`, which returns the section's template context
(or None to leave the section out).

An app also says what it has no data for yet, so a newly loaded area's page is plain about it:

    sections.register_gap("ward", order=20, explain=lambda ward: "No crime figures …" if … else None)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

AREA_KINDS = ("ward", "borough", "cluster", "priority")


@dataclass(frozen=True)
class Section:
    kind: str
    order: int
    template: str
    context: Callable[[Any, Any], dict | None]


_registry: list[Section] = []


def register(kind: str, *, order: int, template: str, context: Callable[[Any, Any], dict | None]) -> None:
    if kind not in AREA_KINDS:
        raise ValueError(f"Unknown area kind {kind!r}; expected one of {AREA_KINDS}.")
    if any(s.kind == kind and s.template == template for s in _registry):
        return
    _registry.append(Section(kind, order, template, context))
    _registry.sort(key=lambda s: (s.kind, s.order))


def render_context(kind: str, area, request) -> list[dict]:
    """The sections for one area: [{"template": ..., "context": {...}}, ...]."""
    out = []
    for section in _registry:
        if section.kind != kind:
            continue
        ctx = section.context(area, request)
        if ctx is not None:
            out.append({"template": section.template, "context": ctx})
    return out


@dataclass(frozen=True)
class Gap:
    kind: str
    order: int
    explain: Callable[[Any], str | None]


_gaps: list[Gap] = []


def register_gap(kind: str, *, order: int, explain: Callable[[Any], str | None]) -> None:
    """Say what an app has no data for yet on an area page: `explain(area)` returns a sentence, or None."""
    if kind not in AREA_KINDS:
        raise ValueError(f"Unknown area kind {kind!r}; expected one of {AREA_KINDS}.")
    if any(g.kind == kind and g.explain is explain for g in _gaps):
        return
    _gaps.append(Gap(kind, order, explain))
    _gaps.sort(key=lambda g: (g.kind, g.order))


def gaps(kind: str, area) -> list[str]:
    """What the registered apps have no data for yet on this area, in order."""
    return [text for g in _gaps if g.kind == kind and (text := g.explain(area))]


@dataclass(frozen=True)
class ListedElsewhere:
    kind: str
    topic: str
    describe: Callable[[Any], str | None]


_elsewhere: list[ListedElsewhere] = []


def register_listed_elsewhere(kind: str, topic: str, *, describe: Callable[[Any], str | None]) -> None:
    """Say that an app shows more of a topic (e.g. "meetings") on an area page than the app that owns the
    topic knows of: `describe(area)` returns a sentence saying what and where (e.g. the events police.uk
    lists), or None. The owning app asks `listed_elsewhere` before saying the page has none."""
    if kind not in AREA_KINDS:
        raise ValueError(f"Unknown area kind {kind!r}; expected one of {AREA_KINDS}.")
    if any(e.kind == kind and e.topic == topic and e.describe is describe for e in _elsewhere):
        return
    _elsewhere.append(ListedElsewhere(kind, topic, describe))


def listed_elsewhere(kind: str, topic: str, area) -> list[str]:
    """The sentences other apps give for `topic` on this area's page (asked once per page build)."""
    return page_value(
        area,
        ("listed-elsewhere", kind, topic),
        lambda: [text for e in _elsewhere if e.kind == kind and e.topic == topic and (text := e.describe(area))],
    )


def page_value(area, key: Any, read: Callable[[], T]) -> T:
    """A value several sections or gaps of one area page need (e.g. crime's data version), read once for the
    page build and handed to each of them.

    It is kept on the area object the page's view loaded for this build, so it lives exactly as long as the
    build: the next page, or the same page requested again, loads its area afresh and reads it again.
    """
    values = area.__dict__.setdefault("_page_values", {})
    if key not in values:
        values[key] = read()
    return values[key]
