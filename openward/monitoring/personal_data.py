"""What monitoring holds about a person: the reviews they wrote and the grounds text they added.

Erasure removes the person from them and blanks their words (and the name of any grounds file they
uploaded); the answers (yes / no / cannot tell) stay, so a published summary does not change after the
fact. Their group roles are role grants, exported and erased by the accounts app.
"""

from __future__ import annotations

from openward.core import personal_data

from .models import GroundsText, StopReview


def _export(user) -> dict:
    return {
        "reviews": [
            {"month": month.isoformat(), "concerns": concerns}
            for month, concerns in StopReview.objects.filter(reviewer=user).values_list(
                "sampled__sample__month", "concerns"
            )
        ],
        "grounds_added": GroundsText.objects.filter(uploaded_by=user).count(),
    }


def _erase(user) -> list:
    reviews = list(StopReview.objects.filter(reviewer=user))
    StopReview.objects.filter(reviewer=user).update(reviewer=None, concerns="")
    # A file's name could name its uploader; the grounds keep only that they came from a file.
    GroundsText.objects.filter(uploaded_by=user).exclude(from_file="").update(from_file="uploaded file")
    GroundsText.objects.filter(uploaded_by=user).update(uploaded_by=None)
    return reviews


personal_data.register("monitoring", models=[StopReview, GroundsText], export=_export, erase=_erase, order=60)
