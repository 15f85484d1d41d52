"""Claim check: "<category> in <area> is down N% in the last 12 months compared with the 12 before",
read against the loaded data, with the caveats that apply.

The figures are the crime pages' own (`commitments.measure.category_change`). A claim names a
police.uk category (or a common name for one) and a London borough or ward; anything else is
refused with what was not understood, and nothing is looked up further.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openward.areas.models import Borough, Ward
from openward.areas.selectors import ward_by_code
from openward.crime.analytics.scope import ScopeError, borough_scope, scope_for_ward
from openward.crime.models import CrimeCategory

from .measure import category_change
from .measurement import PeriodChange

CLAIM = re.compile(
    r"^\s*(?P<category>.+?)\s+in\s+(?P<area>.+?)\s+(?:is|are|was|has|have)?\s*(?:gone\s+|fallen\s+|risen\s+)?"
    r"(?P<direction>down|up|fallen|risen|fell|rose|reduced|increased)\s+(?:by\s+)?(?P<percent>\d+(?:\.\d+)?)\s*%"
    r"(?P<rest>.*)$",
    re.I | re.S,
)
# Common names for police.uk categories, with the caveat that applies when the name is narrower.
BURGLARY_CAVEAT = (
    'police.uk\'s "Burglary" counts burglaries of homes and of businesses together, so a claim about '
    "residential burglary cannot be checked exactly: the figure below is all burglary."
)
ALIASES = {
    "residential burglary": ("burglary", BURGLARY_CAVEAT),
    "domestic burglary": ("burglary", BURGLARY_CAVEAT),
    "home burglary": ("burglary", BURGLARY_CAVEAT),
    "burglary": ("burglary", 'police.uk\'s "Burglary" counts burglaries of homes and of businesses together.'),
    "violence": ("violent-crime", ""),
    "violent crime": ("violent-crime", ""),
    "asb": ("anti-social-behaviour", ""),
    "knife crime": (
        "possession-of-weapons",
        'police.uk has no "knife crime" category; the nearest is '
        '"Possession of weapons", which is narrower (robberies and assaults with a knife are elsewhere).',
    ),
    "drugs": ("drugs", ""),
}
DOWN = {"down", "fallen", "fell", "reduced"}
ALWAYS = [
    "police.uk publishes crimes recorded by the police: a change can come from recording or reporting, "
    "not only from crime itself.",
    "Figures end at the latest month loaded; police.uk revises recent months.",
]


class ClaimError(ValueError):
    """The claim cannot be checked; the message says what was not understood."""


@dataclass(frozen=True)
class ClaimCheck(PeriodChange):
    claim: str
    category_name: str
    area_name: str
    claimed_percent: float
    verdict: str = ""
    caveats: list[str] = field(default_factory=list)


def _category(text: str) -> tuple[CrimeCategory, str]:
    key = " ".join(text.lower().split())
    slug, caveat = ALIASES.get(key, (None, ""))
    found = CrimeCategory.objects.filter(slug=slug).first() if slug else None
    found = (
        found
        or CrimeCategory.objects.filter(name__iexact=key).first()
        or CrimeCategory.objects.filter(slug=key).first()
    )
    if found is None:
        names = ", ".join(CrimeCategory.objects.values_list("name", flat=True)[:20])
        raise ClaimError(f'"{text[:60]}" is not a police.uk crime category we know. Try one of: {names}.')
    return found, caveat


def _scope(text: str):
    key = " ".join(text.split()).removeprefix("the ").strip()
    borough = Borough.objects.filter(gss_code=key.upper()).first() or Borough.objects.filter(name__iexact=key).first()
    if borough is not None:
        return borough_scope(borough.gss_code)
    ward = ward_by_code(key.upper()) if re.fullmatch(r"[EW]05\d{6}", key.upper()) else None
    if ward is None:
        wards = list(Ward.objects.current().filter(name__iexact=key).select_related("borough")[:5])
        if len(wards) > 1:
            where = ", ".join(w.borough.name for w in wards if w.borough_id)
            raise ClaimError(f'There are {len(wards)} wards called "{key[:60]}" (in {where}). Name the borough too.')
        ward = wards[0] if wards else None
    if ward is None:
        raise ClaimError(f'"{text[:60]}" is not a London borough or ward we know. Use its name or its code.')
    return scope_for_ward(ward)


def check_claim(claim: str) -> ClaimCheck:
    """What the loaded data says about a claimed change, or a ClaimError saying what was not understood."""
    match = CLAIM.match(claim or "")
    if not match:
        raise ClaimError(
            'Write the claim as "<crime category> in <borough or ward> is down N% in the last 12 months '
            'compared with the 12 before", e.g. "Burglary in Westminster is down 6.3%".'
        )
    category, caveat = _category(match["category"])
    try:
        scope = _scope(match["area"])
    except ScopeError as exc:
        raise ClaimError(str(exc)) from None
    sign = -1 if match["direction"].lower() in DOWN else 1
    claimed = sign * float(match["percent"])
    caveats = [c for c in [caveat] if c] + ALWAYS
    rest = match["rest"].lower()
    if rest.strip(" .") and not ("12 months" in rest or "year" in rest):
        caveats.insert(
            0,
            "The claim names another period; this check always compares the latest 12 months "
            "loaded with the 12 before.",
        )

    def checked(verdict: str, **change) -> ClaimCheck:
        return ClaimCheck(claim.strip(), category.name, scope.name, claimed, verdict, caveats, **change)

    recent, earlier, change, summary = category_change(scope, [category.slug])
    if change is None:
        return checked(f"It cannot be checked: no crime data is loaded for {scope.name}.")
    counts = {
        "recent": recent,
        "earlier": earlier,
        "recent_period": summary.recent_period,
        "earlier_period": summary.earlier_period,
    }
    if summary.comparable_note:
        caveats.insert(0, summary.comparable_note)
    if change.percent is None:
        return checked("It cannot be checked: there are too few crimes to compare the two periods.", **counts)
    high = change.percent_high if change.percent_high is not None else float("inf")
    data = f"the data shows {'down' if change.percent < 0 else 'up'} {abs(change.percent):.1f}% ({change.statement})"
    if change.percent_low <= claimed <= high:
        verdict = f"Consistent with the data: {data}; the claimed change is within its 95% interval."
    else:
        verdict = f"Not what the data says: {data}; the claimed change is outside its 95% interval."
    return checked(
        verdict, **counts, percent=change.percent, percent_low=change.percent_low, percent_high=change.percent_high
    )
