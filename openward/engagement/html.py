"""Bulletin text: a small set of HTML tags, checked before publishing and cleaned with nh3 when stored."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from django.core.exceptions import ValidationError
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a", "h2", "h3", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


# Built once: making the parser (its rules and the linkify patterns) costs far more than rendering one
# bulletin with it, and rendering keeps no state on it.
MARKDOWN = MarkdownIt("commonmark", {"linkify": True, "breaks": True, "html": False}).enable("linkify")


def render_markdown(text: str) -> str:
    """Bulletin Markdown as safe HTML: paragraphs and line breaks kept, web addresses made links, any HTML
    typed shown as text, then cleaned to the allowed tags (markdown-it-py, then nh3)."""
    # Headings start at level 2: the bulletin's title is the page's only level-1 heading.
    rendered = MARKDOWN.render(text or "")
    for level in (2, 1):
        rendered = rendered.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    return clean(rendered)


def as_plain_paragraphs(html: str) -> str:
    """Stored HTML as plain paragraphs for the editor: its words kept, one blank line between blocks."""
    import re
    from html import unescape

    text = re.sub(r"(?i)<br\s*/?>", "\n", html or "")
    text = re.sub(r"(?i)</(p|h2|h3|li|blockquote)>", "\n\n", text)
    return unescape(re.sub(r"\n{3,}", "\n\n", nh3.clean(text, tags=set()))).strip()


def clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def _note(self, problem: str):
        if problem not in self.problems:
            self.problems.append(problem)

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self._note(f"the <{tag}> tag")
            return
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                self._note(f'the "{name}" attribute on <{tag}>')
            elif name == "href":
                scheme = urlsplit((value or "").strip()).scheme.lower()
                if scheme and scheme not in ALLOWED_SCHEMES:
                    self._note(f'a "{scheme}:" link')

    def handle_comment(self, data):
        self._note("HTML comments")


def unsafe_parts(html: str) -> list[str]:
    """What in `html` we would have to remove (an empty list means it is safe as written)."""
    inspector = _Inspector()
    inspector.feed(html or "")
    inspector.close()
    return inspector.problems


def checked_image(upload):
    """(upload, content type) for a real PNG, JPEG, GIF or WebP image no bigger than 5 MB."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(f"The image {upload.name} is larger than 5 MB. Make it smaller and try again.")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(f"{upload.name} is not an image we can read. Upload a PNG, JPEG, GIF or WebP.") from exc
    if kind not in IMAGE_TYPES:
        raise ValidationError(f"{upload.name} is a {kind} image. Upload a PNG, JPEG, GIF or WebP.")
    upload.seek(0)
    return upload, IMAGE_TYPES[kind]
