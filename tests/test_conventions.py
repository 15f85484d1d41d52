"""Project conventions, checked: every API path in the schema, every management command tested."""

import re
from pathlib import Path

from openward.api import api

ROOT = Path(__file__).resolve().parent.parent


def test_every_api_operation_is_in_the_openapi_schema():
    schema = api.get_openapi_schema()
    documented = set(schema["paths"])
    routed = set()
    for prefix, router in api._routers:
        for path in router.path_operations:
            routed.add(re.sub(r"/+", "/", f"/api/{prefix}/{path}".replace("//", "/")))
    assert routed, "no API operations were found"
    missing = {p for p in routed if p.rstrip("/") not in {d.rstrip("/") for d in documented}}
    assert not missing, f"API paths missing from the OpenAPI schema: {sorted(missing)}"


def test_every_management_command_has_a_test():
    commands = sorted(p.stem for p in ROOT.glob("openward/*/management/commands/*.py") if p.stem != "__init__")
    tests_text = "\n".join(p.read_text() for p in ROOT.glob("openward/**/test_*.py")) + "\n".join(
        p.read_text() for p in ROOT.glob("tests/test_*.py")
    )
    untested = [c for c in commands if f'"{c}"' not in tests_text and f"'{c}'" not in tests_text]
    assert not untested, f"management commands with no test calling them: {untested}"


def test_every_environment_setting_is_documented():
    read = set()
    for path in ROOT.glob("openward/settings/*.py"):
        read |= set(re.findall(r"os\.environ(?:\.get)?[\(\[]\s*\"([A-Z0-9_]+)\"", path.read_text()))
    documented = (ROOT / "docs" / "settings.md").read_text()
    assert read, "no settings read from the environment were found"
    missing = sorted(name for name in read if f"`{name}`" not in documented)
    assert not missing, f"settings read from the environment but not in docs/settings.md: {missing}"


# Fields that look personal but are not a member of the public's data, each with the reason.
PLACE = "a place or its public description (reference data)"
POLICE_UK = "public police.uk data: officers in their role, stations, anonymised crime locations"
VOCABULARY = "a word in a controlled vocabulary"
STAFF_WORK = "written by staff as part of the public record of their work, not about a member of the public"
STAFF_ACTOR = "the staff member who did it: kept for accountability, and blank once their account is erased"
NOT_PERSONAL = {
    **{
        f: PLACE
        for f in (
            "areas.Force.name",
            "areas.Force.description",
            "areas.Borough.name",
            "areas.Borough.boundary",
            "areas.WardGeneration.name",
            "areas.Ward.name",
            "areas.Ward.boundary",
            "areas.Lsoa.name",
            "areas.Lsoa.boundary",
            "areas.Cluster.name",
            "areas.Cluster.description",
            "areas.Neighbourhood.name",
            "areas.Neighbourhood.description",
            "census.EthnicPopulation.area_name",
        )
    },
    **{
        f: POLICE_UK
        for f in (
            "areas.TeamMember.name",
            "areas.TeamMember.bio",
            "areas.Station.name",
            "areas.Station.address",
            "areas.Station.postcode",
            "areas.Station.description",
            "crime.Crime.street_name",
            "crime.DroppedDuplicate.street_name",
            "crime.Crime.lsoa_name",
            "crime.Crime.context",
            "crime.Stop.street_name",
            "crime.Stop.operation_name",
        )
    },
    **{
        f: VOCABULARY
        for f in ("crime.CrimeCategory.name", "crime.Outcome.name", "engagement.Topic.name", "priorities.Concern.name")
    },
    **{
        f: STAFF_WORK
        for f in (
            "engagement.Event.description",
            "engagement.Event.address",
            "engagement.AgendaItem.notes",
            "engagement.MeetingRecord.summary",
            "engagement.MinuteEntry.summary",
            "engagement.Action.what",
            "engagement.Action.status_note",
            "engagement.Bulletin.body_html",
            "engagement.BulletinImage.alt_text",
            "engagement.VolunteerTask.description",
            "engagement.VolunteerReport.findings",
            "priorities.Priority.evidence",
            "priorities.PriorityAction.description",
            "priorities.Review.note",
            "commitments.Commitment.text",
            "monitoring.ReviewSample.force_response",
        )
    },
    **{
        f: STAFF_ACTOR
        for f in (
            "core.ImportRun.actor",
            "verification.LetterBatch.created_by",
            "engagement.Event.created_by",
            "engagement.MeetingRecord.published_by",
            "engagement.Bulletin.author",
            "engagement.VolunteerTask.created_by",
            "engagement.VolunteerReport.submitted_by",
            "priorities.Consultation.created_by",
            "priorities.Priority.created_by",
            "priorities.PriorityAction.recorded_by",
            "priorities.Review.reviewed_by",
            "commitments.Commitment.created_by",
            "commitments.Review.reviewed_by",
            "monitoring.ReviewSample.drawn_by",
        )
    },
    "priorities.Ballot.other_text": "anonymous by design: nothing links a ballot to its voter (docs/ballot-secrecy.md)",
}
PERSONAL_NAME = re.compile(
    r"(^|_)(email|name|address|postcode|recipient|body|text|note|answer|comment|message|phone)s?($|_)"
)


def _personal_fields(model):
    """Fields that can hold a person's email, name, address or words, or point at a person."""
    from django.conf import settings
    from django.db import models

    for field in model._meta.concrete_fields:
        if (
            isinstance(field, models.EmailField | models.GenericIPAddressField | models.TextField)
            or (isinstance(field, models.CharField) and PERSONAL_NAME.search(field.name))
            or (field.is_relation and field.related_model._meta.label == settings.AUTH_USER_MODEL)
        ):
            yield field


def test_every_model_holding_personal_data_registers_an_eraser_and_an_exporter():
    from django.apps import apps

    from openward.core import personal_data

    registered = {model for holder in personal_data.holders() for model in holder.models}
    ours = [m for m in apps.get_models() if m.__module__.startswith("openward.")]
    unexplained = [
        f"{model._meta.label}.{field.name}"
        for model in ours
        if model not in registered
        for field in _personal_fields(model)
        if f"{model._meta.label}.{field.name}" not in NOT_PERSONAL
    ]
    assert not unexplained, (
        f"models with personal fields but no eraser/exporter (register them in the app's personal_data.py, "
        f"or say in NOT_PERSONAL why they are not personal): {unexplained}"
    )
    current = {f"{m._meta.label}.{f.name}" for m in ours if m not in registered for f in _personal_fields(m)}
    stale = sorted(set(NOT_PERSONAL) - current)
    assert not stale, f"NOT_PERSONAL names fields that are gone or now registered: {stale}"
