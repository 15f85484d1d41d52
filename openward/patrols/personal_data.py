"""What patrols hold about a person (plans they made, visits they made or recorded), for export and erasure.

Erasure keeps each visit's place, time and length, so a plan's dosage and its evaluation still
add up, but removes who made and recorded it and the officer's note; plans lose their author
and the hours note their author wrote.
"""

from __future__ import annotations

from django.db.models import Q

from openward.core import personal_data

from .models import PatrolPlan, Visit


def _visits(user):
    return Visit.objects.filter(Q(officer=user) | Q(recorded_by=user))


def _export(user) -> dict:
    return {
        "plans_made": [
            {"plan": p.title, "created": p.created_at.isoformat(), "hours_note": p.hours_note}
            for p in PatrolPlan.objects.filter(created_by=user)
        ],
        "visits": [
            {
                "plan": v.plan.title,
                "place": v.place.label or v.place.cell_key,
                "started": v.started_at.isoformat(),
                "minutes": v.minutes,
                "note": v.note,
                "made_by_you": v.officer_id == user.pk,
                "recorded_by_you": v.recorded_by_id == user.pk,
            }
            for v in _visits(user).select_related("plan", "place")
        ],
    }


def _erase(user) -> list:
    plans = list(PatrolPlan.objects.filter(created_by=user))
    visits = list(_visits(user))
    PatrolPlan.objects.filter(created_by=user).update(created_by=None, hours_note="")
    Visit.objects.filter(officer=user).update(officer=None, note="")
    Visit.objects.filter(recorded_by=user).update(recorded_by=None, note="")
    return [*plans, *visits]


personal_data.register("patrols", models=[PatrolPlan, Visit], export=_export, erase=_erase)
