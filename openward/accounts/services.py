"""Writes for accounts: sign-up, links, consents, tokens and roles. Each one atomic and audited."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from openward.areas.models import Borough, Cluster, Ward
from openward.core import audit

from . import ratelimit, residence, signals
from .identity import email_key, sha256
from .models import ApiToken, Consent, EmailLink, Purpose, Role, RoleGrant, User
from .permissions import can_manage_grant

LINK_SALT = "openward.accounts.email-link"


class LinkError(ValueError):
    """A link that cannot be used; the message says what to do."""


class RoleError(ValueError):
    """A role grant or revocation that is not allowed."""


def clean_email(text: str) -> str:
    """The email address lower-cased, or ValidationError with a message a person can act on."""
    email = (text or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            "Enter an email address in the correct format, like name@example.com.", code="invalid"
        ) from None
    return email


def _send(user_email: str, template: str, context: dict) -> None:
    from .tasks import send_email

    subject, _, body = render_to_string(template, {**context, "SITE_NAME": settings.SITE_NAME}).partition("\n")
    transaction.on_commit(lambda: send_email.enqueue(to=user_email, subject=subject.strip(), body=body.strip()))


def _issue_link(user: User, purpose: str) -> str:
    """Create a single-use link row and return the signed URL to put in the email."""
    if purpose == EmailLink.Purpose.CONFIRM:
        life = timedelta(hours=settings.OPENWARD_CONFIRM_LINK_HOURS)
    else:
        life = timedelta(minutes=settings.OPENWARD_SIGN_IN_LINK_MINUTES)
    secret = secrets.token_urlsafe(24)
    link = EmailLink.objects.create(
        user=user, purpose=purpose, secret_hash=sha256(secret), expires_at=timezone.now() + life
    )
    token = signing.dumps({"l": link.pk, "s": secret}, salt=LINK_SALT, compress=False)
    return settings.SITE_URL.rstrip("/") + reverse("accounts:link", args=[token])


def _known_browser(key: str, known_account: int | None) -> bool:
    """Has the asking browser signed in before as the account `key` names? One query whenever a
    browser carries the cookie, whatever the address typed, so the answer reveals nothing."""
    if known_account is None:
        return False
    return User.objects.filter(pk=known_account, email_key=key).exists()


def sign_up(
    *,
    email: str,
    postcode: str,
    relationship: str,
    consents: dict[str, bool],
    ip: str = "",
    known_account: int | None = None,
) -> None:
    """Check the form and queue the rest: the request does the same work whether or not the email has
    an account (an existence oracle otherwise), and the queued task sends an email of either kind.

    Attempts count per client and per account-and-client, so naming someone cannot lock them out;
    `known_account` (the account the asking browser has signed in as before) is spared the
    per-account ceiling on emails.
    """
    from .tasks import complete_sign_up

    email = clean_email(email)
    places = residence.provider()
    postcode_value, _ = places.ward_for_postcode(postcode)
    problem = places.relationship_problem(relationship)
    if problem:
        raise ValidationError(problem)
    key = email_key(email)
    ratelimit.hit_for_account("sign-up", key, ip, known_browser=_known_browser(key, known_account))
    answers = {str(purpose): bool(consents.get(purpose)) for purpose in Purpose}
    transaction.on_commit(
        lambda: complete_sign_up.enqueue(
            email=email, postcode=postcode_value.compact, relationship=relationship, consents=answers
        )
    )


@transaction.atomic
def complete_sign_up(*, email: str, postcode: str, relationship: str, consents: dict[str, bool]) -> None:
    """Start the account and email its confirmation link; an existing person is emailed a sign-in link
    (or, unconfirmed, a new confirmation link) instead. Runs as a task after `sign_up`."""
    places = residence.provider()
    key = email_key(email)
    existing = User.objects.filter(email_key=key).first()
    if existing is not None:
        if existing.is_confirmed and existing.is_active:
            _send(existing.email, "accounts/email/already_registered.txt", {"url": _issue_link(existing, "sign_in")})
        elif existing.is_active and not existing.erased_at:
            _send(existing.email, "accounts/email/confirm.txt", {"url": _issue_link(existing, "confirm")})
        return
    postcode_value, ward = places.ward_for_postcode(postcode)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, email_key=key)
    except IntegrityError:
        # Another sign-up created the same person a moment ago; that one sent the email.
        return
    for purpose in Purpose:
        Consent.objects.create(user=user, purpose=purpose, granted=bool(consents.get(str(purpose))))
    places.join_ward(user, ward, postcode=postcode_value.compact, relationship=relationship, is_home=True)
    audit.record(None, "account.signed_up", user, ward_code=ward.gss_code)
    _send(user.email, "accounts/email/confirm.txt", {"url": _issue_link(user, "confirm"), "ward": ward})


def request_sign_in(*, email: str, ip: str = "", known_account: int | None = None) -> None:
    """Check the address and queue the rest, the same work whether or not an account has it.

    Attempts count per client and per account-and-client, so naming someone from elsewhere cannot
    stop them asking for their own link; a browser they signed in from before is also spared the
    per-account ceiling on emails.
    """
    from .tasks import complete_sign_in

    email = clean_email(email)
    key = email_key(email)
    ratelimit.hit_for_account("sign-in", key, ip, known_browser=_known_browser(key, known_account))
    transaction.on_commit(lambda: complete_sign_in.enqueue(email=email))


@transaction.atomic
def complete_sign_in(*, email: str) -> None:
    """Email a sign-in link if the account exists (a confirmation link if unconfirmed); nothing otherwise."""
    user = User.objects.filter(email_key=email_key(email), is_active=True, erased_at__isnull=True).first()
    if user is None:
        return
    if user.is_confirmed:
        _send(user.email, "accounts/email/sign_in.txt", {"url": _issue_link(user, "sign_in")})
    else:
        _send(user.email, "accounts/email/confirm.txt", {"url": _issue_link(user, "confirm")})


def read_link(token: str) -> EmailLink:
    """The usable link a token names, or LinkError saying why not (tampered, expired, used)."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=timedelta(hours=settings.OPENWARD_CONFIRM_LINK_HOURS))
        link_id, secret = int(data["l"]), str(data["s"])
    except signing.SignatureExpired:
        raise LinkError("This link has expired. Ask for a new one below.") from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkError(
            "This link is not complete or has been changed. Copy the whole link from the email, or ask for a new one."
        ) from None
    link = EmailLink.objects.select_related("user").filter(pk=link_id).first()
    if link is None or not secrets.compare_digest(link.secret_hash, sha256(secret)):
        raise LinkError("This link is not valid any more. Ask for a new one below.")
    if link.used_at is not None:
        raise LinkError("This link has already been used. Each link works once: ask for a new one below.")
    if link.expires_at <= timezone.now():
        raise LinkError("This link has expired. Ask for a new one below.")
    if not link.user.is_active or link.user.erased_at:
        raise LinkError("This account is closed.")
    return link


