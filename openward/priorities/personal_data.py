"""What priorities holds about a person: only that they took part in consultations, never what they chose.

Ballots cannot be exported or erased per person: nothing links a ballot to its voter
(docs/ballot-secrecy.md). Erasure removes the person's rows in the register of who took part.
"""

from __future__ import annotations

from openward.core import personal_data

from .models import Consultation, Participation
from .services import voter_key


def _taken_part(user) -> list[Participation]:
    keys = {voter_key(user, c): c for c in Consultation.objects.only("pk")}
    return list(Participation.objects.filter(voter_key__in=keys).select_related("consultation"))


def _export(user) -> list[dict]:
    return [
        {"consultation": p.consultation.title, "id": p.consultation_id, "note": "Your choices are not linked to you."}
        for p in _taken_part(user)
    ]


def _erase(user) -> list:
    Participation.objects.filter(voter_key__in=[p.voter_key for p in _taken_part(user)]).delete()
    return []


personal_data.register("consultations", models=[Participation], export=_export, erase=_erase, order=50)
