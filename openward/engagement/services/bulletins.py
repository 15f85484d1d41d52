"""Bulletins: publish (subscribers are emailed after commit), correct and withdraw. Each write is atomic
and audited."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openward.core import audit
from openward.notifications import services as notifications
from openward.notifications.models import Notice

from .. import html, places
from ..models import Bulletin, BulletinImage


@transaction.atomic
def publish_bulletin(
    actor,
    *,
    title: str,
    body_html: str = "",
    body_markdown: str = "",
    kind: str = Bulletin.Kind.NEWS,
    summary: str = "",
    wards=(),
    clusters=(),
    boroughs=(),
    topics=(),
    images: Sequence[tuple] = (),
    is_demo: bool = False,
    notify: bool = True,
) -> Bulletin:
    """Publish a bulletin to the places it is aimed at (none chosen: all the author's places); subscribers
    are emailed after commit. The text is Markdown from the editor, or HTML (checked, then cleaned)."""
    body_html = _bulletin_body(body_html, body_markdown)
    wards, clusters, boroughs = _bulletin_places(actor, wards, clusters, boroughs)
    checked_images = [(html.checked_image(upload), alt) for upload, alt in images]
    bulletin = Bulletin.objects.create(
        title=title.strip(),
        kind=kind,
        summary=summary.strip(),
        body_markdown=body_markdown,
        body_html=body_html,
        author=actor,
        status=Bulletin.Status.PUBLISHED,
        published_at=timezone.now(),
        is_demo=is_demo,
    )
    bulletin.wards.set(wards)
    bulletin.clusters.set(clusters)
    bulletin.boroughs.set(boroughs)
    bulletin.topics.set(topics)
    for (upload, content_type), alt in checked_images:
        BulletinImage.objects.create(bulletin=bulletin, image=upload, content_type=content_type, alt_text=alt)
    audit.record(actor, "engagement.publish_bulletin", bulletin, title=bulletin.title)
    if notify:
        notifications.announce(Notice.Kind.BULLETIN, bulletin.pk, f"bulletin:{bulletin.pk}", bulletin.title)
    return bulletin


def _bulletin_body(body_html: str, body_markdown: str) -> str:
    if body_markdown.strip():
        return html.render_markdown(body_markdown)
    if not body_html.strip():
        raise ValidationError("Write the text of the bulletin.")
    problems = html.unsafe_parts(body_html)
    if problems:
        raise ValidationError(
            "The text contains things we do not allow for safety: "
            + "; ".join(problems[:5])
            + ". Remove them and try again."
        )
    return html.clean(body_html)


def _bulletin_places(actor, wards, clusters, boroughs) -> tuple[list, list, list]:
    """The places chosen, or when none are, every place the author works in as a team member."""
    wards, clusters, boroughs = list(wards), list(clusters), list(boroughs)
    if not (wards or clusters or boroughs) and actor is not None:
        wards, clusters, boroughs = places.own_places(actor, places.TEAM_ROLES)
    if not (wards or clusters or boroughs):
        raise ValidationError("Choose at least one ward, cluster or borough the bulletin is for.")
    return wards, clusters, boroughs


@transaction.atomic
def revise_bulletin(
    actor,
    bulletin: Bulletin,
    *,
    title: str,
    body_markdown: str,
    kind: str,
    summary: str = "",
    wards=(),
    clusters=(),
    boroughs=(),
    topics=(),
) -> Bulletin:
    """Correct a published bulletin: the page shows the new text and says when it was updated; nobody is
    emailed again."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status == Bulletin.Status.WITHDRAWN:
        raise ValidationError("This bulletin has been withdrawn, so it cannot be changed.")
    if not title.strip():
        raise ValidationError("Give the bulletin a title.")
    bulletin.body_html = _bulletin_body("", body_markdown)
    wards, clusters, boroughs = _bulletin_places(actor, wards, clusters, boroughs)
    bulletin.title, bulletin.kind, bulletin.summary = title.strip(), kind, summary.strip()
    bulletin.body_markdown = body_markdown
    bulletin.revised_at = timezone.now()
    bulletin.full_clean()
    bulletin.save()
    bulletin.wards.set(wards)
    bulletin.clusters.set(clusters)
    bulletin.boroughs.set(boroughs)
    bulletin.topics.set(topics)
    audit.record(actor, "engagement.revise_bulletin", bulletin, title=bulletin.title)
    return bulletin


@transaction.atomic
def withdraw_bulletin(actor, bulletin: Bulletin, reason: str) -> Bulletin:
    """Take a bulletin off the public pages (it is kept, marked withdrawn)."""
    bulletin.status = Bulletin.Status.WITHDRAWN
    bulletin.save(update_fields=["status"])
    audit.record(actor, "engagement.withdraw_bulletin", bulletin, reason=reason)
    return bulletin
