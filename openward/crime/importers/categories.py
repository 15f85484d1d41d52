"""police.uk crime categories and outcome names: what the CSV files write, what the API calls them.

The CSV files name a category ("Violence and sexual offences"); the API uses a slug
(`violent-crime`). Several names were used over the years for one slug, and a few slugs
existed only before May 2013 (`public-disorder-weapons`).
"""

from __future__ import annotations

import re

# slug -> the name police.uk gives it now (crime-categories endpoint).
CATEGORY_NAMES: dict[str, str] = {
    "anti-social-behaviour": "Anti-social behaviour",
    "bicycle-theft": "Bicycle theft",
    "burglary": "Burglary",
    "criminal-damage-arson": "Criminal damage and arson",
    "drugs": "Drugs",
    "other-theft": "Other theft",
    "possession-of-weapons": "Possession of weapons",
    "public-order": "Public order",
    "robbery": "Robbery",
    "shoplifting": "Shoplifting",
    "theft-from-the-person": "Theft from the person",
    "vehicle-crime": "Vehicle crime",
    "violent-crime": "Violence and sexual offences",
    "other-crime": "Other crime",
    # Used until April 2013, then split into public-order and possession-of-weapons.
    "public-disorder-weapons": "Public disorder and weapons",
}

# CSV "Crime type" text (compared case-insensitively) -> slug, including historic names.
_CSV_NAMES: dict[str, str] = {name.lower(): slug for slug, name in CATEGORY_NAMES.items()}
_CSV_NAMES.update(
    {
        "violent crime": "violent-crime",  # the name until April 2013
        "violence against the person": "violent-crime",
        "anti social behaviour": "anti-social-behaviour",
        "criminal damage & arson": "criminal-damage-arson",
        "theft from the person": "theft-from-the-person",
        "other theft": "other-theft",
        "public disorder & weapons": "public-disorder-weapons",
    }
)


def category_slug(csv_name: str) -> str | None:
    """The police.uk slug for a CSV "Crime type", or None when it is not a police.uk category."""
    return _CSV_NAMES.get(re.sub(r"\s+", " ", csv_name or "").strip().lower())


# Outcome names (outcomes files, "Last outcome category") -> police.uk outcome codes.
OUTCOME_CODES: dict[str, str] = {
    "Investigation complete; no suspect identified": "no-further-action",
    "Unable to prosecute suspect": "unable-to-prosecute",
    "Formal action is not in the public interest": "formal-action-not-in-public-interest",
    "Further investigation is not in the public interest": "further-investigation-not-in-public-interest",
    "Further action is not in the public interest": "further-action-not-in-public-interest",
    "Action to be taken by another organisation": "action-by-another-organisation",
    "Local resolution": "local-resolution",
    "Offender given a caution": "cautioned",
    "Offender given a drugs possession warning": "drugs-possession-warning",
    "Offender given penalty notice": "penalty-notice-issued",
    "Offender given conditional discharge": "conditional-discharge",
    "Offender given absolute discharge": "absolute-discharge",
    "Offender fined": "fined",
    "Offender given community sentence": "community-sentence",
    "Offender given suspended prison sentence": "suspended-sentence",
    "Offender sent to prison": "imprisoned",
    "Offender ordered to pay compensation": "compensation",
    "Offender deprived of property": "deprived-of-property",
    "Offender otherwise dealt with": "sentenced-in-another-case",
    "Defendant found not guilty": "not-guilty",
    "Defendant sent to Crown Court": "sent-to-crown-court",
    "Suspect charged as part of another case": "charged-in-another-case",
    "Court case unable to proceed": "unable-to-proceed",
    "Court result unavailable": "court-result-unavailable",
    "Awaiting court outcome": "awaiting-court-result",
    "Under investigation": "under-investigation",
    "Status update unavailable": "status-update-unavailable",
    "Suspect charged": "charged",
    "Offender given a penalty notice": "penalty-notice-issued",
    "Offender given a conditional discharge": "conditional-discharge",
    "Offender given an absolute discharge": "absolute-discharge",
    "Offender given a community sentence": "community-sentence",
    "Offender given a suspended prison sentence": "suspended-sentence",
}


def outcome_code(name: str) -> str:
    """The police.uk code for an outcome name; unknown names get a slug of their own."""
    return OUTCOME_CODES.get(name) or re.sub(r"[^a-z0-9]+", "-", (name or "").lower()).strip("-")[:80]


# Stop-and-search outcome names -> the API's outcome_object ids.
STOP_OUTCOME_CODES: dict[str, str] = {
    "A no further action disposal": "bu-no-further-action",
    "Nothing found - no further action": "bu-no-further-action",
    "Arrest": "bu-arrest",
    "Suspect arrested": "bu-arrest",
    "Community resolution": "bu-community-resolution",
    "Local resolution": "bu-community-resolution",
    "Summons / charged by post": "bu-summons",
    "Suspect summonsed to court": "bu-summons",
    "Caution (simple or conditional)": "bu-caution",
    "Offender cautioned": "bu-caution",
    "Penalty Notice for Disorder": "bu-penalty-notice",
    "Offender given penalty notice": "bu-penalty-notice",
    "Khat or Cannabis warning": "bu-warning",
    "Offender given drugs possession warning": "bu-warning",
}

STOP_TYPES = ("Person search", "Vehicle search", "Person and Vehicle search")
