"""Open Ward's own API for priorities (mounted under /api/v1/ by openward/api.py)."""

from django.core.exceptions import PermissionDenied
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from openward.areas.models import Cluster, Ward
from openward.areas.selectors import ward_or_404
from openward.core import access
from openward.core.api_refusals import refusals_as_400
from openward.engagement.models import Event

from . import exports, selectors, services
from .models import Concern, Consultation, Priority
from .places import cluster_area, consultation_area, priority_area, ward_area
from .results import published_results
from .schemas import (
    ActionIn,
    ActionOut,
    BallotIn,
    BallotOut,
    ConcernOut,
    ConsultationIn,
    ConsultationOut,
    Message,
    PriorityIn,
    PriorityOut,
    ReviewIn,
)
from .services import Refused

router = Router(tags=["priorities"])


def check_csrf(request) -> None:
    """Refuse a write carrying a session cookie but no CSRF token.

    The API authenticates by the session cookie, so without this a page on another site could
    make a signed-in person's browser cast a ballot (a text/plain form body parses as JSON).
    """
    reason = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
    if reason is not None:
        raise PermissionDenied("Send the CSRF token (the csrftoken cookie) in the X-CSRFToken header.")


def _consultation_out(c: Consultation) -> dict:
    closed = c.is_closed()
    return {
        "id": c.pk,
        "title": c.title,
        "question": c.question,
        "ward": c.ward.gss_code if c.ward_id else None,
        "ward_id": c.ward_id,
        "cluster": c.cluster.slug if c.cluster_id else None,
        "opens_at": c.opens_at,
        "closes_at": c.closes_at,
        "min_level": c.min_level,
        "status": c.status(),
        "concerns": [k.slug for k in c.concerns.all()],
        "results_url": f"/api/v1/priorities/consultations/{c.pk}/results" if closed else None,
    }


def _priority_out(p: Priority) -> dict:
    review = getattr(p, "review", None)
    return {
        "id": p.pk,
        "ward": p.ward.gss_code,
        "ward_id": p.ward_id,
        "statement": p.statement,
        "status": p.status,
        "concern": p.concern.slug if p.concern_id else None,
        "crime_categories": p.crime_categories,
        "consultation_id": p.consultation_id,
        "meeting_id": p.meeting_id,
        "meeting_ref": p.meeting_ref,
        "agreed_on": p.agreed_on,
        "review_on": p.review_on,
        "evidence": p.evidence,
        "baseline_start": p.baseline_start,
        "baseline_end": p.baseline_end,
        "baseline_count": p.baseline_count,
        "carried_from_id": p.carried_from_id,
        "actions": [{"taken_on": a.taken_on, "description": a.description} for a in p.actions.all()],
        "review": review,
        "needs_review": p.needs_review,
        "review_reason": p.review_reason,
        "remapped_from": p.remapped_from,
        "data_for_review": services.data_for_review(p) if p.status == Priority.Status.OPEN else None,
    }


def _concerns_by_slug(slugs: list[str]) -> list[Concern]:
    found = {c.slug: c for c in Concern.objects.filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in found]
    if missing:
        raise Refused(f"Unknown concern(s): {', '.join(missing)}. See /api/v1/priorities/concerns for the list.")
    return [found[s] for s in slugs]


@router.get("/priorities/concerns", response=list[ConcernOut], summary="The vocabulary of concerns")
@access.public
def list_concerns(request, q: str = ""):
    """Every active concern, or those matching `q` by name or synonym ("mugging")."""
    qs = Concern.objects.active()
    return list(qs.matching(q) if q else qs)


@router.get("/priorities/consultations", response=list[ConsultationOut], summary="Consultations")
@access.public
def list_consultations(request, ward: str | None = None, cluster: str | None = None):
    """Consultations, newest first; `ward` (a GSS code) includes its clusters' consultations."""
    qs = Consultation.objects.select_related("ward", "cluster").prefetch_related("concerns")
    if ward:
        qs = qs.for_ward(ward_or_404(ward))
    if cluster:
        qs = qs.filter(cluster__slug=cluster)
    return [_consultation_out(c) for c in qs]


@router.get("/priorities/consultations/{consultation_id}", response=ConsultationOut, summary="One consultation")
@access.public
def get_consultation(request, consultation_id: int):
    return _consultation_out(get_object_or_404(Consultation, pk=consultation_id))


@router.get(
    "/priorities/consultations/{consultation_id}/results",
    response={200: dict, 409: Message},
    summary="Results of a closed consultation (aggregates only)",
)
@access.public
def get_results(request, consultation_id: int):
    consultation = get_object_or_404(Consultation, pk=consultation_id)
    if not consultation.is_closed():
        return Status(409, {"detail": "Results are published when the consultation closes."})
    return exports.results_dict(published_results(consultation))


@router.post(
    "/priorities/consultations/{consultation_id}/ballot",
    response={200: BallotOut, 400: Message},
    summary="Cast or change your ballot",
)
@access.signed_in
@refusals_as_400(Refused)
def cast_ballot(request, consultation_id: int, payload: BallotIn):
    check_csrf(request)
    consultation = get_object_or_404(Consultation, pk=consultation_id)
    ids = [c.pk for c in _concerns_by_slug(payload.choices)]
    receipt = services.cast_ballot(
        request.user,
        consultation,
        ids,
        other_text=payload.other_text,
        demographics={
            "age_band": payload.age_band,
            "ethnicity": payload.ethnicity,
            "relationship": payload.relationship,
        },
        receipt=payload.receipt,
    )
    detail = "Your choices are recorded. To change them before the consultation closes, send this receipt."
    return Status(200, {"detail": detail, "receipt": receipt})


