"""Volunteering: tasks with places and vetting, sign-up, and a completion report."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from openward.engagement.models import VolunteerTask
from openward.engagement.services import volunteering as volunteering_services
from tests.personas import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def sweep(ward, officer):
    return volunteering_services.create_volunteer_task(
        officer,
        ward=ward,
        title="Weapons sweep, Golden Lane estate",
        kind=VolunteerTask.Kind.WEAPONS_SWEEP,
        place="Golden Lane estate, meet at the community centre",
        starts_at=timezone.now() + timedelta(days=3),
        places=2,
        vetting=VolunteerTask.Vetting.BASIC,
    )


def test_sign_up_needs_vetting_and_a_free_place(sweep, residents, client):
    a, b, c = residents[:3]
    with pytest.raises(ValidationError, match="Basic DBS check"):
        volunteering_services.sign_up_to_volunteer(a, sweep)
    volunteering_services.sign_up_to_volunteer(a, sweep, confirms_vetting=True)
    sign_in(client, b)
    client.post(reverse("engagement:volunteer-sign-up", args=[sweep.pk]), {"confirms_vetting": "on"})
    assert sweep.places_left() == 0
    sign_in(client, c)
    response = client.post(
        reverse("engagement:volunteer-sign-up", args=[sweep.pk]), {"confirms_vetting": "on"}, follow=True
    )
    assert "All the places on this task are taken." in response.content.decode()
    sign_in(client, b)
    client.post(reverse("engagement:volunteer-withdraw", args=[sweep.pk]))
    assert sweep.places_left() == 1


def test_officer_reports_completion(sweep, officer, resident, client):
    VolunteerTask.objects.filter(pk=sweep.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    sign_in(client, resident)
    assert client.post(reverse("engagement:volunteer-report", args=[sweep.pk]), {}).status_code == 403
    sign_in(client, officer)
    client.post(
        reverse("engagement:volunteer-report", args=[sweep.pk]),
        {"volunteers": "6", "hours": "12.5", "findings": "Two knives found in bushes, handed to PC Smith."},
    )
    sweep.refresh_from_db()
    assert sweep.status == VolunteerTask.Status.COMPLETED
    assert sweep.report.hours == Decimal("12.50") and "Two knives" in sweep.report.findings
    assert "Two knives" in client.get(reverse("engagement:volunteer-task", args=[sweep.pk])).content.decode()


def test_api_lists_and_signs_up(sweep, resident, client):
    assert [t["title"] for t in client.get("/api/v1/engagement/volunteering").json()] == [sweep.title]
    sign_in(client, resident)
    r = client.post(
        f"/api/v1/engagement/volunteering/{sweep.pk}/signup",
        {"confirms_vetting": False},
        content_type="application/json",
    )
    assert r.status_code == 400 and "Basic DBS" in r.json()["detail"]
    r = client.post(
        f"/api/v1/engagement/volunteering/{sweep.pk}/signup",
        {"confirms_vetting": True},
        content_type="application/json",
    )
    assert r.json()["places_left"] == 1


def test_vetting_is_said_in_words_never_none(sweep, officer, ward, client):
    litter = volunteering_services.create_volunteer_task(
        officer,
        ward=ward,
        title="Leafleting, Golden Lane",
        kind=VolunteerTask.Kind.LEAFLETING,
        place="Golden Lane",
        starts_at=timezone.now() + timedelta(days=4),
        places=5,
    )
    listing = client.get(reverse("engagement:volunteering")).content.decode()
    assert "vetting: None" not in listing and ">None<" not in listing
    assert "no vetting needed" in listing and "needs: Basic DBS check" in listing
    detail = client.get(reverse("engagement:volunteer-task", args=[litter.pk])).content.decode()
    assert "<dd>No vetting is needed</dd>" in detail
    assert (
        "<dd>Basic DBS check</dd>" in client.get(reverse("engagement:volunteer-task", args=[sweep.pk])).content.decode()
    )
