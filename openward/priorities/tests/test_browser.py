"""Taking part in a real browser: choose by label, submit, see it recorded; a mistake is explained."""

from __future__ import annotations

import pytest

from openward.priorities import services
from openward.priorities.models import Ballot
from tests.personas import make_resident, sign_in_context


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_resident_ranks_concerns_in_the_browser(page, ward, panel_chair, concerns, open_window):
    consultation = services.create_consultation(
        panel_chair,
        ward=ward,
        title="Have your say",
        opens_at=open_window[0],
        closes_at=open_window[1],
        concerns=concerns.values(),
    )
    sign_in_context(page.context, page.base_url, make_resident(ward=ward))

    page.goto(f"/priorities/consultations/{consultation.pk}/")
    page.get_by_role("link", name="Take part").click()
    page.get_by_label("Your first choice").select_option(label="Burglary")
    page.get_by_label("Your second choice (optional)").select_option(label="Burglary")
    page.get_by_role("button", name="Submit your choices").click()
    summary = page.get_by_role("alert")
    assert "more than once" in summary.inner_text()
    assert Ballot.objects.count() == 0

    page.get_by_label("Your second choice (optional)").select_option(label="Drug dealing and drug use")
    page.get_by_label("Your age").select_option(label="30 to 44")
    page.get_by_role("button", name="Submit your choices").click()
    page.wait_for_url(f"**/priorities/consultations/{consultation.pk}/")
    assert "Your choices are recorded" in page.locator(".notices").inner_text()
    ballot = Ballot.objects.get()
    assert [c.slug for c in (ballot.first, ballot.second)] == ["burglary", "drugs"]
    assert ballot.demographics.age_band == "30-44"
