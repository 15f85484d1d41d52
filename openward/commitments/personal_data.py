"""What commitments hold about a person: the evidence files they uploaded to reviews.

The files are public evidence of a public review and stay. Erasure takes the person off them and
replaces the name each was uploaded with (which could name someone) by a plain one.
"""

from __future__ import annotations

from pathlib import PurePath

from openward.core import personal_data

from .models import Evidence


def _export(user) -> dict:
    uploaded = Evidence.objects.filter(uploaded_by=user).select_related("review")
    return {
        "evidence_uploaded": [
            {
                "file_name": e.file_name,
                "commitment": e.review.commitment_id,
                "review_date": e.review.reviewed_on.isoformat(),
                "uploaded_at": e.uploaded_at.isoformat(),
            }
            for e in uploaded
        ]
    }


def _erase(user) -> list:
    uploaded = list(Evidence.objects.filter(uploaded_by=user))
    for e in uploaded:
        # The stored file's own name is random, with a suffix from its checked type.
        plain = f"evidence-{e.pk}{PurePath(e.file.name).suffix}"
        Evidence.objects.filter(pk=e.pk).update(uploaded_by=None, file_name=plain)
    return uploaded


personal_data.register("commitments", models=[Evidence], export=_export, erase=_erase, order=60)
