"""What accounts hold about a person (account, consents, links, tokens, roles, activity), for export and erasure.

The account row itself is blanked last, by `erasure.erase_account`, once every app has found
the person's rows by their email.
"""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from openward.core import personal_data
from openward.core.models import AuditEvent

from .models import ApiToken, Consent, EmailLink, RoleGrant, User
from .tasks import complete_sign_in, complete_sign_up, send_email


def iso(value):
    return value.isoformat() if value else None


def _export_account(user) -> dict:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "joined": iso(user.date_joined),
        "email_confirmed": iso(user.email_confirmed_at),
        "last_sign_in": iso(user.last_login),
        "consents": [
            {"purpose": c.purpose, "granted": c.granted, "changed": iso(c.changed_at)} for c in user.consents.all()
        ],
        "email_links": [
            {"purpose": link.purpose, "sent": iso(link.created_at), "used": iso(link.used_at)}
            for link in user.email_links.all()
        ],
        "roles": [
            {
                "role": g.role,
                "place": g.place_name,
                "granted": iso(g.granted_at),
                "expires": iso(g.expires_at),
                "revoked": iso(g.revoked_at),
            }
            for g in user.role_grants.select_related("ward", "cluster", "borough")
        ],
        "api_tokens": [
            {"name": t.name, "created": iso(t.created_at), "used": iso(t.last_used_at), "revoked": iso(t.revoked_at)}
            for t in user.api_tokens.all()
        ],
        "authenticators": [{"name": d.name, "confirmed": d.confirmed} for d in TOTPDevice.objects.filter(user=user)],
    }


def _erase_account_rows(user) -> list:
    touched = [*user.consents.all(), *user.email_links.all(), *user.api_tokens.all(), *user.role_grants.all()]
    user.consents.all().delete()
    user.email_links.all().delete()
    user.api_tokens.all().delete()
    # Role grants stay, revoked: who held a role when is part of the record of staff actions.
    user.role_grants.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    TOTPDevice.objects.filter(user=user).delete()
    # The admin's own change log names the object it changed.
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)).update(
        object_repr=f"Erased account {user.pk}", change_message=""
    )
    # The database task backend keeps each email's address and text (sign-in links included).
    DBTaskResult.objects.filter(task_path=send_email.module_path, args_kwargs__kwargs__to__iexact=user.email).delete()
    # So do the queued sign-up and sign-in requests that named the address.
    DBTaskResult.objects.filter(
        task_path__in=[complete_sign_up.module_path, complete_sign_in.module_path],
        args_kwargs__kwargs__email__iexact=user.email,
    ).delete()
    return touched


def _activity(user) -> list[dict]:
    """What the audit log records the person doing, or being done to their account."""
    events = AuditEvent.objects.filter(
        Q(actor=user) | Q(target_type=user._meta.label_lower, target_id=str(user.pk))
    ).order_by("created_at", "id")
    return [
        {"when": iso(e.created_at), "action": e.action, "ward": e.ward_code, "by_you": e.actor_id == user.pk}
        for e in events
    ]


personal_data.register(
    "account",
    models=[User, Consent, EmailLink, ApiToken, RoleGrant],
    export=_export_account,
    erase=_erase_account_rows,
    order=10,
)
# The audit log itself is scrubbed by personal_data.erase; this registration exports it.
personal_data.register("activity", models=[AuditEvent], export=_activity, erase=lambda user: [], order=90)
