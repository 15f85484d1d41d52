"""Commitments and the claim check under /api/v1/: the same services and figures as the pages."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from openward.accounts.models import Role
from openward.areas.models import Borough, Ward
from openward.core import access
from openward.core.api_refusals import refusals_as_400

from . import services
from .claims import ClaimError, check_claim
from .measure import measure
from .models import Commitment

router = Router(tags=["commitments"])
RECORDERS = (Role.BOROUGH_LEAD, Role.INSPECTOR)


class Problem(Schema):
    detail: str


class EvidenceOut(Schema):
    file_name: str
    kind: str
    size: int
    sha256: str
    url: str


class ReviewOut(Schema):
    reviewed_on: dt.date
    status: str
    reason: str
    figures: dict
    evidence_source: str
    evidence: list[EvidenceOut]


class CommitmentOut(Schema):
    id: int
    text: str
    source: str
    source_url: str
    owner: str
    owner_kind: str
    made_on: dt.date
    borough: str
    ward: str | None
    measure: str
    every_borough: bool
    categories: list[str]
    direction: str
    target_percent: float | None
    status_now: dict
    reviews: list[ReviewOut]


class CommitmentIn(Schema):
    text: str
    source: str
    source_url: str = ""
    owner: str
    owner_kind: str
    made_on: dt.date
    ward: str | None = None
    measure: str
    categories: list[str] = []
    direction: str = ""
    target_percent: float | None = None
    every_borough: bool = False


class ReviewIn(Schema):
    reviewed_on: dt.date
    status: str = ""
    reason: str = ""
    evidence_source: str = ""


def _out(c: Commitment) -> dict:
    return {
        "id": c.pk,
        "text": c.text,
        "source": c.source,
        "source_url": c.source_url,
        "owner": c.owner,
        "owner_kind": c.owner_kind,
        "made_on": c.made_on,
        "borough": c.borough.gss_code,
        "ward": c.ward.gss_code if c.ward_id else None,
        "measure": c.measure,
        "every_borough": c.every_borough,
        "categories": c.categories,
        "direction": c.direction,
        "target_percent": c.target_percent,
        "status_now": measure(c).as_dict(),
        "reviews": [_review_out(r) for r in c.reviews.prefetch_related("evidence")],
    }


def _review_out(review) -> dict:
    return {
        "reviewed_on": review.reviewed_on,
        "status": review.status,
        "reason": review.reason,
        "figures": review.figures,
        "evidence_source": review.evidence_source,
        "evidence": [
            {"file_name": e.file_name, "kind": e.kind, "size": e.size, "sha256": e.sha256, "url": e.get_absolute_url()}
            for e in review.evidence.all()
        ],
    }


@router.get("/commitments", response=list[CommitmentOut], summary="Public commitments")
@access.public
def list_commitments(request):
    return [_out(c) for c in Commitment.objects.select_related("borough__force", "ward")]


@router.get("/commitments/{pk}", response={200: CommitmentOut, 404: Problem}, summary="One commitment with its reviews")
@access.public
def get_commitment(request, pk: int):
    commitment = Commitment.objects.select_related("borough__force", "ward").filter(pk=pk).first()
    if commitment is None:
        return Status(404, {"detail": f"There is no commitment {pk}."})
    return Status(200, _out(commitment))


@router.post(
    "/commitments/boroughs/{borough_code}",
    response={201: CommitmentOut, 400: Problem, 404: Problem},
    summary="Record a commitment",
)
@access.role(*RECORDERS, area=access.borough_from("borough_code"))
@refusals_as_400(services.CommitmentError)
def create_commitment(request, borough_code: str, payload: CommitmentIn):
    borough = get_object_or_404(Borough, gss_code=borough_code)
    data = payload.dict()
    ward_code = data.pop("ward")
    ward = None
    if ward_code:
        ward = Ward.objects.current().filter(gss_code=ward_code).first()
        if ward is None:
            return Status(400, {"detail": f'There is no current ward with the code "{ward_code[:20]}".'})
    if data["owner_kind"] not in Commitment.OwnerKind.values or data["measure"] not in Commitment.Measure.values:
        return Status(
            400,
            {
                "detail": "owner_kind is force, borough or panel; measure is "
                + ", ".join(Commitment.Measure.values[:-1])
                + f" or {Commitment.Measure.values[-1]}."
            },
        )
    commitment = services.record_commitment(request.user, borough, ward=ward, measure_kind=data.pop("measure"), **data)
    return Status(201, _out(commitment))


@router.post(
    "/commitments/boroughs/{borough_code}/{pk}/reviews",
    response={201: ReviewOut, 400: Problem, 404: Problem},
    summary="Review a commitment",
)
@access.role(*RECORDERS, area=access.borough_from("borough_code"))
@refusals_as_400(services.CommitmentError)
def create_review(request, borough_code: str, pk: int, payload: ReviewIn):
    commitment = Commitment.objects.filter(pk=pk, borough__gss_code=borough_code).first()
    if commitment is None:
        return Status(404, {"detail": f"There is no commitment {pk} in {borough_code[:20]}."})
    review = services.review_commitment(request.user, commitment, **payload.dict())
    return Status(201, _review_out(review))


@router.post(
    "/commitments/boroughs/{borough_code}/{pk}/reviews/with-file",
    response={201: ReviewOut, 400: Problem, 404: Problem},
    summary="Review a commitment, with the evidence as a file (multipart: the review's fields and `file`)",
)
@access.role(*RECORDERS, area=access.borough_from("borough_code"))
@refusals_as_400(services.CommitmentError)
def create_review_with_file(request, borough_code: str, pk: int, payload: Form[ReviewIn], file: File[UploadedFile]):
    commitment = Commitment.objects.filter(pk=pk, borough__gss_code=borough_code).first()
    if commitment is None:
        return Status(404, {"detail": f"There is no commitment {pk} in {borough_code[:20]}."})
    review = services.review_commitment(request.user, commitment, evidence_file=file, **payload.dict())
    return Status(201, _review_out(review))


class ClaimOut(Schema):
    claim: str
    category_name: str
    area_name: str
    claimed_percent: float
    recent: int | None
    earlier: int | None
    percent: float | None
    percent_low: float | None
    percent_high: float | None
    recent_period: str
    earlier_period: str
    verdict: str
    caveats: list[str]


@router.get("/claim-check", response={200: ClaimOut, 400: Problem}, summary="Check a claim about crime")
@access.public
@refusals_as_400(ClaimError)
def claim_check(request, claim: str):
    """E.g. claim="Burglary in Westminster is down 6.3% in the last 12 months compared with the 12 before"."""
    return Status(200, check_claim(claim))
