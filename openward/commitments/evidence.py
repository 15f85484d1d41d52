"""Files uploaded as the evidence of a review: what is accepted, checked by its content (never by the
name or the type the browser claims), and attaching one to a review.

Accepted: a PDF (it starts "%PDF-"), a CSV file (a .csv name, UTF-8 text with no NUL byte that reads as
CSV) or an image Pillow can verify as PNG, JPEG, GIF or WebP; at most 10 MB. Anything else is refused
with what to upload instead.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from .models import Evidence, Review

MAX_BYTES = 10 * 1024 * 1024
IMAGES = {
    "PNG": ("image/png", ".png"),
    "JPEG": ("image/jpeg", ".jpg"),
    "GIF": ("image/gif", ".gif"),
    "WEBP": ("image/webp", ".webp"),
}
ACCEPTED = "Upload a PDF, a CSV file saved as UTF-8, or a PNG, JPEG, GIF or WebP image"


class EvidenceRefused(ValueError):
    """The file cannot be kept as evidence; the message says why and what to upload instead."""


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str
    content_type: str
    suffix: str
    size: int
    sha256: str


def _kind(name: str, data: bytes) -> tuple[str, str] | None:
    if data.startswith(b"%PDF-"):
        return "application/pdf", ".pdf"
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            found = IMAGES.get(image.format or "")
            if found:
                return found
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        pass
    if name.lower().endswith(".csv") and b"\x00" not in data:
        try:
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        except (UnicodeDecodeError, csv.Error):
            return None
        if rows:
            return "text/csv", ".csv"
    return None


def check_evidence(upload: UploadedFile) -> CheckedFile:
    """The upload if it is a PDF, CSV or image of at most 10 MB; EvidenceRefused otherwise."""
    name = PurePath(upload.name or "evidence").name[:150]
    if (upload.size or 0) > MAX_BYTES:
        raise EvidenceRefused(f"{name} is larger than 10 MB. Make it smaller, or link to it in the source instead.")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if not data:
        raise EvidenceRefused(f"{name} is empty. {ACCEPTED}.")
    if len(data) > MAX_BYTES:
        raise EvidenceRefused(f"{name} is larger than 10 MB. Make it smaller, or link to it in the source instead.")
    kind = _kind(name, data)
    if kind is None:
        raise EvidenceRefused(f"{name} is not a PDF, CSV file or image we can read. {ACCEPTED}.")
    return CheckedFile(upload, name, kind[0], kind[1], len(data), hashlib.sha256(data).hexdigest())


@transaction.atomic
def attach(actor, review: Review, checked: CheckedFile) -> Evidence:
    """Store the file and attach it to the review (inside the review's transaction)."""
    evidence = Evidence(
        review=review,
        file_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save(f"evidence{checked.suffix}", checked.upload, save=False)
    try:
        evidence.save()
    except BaseException:
        # The row was not written: leave no file behind in storage.
        evidence.file.delete(save=False)
        raise
    return evidence
