"""Creating the places that imported rows refer to: forces, boroughs, ward generations, wards."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils.text import slugify

from openward.core.bulk import update_rows

from ..models import Borough, Force, Ward, WardGeneration

FORCES_FILE = Path(__file__).with_name("data") / "forces.json"
CITY_OF_LONDON = "E09000001"


@dataclass(frozen=True)
class Generation:
    slug: str
    name: str
    valid_from: date | None
    valid_to: date | None


# London redrew its wards at the borough elections; each pattern runs to the day before the next.
GENERATIONS = {
    "2014": Generation("2014", "London wards, 2014 pattern", date(2014, 5, 22), date(2018, 5, 2)),
    "2018": Generation("2018", "London wards, 2018 pattern", date(2018, 5, 3), date(2022, 5, 4)),
    "2022": Generation("2022", "London wards, 2022 pattern", date(2022, 5, 5), None),
}


def generation(slug: str) -> WardGeneration:
    """The ward generation for `slug`, created from the known London patterns when first needed."""
    known = GENERATIONS.get(slug)
    if known is None:
        found = WardGeneration.objects.filter(slug=slug).first()
        if found is None:
            raise ValueError(
                f'Unknown ward generation "{slug}". Use one of {", ".join(GENERATIONS)} or create it first.'
            )
        return found
    obj, _ = WardGeneration.objects.update_or_create(
        slug=known.slug,
        defaults={"name": known.name, "valid_from": known.valid_from, "valid_to": known.valid_to},
    )
    return obj


def shipped_forces() -> list[dict]:
    return json.loads(FORCES_FILE.read_text(encoding="utf-8"))


def force(slug: str) -> Force:
    """The force `slug`, created from the shipped reference file if it is not loaded yet."""
    existing = Force.objects.filter(slug=slug).first()
    if existing:
        return existing
    for record in shipped_forces():
        if record["id"] == slug:
            return Force.objects.create(
                slug=slug,
                name=record["name"],
                url=record.get("url") or "",
                telephone=record.get("telephone") or "",
                listed=record.get("listed", True),
                gss_code=record.get("gss_code") or "",
            )
    raise ValueError(f'Unknown force "{slug}". Load it with import_forces first.')


def london_force_slug(borough_code: str) -> str | None:
    """Who polices a London borough: the City of London Police for the City, the Met for the rest."""
    if borough_code == CITY_OF_LONDON:
        return "city-of-london"
    if borough_code.startswith("E09"):
        return "metropolitan"
    return None


def unique_borough_slug(name: str, code: str) -> str:
    base = slugify(name) or code.lower()
    if not Borough.objects.filter(slug=base).exclude(gss_code=code).exists():
        return base
    return f"{base}-{code.lower()}"


def upsert_borough(code: str, name: str | None, *, is_demo: bool = False, rename: bool = True, counts=None) -> Borough:
    """The borough `code`. A name replaces the placeholder (the code); other names only when `rename`.

    Boundary files carry the official names; postcode files' code lists use other spellings
    ("Bromley London Boro"), so they name new places but do not rename known ones.
    """
    borough = Borough.objects.filter(gss_code=code).first()
    if borough is None:
        label = name or code
        borough = Borough.objects.create(
            gss_code=code, name=label, slug=unique_borough_slug(label, code), is_demo=is_demo
        )
        if counts is not None:
            counts["boroughs_created"] += 1
    elif name and borough.name != name and (rename or borough.name == code):
        borough.name = name
        borough.slug = unique_borough_slug(name, code)
        borough.save(update_fields=["name", "slug"])
        if counts is not None:
            counts["boroughs_renamed"] += 1
    if borough.force_id is None and (slug := london_force_slug(code)) and not is_demo:
        borough.force = force(slug)
        borough.save(update_fields=["force"])
    return borough


def upsert_ward(
    code: str,
    name: str | None,
    borough: Borough,
    gen: WardGeneration,
    *,
    is_demo: bool = False,
    rename: bool = True,
    counts=None,
) -> Ward:
    ward = Ward.objects.filter(gss_code=code, generation=gen).first()
    if ward is None:
        label = name or code
        ward = Ward.objects.create(
            gss_code=code,
            name=label,
            slug=slugify(label) or code.lower(),
            borough=borough,
            generation=gen,
            valid_from=gen.valid_from,
            valid_to=gen.valid_to,
            is_demo=is_demo,
        )
        if counts is not None:
            counts["wards_created"] += 1
        return ward
    changed = []
    if name and ward.name != name and (rename or ward.name == code):
        ward.name, ward.slug = name, slugify(name) or code.lower()
        changed += ["name", "slug"]
    if ward.borough_id != borough.pk:
        ward.borough = borough
        changed.append("borough")
    if changed:
        ward.save(update_fields=changed)
        if counts is not None:
            counts["wards_updated"] += 1
    return ward


def upsert_wards(
    pairs: list[tuple[str, str]],
    names: dict[str, str],
    boroughs: dict[str, Borough],
    gen: WardGeneration,
    *,
    is_demo: bool = False,
    rename: bool = True,
    counts=None,
) -> None:
    """`upsert_ward` for many (ward code, borough code) pairs in a few queries, for postcode files."""
    existing = {w.gss_code: w for w in Ward.objects.filter(generation=gen)}
    new, changed = [], []
    for code, borough_code in pairs:
        name = names.get(code)
        ward = existing.get(code)
        if ward is None:
            label = name or code
            new.append(
                Ward(
                    gss_code=code,
                    name=label,
                    slug=slugify(label) or code.lower(),
                    borough=boroughs[borough_code],
                    generation=gen,
                    valid_from=gen.valid_from,
                    valid_to=gen.valid_to,
                    is_demo=is_demo,
                )
            )
            continue
        before = (ward.name, ward.borough_id)
        if name and ward.name != name and (rename or ward.name == code):
            ward.name, ward.slug = name, slugify(name) or code.lower()
        ward.borough = boroughs[borough_code]
        if (ward.name, ward.borough_id) != before:
            changed.append(ward)
    Ward.objects.bulk_create(new, batch_size=500)
    update_rows(changed, ["name", "slug", "borough"])
    if counts is not None:
        counts["wards_created"] += len(new)
        counts["wards_updated"] += len(changed)
