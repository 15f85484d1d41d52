"""Download my data: everything Open Ward holds about a person, as JSON.

Apps that hold more register an exporter returning JSON-ready data:

    personal_data.register("replies", lambda user: [...])
"""

from __future__ import annotations

from collections.abc import Callable

_exporters: dict[str, Callable] = {}


def register(name: str, exporter: Callable) -> None:
    _exporters[name] = exporter


def _iso(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    """The person's data, JSON-ready."""
    from openward.verification.models import AddressLetter

    data = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "joined": _iso(user.date_joined),
            "email_confirmed": _iso(user.email_confirmed_at),
            "last_sign_in": _iso(user.last_login),
        },
        "consents": [
            {"purpose": c.purpose, "granted": c.granted, "changed": _iso(c.changed_at)} for c in user.consents.all()
        ],
        "wards": [
            {
                "ward": m.ward.gss_code,
                "ward_name": m.ward.name,
                "relationship": m.relationship,
                "home": m.is_home,
                "postcode": m.postcode,
                "level": m.level,
                "verifications": [
                    {
                        "level": g.level,
                        "method": g.method,
                        "granted": _iso(g.granted_at),
                        "expires": _iso(g.expires_at),
                        "evidence_seen": g.evidence,
                        "revoked": _iso(g.revoked_at),
                    }
                    for g in m.grants.all()
                ],
            }
            for m in user.memberships.select_related("ward")
        ],
        "letters_pending": [
            {
                "address": a.address,
                "postcode": a.postcode,
                "requested": _iso(a.created_at),
                "expires": _iso(a.expires_at),
            }
            for a in AddressLetter.objects.pending().filter(membership__user=user)
        ],
        "roles": [
            {
                "role": g.role,
                "place": g.place_name,
                "granted": _iso(g.granted_at),
                "expires": _iso(g.expires_at),
                "revoked": _iso(g.revoked_at),
            }
            for g in user.role_grants.select_related("ward", "cluster", "borough")
        ],
        "api_tokens": [
            {"name": t.name, "created": _iso(t.created_at), "revoked": _iso(t.revoked_at)}
            for t in user.api_tokens.all()
        ],
    }
    for name, exporter in _exporters.items():
        data[name] = exporter(user)
    return data
