"""Open Ward's own API for accounts (mounted under /api/v1/ by openward/api.py).

Signed-in calls take a browser session (with its CSRF token for writes) or a personal
token: `Authorization: Bearer ow_…` (make one on your account page).
"""

from dataclasses import asdict
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import HttpBearer, django_auth

from openward.areas.models import Borough, Ward
from openward.core import access, personal_data, staff_home
from openward.core.bounds import one_of
from openward.core.values import InvalidPostcode, PostcodeNotInWard

from . import erasure, ratelimit, services
from .middleware import user_for_token
from .models import ApiToken, Purpose, Relationship, Role, RoleGrant, User
from .staff_home import HOME_ROLES


class TokenAuth(HttpBearer):
    """Personal API token."""

    def authenticate(self, request, token):
        found = user_for_token(token)
        if found is None:
            return None
        request.user = found.user
        request.api_token = found
        return found.user


api_auth = [TokenAuth(), django_auth]
router = Router(tags=["accounts"], auth=api_auth)


class Problem(Schema):
    detail: str


class Accepted(Schema):
    detail: str


class SignUpIn(Schema):
    email: str
    postcode: str
    relationship: one_of(Relationship) = Relationship.LIVES.value
    notifications: bool = False
    research: bool = False


class SignInIn(Schema):
    email: str


class ConsentOut(Schema):
    purpose: str
    granted: bool


class RoleOut(Schema):
    id: int
    role: str
    place: str
    ward: str | None = None
    borough: str | None = None
    granted_at: datetime
    expires_at: datetime | None = None


class MeOut(Schema):
    email: str
    display_name: str
    email_confirmed_at: datetime | None
    consents: list[ConsentOut]
    roles: list[RoleOut]


class ConsentIn(Schema):
    granted: bool


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None = None


class NewTokenOut(TokenOut):
    key: str


class EraseIn(Schema):
    confirm: str


class GrantIn(Schema):
    email: str
    role: one_of(Role)
    ward: str | None = None


CHECK_EMAIL = "If the address can be used, we have sent it a link. Open it to continue."


def _role_out(grant: RoleGrant) -> dict:
    return {
        "id": grant.pk,
        "role": grant.role,
        "place": grant.place_name,
        "ward": grant.ward.gss_code if grant.ward_id else None,
        "borough": grant.borough.gss_code if grant.borough_id else None,
        "granted_at": grant.granted_at,
        "expires_at": grant.expires_at,
    }


@router.post("/accounts/sign-up", response={202: Accepted, 400: Problem, 429: Problem}, auth=None)
@access.public
def sign_up(request, payload: SignUpIn):
    """Sign up; the answer is the same whether or not the email already has an account."""
    try:
        services.sign_up(
            email=payload.email,
            postcode=payload.postcode,
            relationship=payload.relationship,
            consents={Purpose.NOTIFICATIONS: payload.notifications, Purpose.RESEARCH: payload.research},
            ip=ratelimit.client_ip(request),
            known_account=ratelimit.known_account(request),
        )
    except ValidationError as exc:
        return Status(400, {"detail": exc.messages[0]})
    except (InvalidPostcode, PostcodeNotInWard) as exc:
        return Status(400, {"detail": str(exc)})
    except ratelimit.RateLimited as exc:
        return Status(429, {"detail": str(exc)})
    return Status(202, {"detail": CHECK_EMAIL})


@router.post("/accounts/sign-in", response={202: Accepted, 400: Problem, 429: Problem}, auth=None)
@access.public
def sign_in(request, payload: SignInIn):
    """Email a sign-in link; the answer never says whether the account exists."""
    try:
        services.request_sign_in(
            email=payload.email, ip=ratelimit.client_ip(request), known_account=ratelimit.known_account(request)
        )
    except ValidationError as exc:
        return Status(400, {"detail": exc.messages[0]})
    except ratelimit.RateLimited as exc:
        return Status(429, {"detail": str(exc)})
    return Status(202, {"detail": CHECK_EMAIL})


@router.get("/me", response=MeOut)
@access.signed_in
def me(request):
    """Your profile: email, consents and roles."""
    user = request.user
    return {
        "email": user.email,
        "display_name": user.display_name,
        "email_confirmed_at": user.email_confirmed_at,
        "consents": [{"purpose": c.purpose, "granted": c.granted} for c in user.consents.all()],
        "roles": [_role_out(g) for g in RoleGrant.objects.active().filter(user=user).select_related("ward", "borough")],
    }


@router.put("/me/consents/{purpose}", response={200: ConsentOut, 404: Problem})
@access.signed_in
def set_consent(request, purpose: str, payload: ConsentIn):
    """Give or withdraw consent for one purpose (notifications, research)."""
    if purpose not in Purpose.values:
        return Status(404, {"detail": f"No purpose {purpose[:30]!r}; use one of {', '.join(Purpose.values)}."})
    consent = services.set_consent(request.user, purpose, payload.granted)
    return Status(200, {"purpose": consent.purpose, "granted": consent.granted})