def _create_consultation(request, payload: ConsultationIn, **area):
    concerns = _concerns_by_slug(payload.concerns) if payload.concerns else list(Concern.objects.active())
    return services.create_consultation(
        request.user,
        title=payload.title,
        question=payload.question,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        min_level=payload.min_level,
        concerns=concerns,
        allow_free_text=payload.allow_free_text,
        ask_demographics=payload.ask_demographics,
        **area,
    )


@router.post(
    "/priorities/wards/{gss_code}/consultations",
    response={201: ConsultationOut, 400: Message},
    summary="Open a consultation for a ward",
)
@access.role(*selectors.PANEL_ROLES, area=ward_area)
@refusals_as_400(Refused)
def create_ward_consultation(request, gss_code: str, payload: ConsultationIn):
    check_csrf(request)
    c = _create_consultation(request, payload, ward=ward_or_404(gss_code))
    return Status(201, _consultation_out(c))


@router.post(
    "/priorities/clusters/{cluster_slug}/consultations",
    response={201: ConsultationOut, 400: Message},
    summary="Open a consultation for a cluster",
)
@access.role(*selectors.PANEL_ROLES, area=cluster_area)
@refusals_as_400(Refused)
def create_cluster_consultation(request, cluster_slug: str, payload: ConsultationIn):
    check_csrf(request)
    c = _create_consultation(request, payload, cluster=get_object_or_404(Cluster, slug=cluster_slug))
    return Status(201, _consultation_out(c))


@router.post(
    "/priorities/consultations/{consultation_id}/close",
    response={200: ConsultationOut, 400: Message},
    summary="Close a consultation now",
)
@access.role(*selectors.PANEL_ROLES, area=consultation_area)
@refusals_as_400(Refused)
def close_consultation(request, consultation_id: int):
    check_csrf(request)
    consultation = get_object_or_404(Consultation, pk=consultation_id)
    services.close_consultation(request.user, consultation)
    return Status(200, _consultation_out(consultation))


@router.get(
    "/priorities/wards/{gss_code}", response=list[PriorityOut], summary="A ward's priorities (you said, we did)"
)
@access.public
def ward_priorities(request, gss_code: str):
    ward = ward_or_404(gss_code)
    return [_priority_out(p) for p in selectors.priorities_for([ward])]


@router.get("/priorities/{priority_id}", response=PriorityOut, summary="One priority")
@access.public
def get_priority(request, priority_id: int):
    return _priority_out(get_object_or_404(selectors.priorities_for(Ward.objects.all()), pk=priority_id))


@router.post(
    "/priorities/wards/{gss_code}/priorities",
    response={201: PriorityOut, 400: Message},
    summary="Set a ward priority (at most three open)",
)
@access.role(*selectors.PANEL_ROLES, area=ward_area)
@refusals_as_400(Refused)
def set_priority(request, gss_code: str, payload: PriorityIn):
    check_csrf(request)
    ward = ward_or_404(gss_code)
    concern = _concerns_by_slug([payload.concern])[0] if payload.concern else None
    consultation = None
    if payload.consultation_id is not None:
        consultation = Consultation.objects.filter(pk=payload.consultation_id).first()
        if consultation is None:
            raise Refused(f"There is no consultation {payload.consultation_id}.")
    meeting = None
    if payload.meeting_id is not None:
        meeting = Event.objects.filter(pk=payload.meeting_id).first()
        if meeting is None:
            raise Refused(f"There is no meeting {payload.meeting_id}.")
    p = services.set_priority(
        request.user,
        ward,
        statement=payload.statement,
        agreed_on=payload.agreed_on,
        review_on=payload.review_on,
        concern=concern,
        consultation=consultation,
        meeting=meeting,
        meeting_ref=payload.meeting_ref,
        evidence_note=payload.evidence_note,
    )
    return Status(201, _priority_out(p))


@router.post(
    "/priorities/{priority_id}/actions",
    response={201: ActionOut, 400: Message},
    summary="Record an action against a priority",
)
@access.role(*selectors.ACTION_ROLES, area=priority_area)
@refusals_as_400(Refused)
def record_action(request, priority_id: int, payload: ActionIn):
    check_csrf(request)
    priority = get_object_or_404(Priority, pk=priority_id)
    action = services.record_action(request.user, priority, taken_on=payload.taken_on, description=payload.description)
    return Status(201, action)


@router.post(
    "/priorities/{priority_id}/review",
    response={200: PriorityOut, 400: Message},
    summary="Review a priority: before and after figures and its new status",
)
@access.role(*selectors.PANEL_ROLES, area=priority_area)
@refusals_as_400(Refused)
def review_priority(request, priority_id: int, payload: ReviewIn):
    check_csrf(request)
    priority = get_object_or_404(Priority, pk=priority_id)
    services.review_priority(
        request.user, priority, outcome=payload.outcome, note=payload.note, reviewed_on=payload.reviewed_on
    )
    return Status(200, _priority_out(get_object_or_404(selectors.priorities_for(Ward.objects.all()), pk=priority_id)))
