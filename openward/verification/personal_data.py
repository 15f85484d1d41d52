"""What verification holds about a person (wards, verifications, letters, references), for export and erasure."""

from __future__ import annotations

from openward.core import personal_data

from .models import AddressLetter, InPersonReference, Membership, VerificationGrant


def iso(value):
    return value.isoformat() if value else None


def _export(user) -> dict:
    memberships = user.memberships.select_related("ward").prefetch_related("grants", "letters", "in_person_references")
    return {
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
                        "granted": iso(g.granted_at),
                        "expires": iso(g.expires_at),
                        "evidence_seen": g.evidence,
                        "revoked": iso(g.revoked_at),
                    }
                    for g in m.grants.all()
                ],
                "letters": [
                    {
                        "recipient": a.recipient,
                        "address": a.address,
                        "postcode": a.postcode,
                        "requested": iso(a.created_at),
                        "expires": iso(a.expires_at),
                        "confirmed": iso(a.confirmed_at),
                        "address_erased": iso(a.erased_at),
                    }
                    for a in m.letters.all()
                ],
                "in_person_references": [
                    {"issued": iso(r.created_at), "expires": iso(r.expires_at), "used": iso(r.used_at)}
                    for r in m.in_person_references.all()
                ],
            }
            for m in memberships
        ],
    }


def _erase(user) -> list:
    memberships = list(Membership.objects.filter(user=user))
    grants = list(VerificationGrant.objects.filter(membership__user=user))
    letters = list(AddressLetter.objects.filter(membership__user=user))
    AddressLetter.objects.filter(membership__user=user).delete()
    InPersonReference.objects.filter(membership__user=user).delete()
    # The ward and level stay so results by ward and level still add up; the postcode goes, and so
    # do the keyed hash of the address and what an officer noted seeing.
    Membership.objects.filter(user=user).update(postcode="", review_reason="")
    VerificationGrant.objects.filter(membership__user=user).update(address_key="", evidence="")
    return [*memberships, *grants, *letters]


personal_data.register(
    "verification",
    models=[Membership, VerificationGrant, AddressLetter, InPersonReference],
    export=_export,
    erase=_erase,
    order=20,
)
