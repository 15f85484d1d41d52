"""Open Ward's own API for verification (mounted under /api/v1/ by openward/api.py)."""

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from openward.accounts import ratelimit
from openward.accounts.api import Problem, api_auth
from openward.accounts.identity import show_code
from openward.accounts.models import Role
from openward.core import access
from openward.core.bounds import one_of
from openward.core.values import InvalidPostcode

from . import services
from .models import AddressDocument, IdentityDocument, Membership, Relationship
from .places import PostcodeNotInWard, ward_for_postcode

router = Router(tags=["verification"], auth=api_auth)
ward_area = access.ward_from("gss_code")


class GrantOut(Schema):
    level: int
    method: str
    granted_at: datetime
    expires_at: datetime | None = None
    granted_by_staff: bool


class MembershipOut(Schema):
    id: int
    ward: str
    ward_name: str
    borough: str
    relationship: str
    home: bool
    level: int
    verification: GrantOut | None = None
    letter_pending: bool
    needs_review: bool


class JoinIn(Schema):
    postcode: str
    relationship: one_of(Relationship)
    home: bool = False


class LetterIn(Schema):
    address: str
    postcode: str
    recipient: str = ""


class LetterOut(Schema):
    expires_at: datetime


class CodeIn(Schema):
    code: str


class ReferenceOut(Schema):
    reference: str
    expires_at: datetime


class InPersonIn(Schema):
    reference: str = Field(..., max_length=20)
    method: Literal["officer", "panel_chair", "front_counter"]
    identity: one_of(IdentityDocument) = Field(..., description="The photo identity document seen.")
    address_proof: one_of(AddressDocument) = Field(..., description="The document seen with their name at the address.")
    note: str = Field("", max_length=80, description="Anything else to record; never numbers from documents.")


def _membership_out(m: Membership) -> dict:
    grant = m.current_grant()
    return {
        "id": m.pk,
        "ward": m.ward.gss_code,
        "ward_name": m.ward.name,
        "borough": m.ward.borough.gss_code,
        "relationship": m.relationship,
        "home": m.is_home,
        "level": grant.level if grant else 0,
        "verification": (
            {
                "level": grant.level,
                "method": grant.method,
                "granted_at": grant.granted_at,
                "expires_at": grant.expires_at,
                "granted_by_staff": grant.granted_by_id is not None,
            }
            if grant
            else None
        ),
        "letter_pending": m.letters.pending().exists(),
        "needs_review": m.needs_review,
    }


@router.get("/me/wards", response=list[MembershipOut])
@access.signed_in
def my_wards(request):
    """Your wards, with your verification level, its method and expiry in each."""
    return [_membership_out(m) for m in request.user.memberships.select_related("ward__borough")]


@router.post("/me/wards", response={201: MembershipOut, 400: Problem})
@access.signed_in
def join_ward(request, payload: JoinIn):
    """Add a ward of interest by a postcode in it."""
    try:
        postcode, ward = ward_for_postcode(payload.postcode)
        membership = services.join_ward(
            request.user, ward, postcode=postcode.compact, relationship=payload.relationship, is_home=payload.home
        )
    except (InvalidPostcode, PostcodeNotInWard, services.VerificationError) as exc:
        return Status(400, {"detail": str(exc)})
    return Status(201, _membership_out(membership))


@router.post("/me/wards/{membership_id}/letter", response={201: LetterOut, 400: Problem})
@access.signed_in
def request_letter(request, membership_id: int, payload: LetterIn):
    """Ask for a letter with a code, posted to your address in the ward."""
    membership = get_object_or_404(Membership, pk=membership_id, user=request.user)
    try:
        letter = services.request_letter(
            request.user, membership, address=payload.address, postcode=payload.postcode, recipient=payload.recipient
        )
    except (InvalidPostcode, PostcodeNotInWard, services.VerificationError) as exc:
        return Status(400, {"detail": str(exc)})
    return Status(201, {"expires_at": letter.expires_at})


@router.post("/me/verification/code", response={200: MembershipOut, 400: Problem, 429: Problem})
@access.signed_in
def enter_code(request, payload: CodeIn):
    """Enter the code from your letter (a few wrong codes lock it)."""
    try:
        grant = services.confirm_letter_code(request.user, payload.code, ip=ratelimit.client_ip(request))
    except ratelimit.RateLimited as exc:
        return Status(429, {"detail": str(exc)})
    except services.VerificationError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, _membership_out(grant.membership))


@router.post("/me/wards/{membership_id}/in-person-reference", response={201: ReferenceOut, 400: Problem})
@access.signed_in
def in_person_reference(request, membership_id: int):
    """A reference to show an officer, panel chair or front counter, who checks your evidence."""
    membership = get_object_or_404(Membership, pk=membership_id, user=request.user)
    try:
        reference = services.issue_in_person_reference(request.user, membership)
    except services.VerificationError as exc:
        return Status(400, {"detail": str(exc)})
    ref = membership.in_person_references.order_by("-pk").first()
    return Status(201, {"reference": show_code(reference), "expires_at": ref.expires_at})


@router.post("/verification/wards/{gss_code}/in-person", response={201: MembershipOut, 400: Problem, 429: Problem})
@access.role(Role.OFFICER, Role.PCSO, Role.PANEL_CHAIR, Role.PANEL_VICE_CHAIR, area=ward_area)
def verify_in_person(request, gss_code: str, payload: InPersonIn):
    """Staff: verify a resident of this ward in person from the reference they show, saying what was seen."""
    ward = ward_area(request, gss_code=gss_code)
    try:
        reference = services.find_reference(request.user, ward, payload.reference)
        grant = services.verify_in_person(
            request.user,
            reference,
            method=payload.method,
            identity=payload.identity,
            address_proof=payload.address_proof,
            note=payload.note,
        )
    except ratelimit.RateLimited as exc:
        return Status(429, {"detail": str(exc)})
    except services.VerificationError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(201, _membership_out(grant.membership))
