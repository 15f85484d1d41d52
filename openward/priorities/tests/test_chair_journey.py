"""A panel chair's journey through the demo, in a real browser at desktop and phone widths.

The demo step builds the ward's story (a closed consultation, three open priorities, one reviewed).
The chair runs a new consultation, reads its one headline result, is refused a fourth priority with
a reason, reviews one priority (no month of crime data since it was agreed: allowed, and the page
says so), sets a priority from the result and finds it on "You said, we did". No ids are typed.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest

from openward.accounts.models import Role
from openward.areas.models import Ward
from openward.core import demo
from openward.crime.tests.factories import add_crimes
from openward.priorities import services
from openward.priorities.models import Consultation, Priority
from tests.personas import VIEWPORTS, horizontal_overflow, make_resident, make_staff, sign_in_context


def no_sideways_scroll(page):
    assert horizontal_overflow(page) <= 0, page.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_a_panel_chair_consults_reviews_and_sets_a_priority(page, borough, concerns, tmp_path, size):
    ward = Ward.objects.create(
        gss_code="E05000001", name="Ashcombe (demo)", slug="ashcombe-demo", borough=borough, is_demo=True
    )
    # Recorded crime up to September 2026, as the demo's published months run.
    for year, first_month in ((2024, 10), (2025, 1), (2026, 1)):
        for month in range(first_month, 13 if year < 2026 else 10):
            for slug, n in (("burglary", 6), ("robbery", 4), ("drugs", 3), ("anti-social-behaviour", 9)):
                add_crimes(ward, slug, date(year, month, 1), n + month % 3)
    next(s for s in demo.steps() if s.name == "priorities").step(tmp_path, io.StringIO())
    assert Priority.objects.filter(ward=ward, status="open").count() == 3

    chair = make_staff(Role.PANEL_CHAIR, ward, email="chair@example.org")
    sign_in_context(page.context, page.base_url, chair)
    page.set_viewport_size(VIEWPORTS[size])

    # Run a consultation from the ward's "You said, we did" page.
    page.goto(f"/priorities/ward/{ward.gss_code}/")
    no_sideways_scroll(page)
    page.get_by_role("link", name="New consultation").click()
    page.get_by_label("Title").fill("Spring: what should the team focus on?")
    page.get_by_label("Opens on").fill("2026-11-17")
    page.get_by_label("Closes on (at the end of the day before)").fill("2026-12-15")
    page.get_by_role("button", name="Create consultation").click()
    page.get_by_role("heading", name="Spring: what should the team focus on?").wait_for()
    consultation = Consultation.objects.get(title="Spring: what should the team focus on?")

    # Residents take part: 12 with a verified address choose burglary; 15 level-1 accounts choose road safety.
    for _ in range(12):
        services.cast_ballot(make_resident(ward=ward, level=2), consultation, [concerns["burglary"].pk])
    for _ in range(15):
        services.cast_ballot(make_resident(ward=ward, level=1), consultation, [concerns["road-safety"].pk])

    page.get_by_role("button", name="Close the consultation now").click()
    headline = page.locator(".headline-result")
    text = headline.inner_text()
    assert "Among the 12 verified respondents, the top concern is Burglary" in text
    assert "Among the 15 other respondents, whose address is not verified, the top concern is speeding" in text
    assert "12 of the 27 people who took part were verified" in text
    assert "an email address and a postcode are easy to give" in text
    no_sideways_scroll(page)

    # Setting a priority from the result: the ward already has three, so it is refused with a reason.
    page.get_by_role("link", name="Burglary", exact=True).click()
    assert page.get_by_label("Statement").input_value() == "Tackle burglary"
    page.get_by_label("Review on").fill("2027-05-18")
    page.get_by_role("button", name="Set priority").click()
    alert = page.get_by_role("alert").inner_text()
    assert "already has 3 open priorities, the most a ward can have" in alert
    assert Priority.objects.filter(ward=ward, status="open").count() == 3
    no_sideways_scroll(page)

    # Review one of the three: the page says what crime data there is before the chair decides.
    page.locator(".notice").get_by_role("link").first.click()
    reviewed = Priority.objects.get(pk=int(re.search(r"/priorities/(\d+)/review/", page.url).group(1)))
    about = page.locator("p.notice").inner_text()
    assert about == services.data_for_review(reviewed)
    assert "Recorded crime is published up to September 2026" in about
    page.get_by_label("Not achieved").check()
    page.get_by_label("What the panel decided and why (optional)").fill("Patrols did not reach the hot spots.")
    page.get_by_role("button", name="Save review").click()
    page.get_by_role("heading", name=re.compile("Review, .*: Not achieved")).wait_for()
    assert "reviewed: not achieved" in page.locator("main").inner_text()
    assert "not_achieved" not in page.content()
    no_sideways_scroll(page)

    # Now the slot is free: set the priority from the consultation's result.
    page.goto(f"/priorities/consultations/{consultation.pk}/")
    page.get_by_role("link", name="Burglary", exact=True).click()
    page.get_by_label("Review on").fill("2027-05-18")
    page.get_by_role("button", name="Set priority").click()
    page.get_by_role("heading", name="Tackle burglary").wait_for()
    created = Priority.objects.get(ward=ward, status="open", consultation=consultation)
    assert created.concern == concerns["burglary"]
    assert "Ranked 1 of" in created.evidence and "verified respondents" in created.evidence
    no_sideways_scroll(page)

    # And it is on "You said, we did", with the reviewed one among past priorities.
    page.get_by_role("link", name=ward.name).first.click()
    # all_inner_texts does not wait: read the ward's page once it is there, not the priority's still shown.
    page.locator("h2:has-text('Current priorities')").wait_for()
    current = page.locator("h2:has-text('Current priorities') ~ .priority").all_inner_texts()
    assert any("Tackle burglary" in t for t in current)
    past = page.locator(".priority--past").all_inner_texts()
    assert any(reviewed.statement in t and "Not achieved" in t for t in past)
    no_sideways_scroll(page)