@transaction.atomic
def use_link(token: str) -> User:
    """Spend a link once: confirm the email (granting level 1 in the person's wards) and return the person."""
    link = read_link(token)
    # The conditional update makes the link single-use even under concurrent clicks.
    if not EmailLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise LinkError("This link has already been used. Each link works once: ask for a new one below.")
    user = link.user
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
        for membership in user.memberships.all():
            residence.provider().grant_email_level(membership)
        audit.record(user, "account.email_confirmed", user)
        signals.email_confirmed.send(sender=User, user=user)
    return user


@transaction.atomic
def set_consent(user: User, purpose: str, granted: bool) -> Consent:
    """Record a person's answer for one purpose."""
    was_granted = Consent.objects.filter(user=user, purpose=purpose, granted=True).exists()
    consent, _ = Consent.objects.update_or_create(user=user, purpose=purpose, defaults={"granted": granted})
    audit.record(user, "consent.changed", user, purpose=purpose, granted=granted)
    if granted and not was_granted:
        signals.consent_granted.send(sender=User, user=user, purpose=purpose)
    return consent


@transaction.atomic
def create_api_token(user: User, name: str, *, second_factor: bool) -> str:
    """Make a personal API token and return its key (shown once; only the hash is kept)."""
    key = "ow_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, name=(name or "API token")[:80], prefix=key[:10], key_hash=sha256(key), second_factor=second_factor
    )
    audit.record(user, "api_token.created", user, name=name[:80])
    return key


@transaction.atomic
def revoke_api_token(user: User, token: ApiToken) -> None:
    """Stop a token working."""
    if token.user_id != user.pk:
        raise RoleError("That token is not yours.")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    audit.record(user, "api_token.revoked", token)


def _place_fields(place) -> dict:
    return {
        "ward": place if isinstance(place, Ward) else None,
        "cluster": place if isinstance(place, Cluster) else None,
        "borough": place if isinstance(place, Borough) else None,
    }


@transaction.atomic
def grant_role(actor: User, user: User, role: str, place=None, *, expires_at=None) -> RoleGrant:
    """Give `user` a role for a place (None: everywhere), if `actor` may hand it out there."""
    if role not in Role.values:
        raise RoleError(f"{role!r} is not a role.")
    if not can_manage_grant(actor, role, place):
        raise RoleError("You cannot give that role for that place.")
    if not user.is_confirmed or not user.is_active:
        raise RoleError("That person has not confirmed their email address yet.")
    fields = _place_fields(place)
    existing = RoleGrant.objects.active().filter(user=user, role=role, **fields).first()
    if existing:
        return existing
    grant = RoleGrant.objects.create(user=user, role=role, granted_by=actor, expires_at=expires_at, **fields)
    audit.record(
        actor,
        "role.granted",
        grant,
        ward_code=fields["ward"].gss_code if fields["ward"] else "",
        role=role,
        user_id=user.pk,
        place=grant.place_name,
    )
    return grant


@transaction.atomic
def revoke_role(actor: User, grant: RoleGrant) -> None:
    """End a role grant, if `actor` may manage that role for its place."""
    if not can_manage_grant(actor, grant.role, grant.place):
        raise RoleError("You cannot remove that role for that place.")
    RoleGrant.objects.filter(pk=grant.pk).update(revoked_at=timezone.now(), revoked_by=actor)
    audit.record(
        actor,
        "role.revoked",
        grant,
        ward_code=grant.ward.gss_code if grant.ward is not None else "",
        role=grant.role,
        user_id=grant.user_id,
    )
