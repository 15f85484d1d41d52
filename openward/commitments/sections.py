"""Commitments on borough pages: those made for the borough or its wards, with their latest review."""

from django.urls import reverse

from openward.core import sections

from .models import Commitment


def _borough_context(borough, request):
    commitments = list(Commitment.objects.filter(borough=borough).prefetch_related("reviews")[:10])
    return {
        "commitments": commitments,
        "borough": borough,
        "claim_check": reverse("commitments:claim-check"),
    }


sections.register("borough", order=60, template="commitments/section.html", context=_borough_context)
