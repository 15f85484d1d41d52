"""Commitments (public list, page with history; staff record and review) and the claim check."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render

from openward.accounts.models import Role
from openward.areas.models import Borough
from openward.core import access

from . import services
from .claims import ClaimError, check_claim
from .forms import CommitmentForm, ReviewForm
from .measure import measure
from .models import Commitment, Evidence

RECORDERS = (Role.BOROUGH_LEAD, Role.INSPECTOR)


@access.public
def commitment_list(request):
    commitments = Commitment.objects.select_related("borough__force", "ward").prefetch_related("reviews")
    return render(request, "commitments/list.html", {"commitments": commitments})


@access.public
def commitment_detail(request, pk: int):
    commitment = get_object_or_404(Commitment.objects.select_related("borough__force", "ward"), pk=pk)
    return render(
        request,
        "commitments/detail.html",
        {"c": commitment, "now": measure(commitment), "reviews": commitment.reviews.prefetch_related("evidence")},
    )


@access.role(*RECORDERS, area=access.borough_from("borough_code"))
def new_commitment(request, borough_code: str):
    borough = get_object_or_404(Borough, gss_code=borough_code)
    form = CommitmentForm(request.POST or None, borough=borough)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                commitment = services.record_commitment(
                    request.user,
                    borough,
                    text=data["text"],
                    source=data["source"],
                    source_url=data["source_url"],
                    owner=data["owner"],
                    owner_kind=data["owner_kind"],
                    made_on=data["made_on"],
                    ward=data["ward"],
                    measure_kind=data["measure"],
                    categories=data["categories"],
                    direction=data["direction"],
                    target_percent=data["target_percent"],
                    every_borough=data["every_borough"],
                )
                return redirect("commitments:detail", pk=commitment.pk)
            except services.CommitmentError as exc:
                form.add_error(None, str(exc))
        status = 400
    return render(request, "commitments/form.html", {"form": form, "borough": borough}, status=status)


@access.role(*RECORDERS, area=access.borough_from("borough_code"))
def review(request, borough_code: str, pk: int):
    commitment = get_object_or_404(Commitment, pk=pk, borough__gss_code=borough_code)
    form = ReviewForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.review_commitment(request.user, commitment, **form.cleaned_data)
                return redirect("commitments:detail", pk=commitment.pk)
            except services.CommitmentError as exc:
                form.add_error(None, str(exc))
        status = 400
    return render(request, "commitments/review.html", {"form": form, "c": commitment}, status=status)


@access.public
def evidence_file(request, pk: int):
    """A review's evidence file: public, as the review is. The only way an uploaded file is served."""
    evidence = get_object_or_404(Evidence.objects.select_related("review"), pk=pk)
    inline = evidence.content_type.startswith("image/")
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=not inline,
        filename=evidence.file_name,
    )
    # Shown as a document, never run as a page of this site, whatever is inside it.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@access.public
def claim_check(request):
    claim = request.GET.get("claim", "")
    context, status = {"claim": claim}, 200
    if claim:
        try:
            context["result"] = check_claim(claim)
        except ClaimError as exc:
            context["problem"], status = str(exc), 400
    return render(request, "commitments/claim_check.html", context, status=status)