@router.get("/me/data")
@access.signed_in
def my_data(request):
    """Everything Open Ward holds about you."""
    return personal_data.export(request.user)


@router.post("/me/erase", response={204: None, 400: Problem})
@access.signed_in
def erase_me(request, payload: EraseIn):
    """Delete your account: personal data erased, contributions kept anonymously. Send {"confirm": "delete"}."""
    if payload.confirm.strip().lower() != "delete":
        return Status(400, {"detail": 'Send {"confirm": "delete"} to delete your account.'})
    erasure.erase_account(request.user)
    return Status(204, None)


@router.get("/me/tokens", response=list[TokenOut])
@access.signed_in
def list_tokens(request):
    """Your active API tokens (their keys are never shown again)."""
    return request.user.api_tokens.filter(revoked_at__isnull=True)


@router.post("/me/tokens", response={201: NewTokenOut, 403: Problem})
@access.signed_in
def create_token(request, payload: TokenIn):
    """Make an API token; the key is in this answer only."""
    from .permissions import is_staff_person, second_factor_ok

    if is_staff_person(request.user) and not second_factor_ok(request):
        return Status(403, {"detail": "Pass two-factor authentication before making a token."})
    key = services.create_api_token(request.user, payload.name, second_factor=second_factor_ok(request))
    token = ApiToken.objects.get(user=request.user, prefix=key[:10], revoked_at__isnull=True)
    return Status(201, {**TokenOut.from_orm(token).dict(), "key": key})


@router.delete("/me/tokens/{token_id}", response={204: None})
@access.signed_in
def revoke_token(request, token_id: int):
    """Stop a token working."""
    services.revoke_api_token(request.user, get_object_or_404(ApiToken, pk=token_id, user=request.user))
    return Status(204, None)


borough_area = access.borough_from("borough_code")


def _in_borough(borough):
    return Q(borough=borough) | Q(ward__borough=borough) | Q(cluster__borough=borough)


@router.get("/boroughs/{borough_code}/roles", response=list[RoleOut])
@access.role(Role.BOROUGH_LEAD, area=borough_area)
def borough_roles(request, borough_code: str):
    """Staff roles held in a borough (borough leads and site admins)."""
    borough = get_object_or_404(Borough, gss_code=borough_code)
    grants = RoleGrant.objects.active().filter(_in_borough(borough)).select_related("ward", "borough", "cluster")
    return [_role_out(g) for g in grants]


@router.post("/boroughs/{borough_code}/roles", response={201: RoleOut, 400: Problem, 403: Problem})
@access.role(Role.BOROUGH_LEAD, area=borough_area)
def grant_role(request, borough_code: str, payload: GrantIn):
    """Give a person a role for a ward of the borough, or the whole borough."""
    borough = get_object_or_404(Borough, gss_code=borough_code)
    place = borough
    if payload.ward:
        place = Ward.objects.filter(borough=borough, gss_code=payload.ward).current().first()
        if place is None:
            return Status(400, {"detail": f"No current ward {payload.ward[:12]!r} in {borough.name}."})
    person = User.objects.filter(email__iexact=payload.email.strip(), erased_at__isnull=True).first()
    if person is None:
        return Status(400, {"detail": "Nobody has an account with that email address. Ask them to sign up first."})
    try:
        grant = services.grant_role(request.user, person, payload.role, place)
    except services.RoleError as exc:
        return Status(403, {"detail": str(exc)})
    return Status(201, _role_out(grant))


@router.delete("/boroughs/{borough_code}/roles/{grant_id}", response={204: None, 403: Problem})
@access.role(Role.BOROUGH_LEAD, area=borough_area)
def revoke_role(request, borough_code: str, grant_id: int):
    """Remove a role grant in the borough."""
    borough = get_object_or_404(Borough, gss_code=borough_code)
    grant = get_object_or_404(RoleGrant.objects.filter(_in_borough(borough)), pk=grant_id)
    try:
        services.revoke_role(request.user, grant)
    except services.RoleError as exc:
        raise PermissionDenied(str(exc)) from None
    return Status(204, None)


class WorkItemOut(Schema):
    text: str
    url: str
    note: str


class WorkPanelOut(Schema):
    key: str
    heading: str
    items: list[WorkItemOut]
    empty: str
    more: WorkItemOut | None
    links: list[WorkItemOut]


@router.get("/me/work", response=list[WorkPanelOut])
@access.role(*HOME_ROLES)
def my_work(request):
    """The staff home: your places and what is waiting (replies oldest first, meetings, records to write,
    overdue actions, priorities due for review, consultations, volunteering), each with its page."""
    return [asdict(panel) for panel in staff_home.panels_for(request.user, timezone.localdate())]
