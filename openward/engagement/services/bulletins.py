"""Bulletins: publish (subscribers are emailed after commit), correct and withdraw. Each write is atomic
and audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openward.core import audit
from openward.notifications import services as notifications
from openward.notifications.models import Notice

from .. import html, places
from ..models import Bulletin, BulletinImage


@dataclass(frozen=True)
class BulletinFields:
    """What an author writes in a bulletin, whether through the editor or the API: the words, the kind, and
    the places and topics it is for (no places chosen: every place the author works in)."""

    title: str
    kind: str = Bulletin.Kind.NEWS
    summary: str = ""
    body_markdown: str = ""
    body_html: str = ""
    # Lists or querysets, as the form and the API give them.
    wards: Iterable = ()
    clusters: Iterable = ()
    boroughs: Iterable = ()
    topics: Iterable = ()

    @classmethod
    def of(cls, values: Mapping) -> BulletinFields:
        """From a form's cleaned data or an API payload: the values named as these fields, the rest left out."""
        return cls(**{f.name: values[f.name] for f in fields(cls) if f.name in values})

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def bulletin_fields(bulletin: Bulletin) -> BulletinFields:
    """A bulletin's fields as its author corrects them; text written before the editor comes back as
    paragraphs."""
    return BulletinFields(
        title=bulletin.title,
        kind=bulletin.kind,
        summary=bulletin.summary,
        body_markdown=bulletin.body_markdown or html.as_plain_paragraphs(bulletin.body_html),
        wards=bulletin.wards.all(),
        clusters=bulletin.clusters.all(),
        boroughs=bulletin.boroughs.all(),
        topics=bulletin.topics.all(),
    )


def _written(bulletin: Bulletin, actor, written: BulletinFields) -> tuple[list, list, list]:
    """Set the words on `bulletin` and check them as its model does; returns the places it is for."""
    if not written.title.strip():
        raise ValidationError("Give the bulletin a title.")
    bulletin.body_html = _bulletin_body(written.body_html, written.body_markdown)
    bulletin.title, bulletin.kind, bulletin.summary = written.title.strip(), written.kind, written.summary.strip()
    bulletin.body_markdown = written.body_markdown
    bulletin.full_clean(exclude=["author"])
    return _bulletin_places(actor, written.wards, written.clusters, written.boroughs)


def _set_places(bulletin: Bulletin, wards, clusters, boroughs, topics) -> None:
    bulletin.wards.set(wards)
    bulletin.clusters.set(clusters)
    bulletin.boroughs.set(boroughs)
    bulletin.topics.set(topics)


@transaction.atomic
def publish_bulletin(
    actor,
    written: BulletinFields,
    *,
    images: Sequence[tuple] = (),
    is_demo: bool = False,
    notify: bool = True,
) -> Bulletin:
    """Publish a bulletin to the places it is aimed at (none chosen: all the author's places); subscribers
    are emailed after commit. The text is Markdown from the editor, or HTML (checked, then cleaned)."""
    bulletin = Bulletin(author=actor, status=Bulletin.Status.PUBLISHED, published_at=timezone.now(), is_demo=is_demo)
    wards, clusters, boroughs = _written(bulletin, actor, written)
    checked_images = [(html.checked_image(upload), alt) for upload, alt in images]
    bulletin.save()
    _set_places(bulletin, wards, clusters, boroughs, written.topics)
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
def revise_bulletin(actor, bulletin: Bulletin, written: BulletinFields) -> Bulletin:
    """Correct a published bulletin: the page shows the new text and says when it was updated; nobody is
    emailed again."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status == Bulletin.Status.WITHDRAWN:
        raise ValidationError("This bulletin has been withdrawn, so it cannot be changed.")
    wards, clusters, boroughs = _written(bulletin, actor, written)
    bulletin.revised_at = timezone.now()
    bulletin.save()
    _set_places(bulletin, wards, clusters, boroughs, written.topics)
    audit.record(actor, "engagement.revise_bulletin", bulletin, title=bulletin.title)
    return bulletin


@transaction.atomic
def withdraw_bulletin(actor, bulletin: Bulletin, reason: str) -> Bulletin:
    """Take a bulletin off the public pages (it is kept, marked withdrawn)."""
    bulletin.status = Bulletin.Status.WITHDRAWN
    bulletin.save(update_fields=["status"])
    audit.record(actor, "engagement.withdraw_bulletin", bulletin, reason=reason)
    return bulletin
