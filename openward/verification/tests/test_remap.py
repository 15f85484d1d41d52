"""A boundary change re-maps people by postcode or flags them for review, never drops them."""

import datetime as dt

import pytest
from django.core.management import call_command

from openward.areas.models import Ward, WardGeneration
from openward.verification.models import Level, Membership
from tests.personas import make_resident, square


def test_new_generation_remaps_by_postcode_and_flags_the_rest(places):
    mapped = make_resident("a@example.org", places.ward_a, level=2, postcode=places.postcode_a)
    unknown = make_resident("b@example.org", places.ward_a, level=1, postcode="")
    already = make_resident("c@example.org", places.ward_a2, level=1, postcode=places.postcode_a2)
    new = WardGeneration.objects.create(slug="2026", name="2026 wards", valid_from=dt.date(2026, 5, 7))
    # One big ward replaces Abbey and Bridge; its code is new.
    merged = Ward.objects.create(
        gss_code="E05000999",
        name="Abbey and Bridge",
        slug="abbey-and-bridge",
        borough=places.borough_a,
        generation=new,
        boundary=square(-0.02, 51.5, 0.02),
    )
    call_command("remap_wards", "2026")
    a = Membership.objects.get(user=mapped)
    assert (a.ward, a.remapped_from, a.needs_review) == (merged, "E05000901", False)
    assert a.level == Level.ADDRESS  # the verification moves with the person
    b = Membership.objects.get(user=unknown)
    assert b.ward == places.ward_a and b.needs_review and "no postcode" in b.review_reason
    c = Membership.objects.get(user=already)
    assert c.ward == merged and c.remapped_from == "E05000902"
    assert Membership.objects.count() == 3  # nobody dropped


def test_unknown_generation_is_a_clear_error(places):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No ward generation 'nope'. Known generations: 2022"):
        call_command("remap_wards", "nope")


def test_flagged_people_are_reviewed_by_staff_of_the_ward(client, places):
    from openward.accounts.models import Role
    from openward.core.models import AuditEvent
    from tests.personas import make_staff, sign_in

    person = make_resident("a@example.org", places.ward_a, postcode="")
    Membership.objects.filter(user=person).update(needs_review=True, review_reason="Ward E05000901 changed")
    officer = make_staff(Role.OFFICER, places.ward_a)
    sign_in(client, officer)
    url = f"/verify/staff/wards/{places.ward_a.gss_code}/review/"
    page = client.get(url).content.decode()
    assert "Ward E05000901 changed" in page and "a@example.org" not in page
    assert AuditEvent.objects.filter(action="review.viewed", actor=officer).exists()
    membership = Membership.objects.get(user=person)
    assert client.post(url, {"membership": membership.pk}).status_code == 302
    assert not Membership.objects.get(pk=membership.pk).needs_review


def _ward_geojson(tmp_path, code, name, borough_code, ring):
    import json

    feature = {
        "type": "Feature",
        "properties": {"WD26CD": code, "WD26NM": name, "LAD26CD": borough_code, "LAD26NM": "Northbury"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def _square_ring(lng0, lat0, size):
    return [[lng0, lat0], [lng0 + size, lat0], [lng0 + size, lat0 + size], [lng0, lat0 + size], [lng0, lat0]]


def test_importing_the_generation_in_force_remaps_people_without_a_command(
    places, tmp_path, django_capture_on_commit_callbacks
):
    from openward.areas.importers.boundaries import OnsWards

    mapped = make_resident("a@example.org", places.ward_a, level=2, postcode=places.postcode_a)
    WardGeneration.objects.create(slug="2026", name="2026 wards", valid_from=dt.date(2026, 5, 7))
    path = _ward_geojson(tmp_path, "E05000999", "Abbey and Bridge", "E09000901", _square_ring(-0.02, 51.5, 0.02))
    with django_capture_on_commit_callbacks(execute=True):
        OnsWards(path, generation="2026", commit=True).run()
    membership = Membership.objects.get(user=mapped)
    assert (membership.ward.gss_code, membership.ward.generation.slug) == ("E05000999", "2026")
    assert membership.remapped_from == "E05000901"


def test_a_dry_run_or_an_older_generation_moves_nobody(places, tmp_path, django_capture_on_commit_callbacks):
    from openward.areas.importers.boundaries import OnsWards

    mapped = make_resident("a@example.org", places.ward_a, level=2, postcode=places.postcode_a)
    WardGeneration.objects.create(slug="2026", name="2026 wards", valid_from=dt.date(2026, 5, 7))
    WardGeneration.objects.create(
        slug="2010", name="2010 wards", valid_from=dt.date(2010, 5, 6), valid_to=dt.date(2014, 5, 21)
    )
    path = _ward_geojson(tmp_path, "E05000999", "Abbey and Bridge", "E09000901", _square_ring(-0.02, 51.5, 0.02))
    with django_capture_on_commit_callbacks(execute=True):
        OnsWards(path, generation="2026").run()  # dry run
        OnsWards(path, generation="2010", commit=True).run()  # an old pattern
    assert Membership.objects.get(user=mapped).ward == places.ward_a


@pytest.mark.parametrize("bad", ["abc", "", "-1", "9223372036854775808", "other-ward"])
def test_marking_something_that_is_not_flagged_here_is_a_message_not_an_error(client, places, bad):
    from openward.accounts.models import Role
    from tests.personas import make_staff, sign_in

    elsewhere = make_resident("b@example.org", places.ward_b, postcode="")
    Membership.objects.filter(user=elsewhere).update(needs_review=True, review_reason="Shared address")
    if bad == "other-ward":
        bad = str(Membership.objects.get(user=elsewhere).pk)
    sign_in(client, make_staff(Role.OFFICER, places.ward_a))
    url = f"/verify/staff/wards/{places.ward_a.gss_code}/review/"
    response = client.post(url, {"membership": bad}, follow=True)
    assert response.status_code == 200
    assert "That membership is no longer waiting for review" in response.content.decode()
    assert Membership.objects.get(user=elsewhere).needs_review
