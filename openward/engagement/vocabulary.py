"""The standard minutes topics. Ward and cluster panels and the team's other meetings start with one list
(panels can add their own); a stop-and-search monitoring group's meetings start with another, in the words
of the Stop and Search Charter's reviews; "Other" is offered to both."""

from __future__ import annotations

from typing import NamedTuple

# Which meetings a standard topic is offered to (Topic.Meetings).
PANELS, MONITORING, ALL = "panels", "monitoring", "all"


class StandardTopic(NamedTuple):
    slug: str
    name: str
    meetings: str
    position: int


PANEL_TOPICS = [
    ("theft", "Theft"),
    ("personal-safety", "Personal safety"),
    ("night-time-economy", "Night-time economy"),
    ("drugs", "Drugs"),
    ("counter-terrorism", "Counter terrorism"),
    ("fraud", "Fraud"),
    ("cycle-safety", "Cycle safety"),
    ("anti-social-behaviour", "Anti-social behaviour"),
]

MONITORING_TOPICS = [
    ("stop-and-search-records-reviewed", "Stop and search records reviewed"),
    ("grounds-recorded", "Grounds recorded"),
    ("body-worn-video", "Body-worn video"),
    ("use-of-force", "Use of force"),
    ("disproportionality-figures", "Disproportionality figures"),
    ("force-response", "The force's response"),
    ("community-concerns", "Community concerns"),
]

STANDARD_TOPICS = (
    [StandardTopic(slug, name, PANELS, n) for n, (slug, name) in enumerate(PANEL_TOPICS, start=1)]
    + [StandardTopic(slug, name, MONITORING, 20 + n) for n, (slug, name) in enumerate(MONITORING_TOPICS, start=1)]
    + [StandardTopic("other", "Other", ALL, 99)]
)


def ensure_standard_topics(topic_model) -> None:
    """Create or refresh the standard topics (used by the data migrations and the demo step). A migration
    older than the `meetings` field passes a model without it; the later migration sets it."""
    has_meetings = any(f.name == "meetings" for f in topic_model._meta.get_fields())
    for topic in STANDARD_TOPICS:
        defaults = {"name": topic.name, "is_standard": True, "position": topic.position}
        if has_meetings:
            defaults["meetings"] = topic.meetings
        topic_model.objects.update_or_create(slug=topic.slug, defaults=defaults)


def standard_topics_missing(topic_model) -> bool:
    """Is any standard topic missing, or offered to the wrong meetings?"""
    found = set(
        topic_model.objects.filter(is_standard=True, slug__in=[t.slug for t in STANDARD_TOPICS]).values_list(
            "slug", "meetings"
        )
    )
    return found != {(t.slug, t.meetings) for t in STANDARD_TOPICS}
