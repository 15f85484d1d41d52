"""In headless Chromium at laptop and phone widths, as an officer: an event dated in the past is refused,
then published; a resident registers; the officer changes it (the resident is emailed what changed over
SMTP) and cancels it; the officer writes a bulletin in Markdown, previews it, publishes it without choosing
a ward, and corrects it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from openward.engagement.models import Bulletin, Event
from tests.personas import browser_page_for, horizontal_overflow


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_officer_publishes_changes_and_cancels_an_event_and_the_registered_resident_is_told(
    browser, live_server, ward, officer, resident, smtp_server, viewport
):
    op = browser_page_for(browser, live_server, officer, viewport=viewport)
    op.goto("/accounts/staff/")
    op.get_by_role("link", name="New event in Aldersgate").click()
    op.get_by_label("Title").fill("Aldersgate street briefing")
    op.get_by_label("Kind").select_option(label="Street briefing")
    op.get_by_label("Starts at").fill("2020-01-01T19:00")
    op.get_by_label("Address").fill("Outside Barbican station")
    op.get_by_role("button", name="Publish the event").click()
    assert "1 January 2020, 19:00 is in the past" in op.locator(".error-summary").inner_text()
    assert not Event.objects.exists()
    start = timezone.localtime() + timedelta(days=10)
    op.get_by_label("Starts at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    op.get_by_role("button", name="Publish the event").click()
    op.wait_for_url(re.compile(r"/engagement/events/\d+/$"))
    event = Event.objects.get()

    rp = browser_page_for(browser, live_server, resident, viewport=viewport)
    rp.goto(f"/engagement/events/{event.pk}/")
    rp.get_by_role("button", name="Register").click()
    rp.wait_for_load_state()
    assert "Your place is confirmed." in rp.locator("#registration-status").inner_text()

    op.get_by_role("link", name="Change the event").click()
    op.wait_for_url(f"**/engagement/events/{event.pk}/edit/")
    assert horizontal_overflow(op) == 0
    op.get_by_label("Address").fill("Guildhall Library, Aldermanbury")
    op.get_by_role("button", name="Save and tell people").click()
    op.wait_for_url(f"**/engagement/events/{event.pk}/")
    assert "emailed what changed" in op.locator(".notices").inner_text()
    told = smtp_server.wait_for(1)[0]
    assert told["to"] == [resident.email] and told["message"]["Subject"] == "Changed: Aldersgate street briefing"
    assert "Address: now Guildhall Library, Aldermanbury (was Outside Barbican station)" in (
        told["message"].get_content()
    )

    op.get_by_label("Reason").fill("The station entrance is closed for works.")
    op.get_by_role("button", name="Cancel the event").click()
    op.get_by_text("The event is cancelled and everyone registered is being told.").wait_for()
    assert "Cancelled." in op.locator("main").inner_text()
    cancelled = smtp_server.wait_for(2)[1]
    assert cancelled["message"]["Subject"] == "Cancelled: Aldersgate street briefing"
    assert "The station entrance is closed for works." in cancelled["message"].get_content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_officer_writes_a_bulletin_in_markdown_previews_publishes_and_corrects_it(
    browser, live_server, ward, officer, viewport
):
    op = browser_page_for(browser, live_server, officer, viewport=viewport)
    op.goto("/accounts/staff/")
    op.get_by_role("link", name="Write a bulletin").click()
    op.get_by_label("Title", exact=True).fill("Bike marking on Saturday")
    op.get_by_label("Text").fill(
        "Bring your bike to the library.\nWe mark it for free.\n\nMore advice: www.met.police.uk/cycle"
    )
    assert op.get_by_role("group", name="Wards (optional)").count() == 1
    op.get_by_role("group", name="Topics (optional)").get_by_label("Cycle safety").check()
    op.get_by_role("button", name="Preview").click()
    op.locator("#preview").wait_for()
    preview = op.locator("#preview")
    assert preview.locator("p").count() == 2
    assert preview.get_by_role("link", name="www.met.police.uk/cycle").count() == 1
    assert not Bulletin.objects.exists()
    assert horizontal_overflow(op) == 0
    op.get_by_role("button", name="Publish and email subscribers").click()
    op.wait_for_url(re.compile(r"/engagement/bulletins/\d+/$"))
    body = op.locator(".bulletin-body")
    assert body.locator("p").count() == 2 and "We mark it for free." in body.locator("p").first.inner_text()
    assert body.get_by_role("link", name="www.met.police.uk/cycle").get_attribute("href") == (
        "http://www.met.police.uk/cycle"
    )
    bulletin = Bulletin.objects.get()
    assert list(bulletin.wards.all()) == [ward] and [t.slug for t in bulletin.topics.all()] == ["cycle-safety"]

    op.get_by_role("link", name="Change this bulletin").click()
    op.get_by_label("Text").fill("Bring your bike to the library on **Sunday**.")
    op.get_by_role("button", name="Save the changes").click()
    op.wait_for_url(f"**/engagement/bulletins/{bulletin.pk}/")
    assert op.locator(".bulletin-body strong").inner_text() == "Sunday"
    assert "Updated" in op.locator("main").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_resident_replying_to_a_bulletin_is_told_where_crimes_are_reported_and_the_reply_reaches_the_team(
    browser, live_server, ward, officer, resident, viewport
):
    from openward.engagement.models import Reply
    from openward.engagement.services import bulletins as bulletins_services

    bulletins_services.publish_bulletin(
        officer,
        bulletins_services.BulletinFields(title="Bike marking", body_markdown="On Saturday.", wards=[ward]),
        notify=False,
    )
    rp = browser_page_for(browser, live_server, resident, viewport=viewport)
    rp.goto("/engagement/bulletins/")
    rp.get_by_role("link", name="Bike marking").click()
    safety = rp.get_by_role("complementary", name="This is not the way to report a crime")
    assert safety.get_by_role("link", name="999").get_attribute("href") == "tel:999"
    assert safety.get_by_role("link", name="101").get_attribute("href") == "tel:101"
    assert safety.get_by_role("link", name="0800 555 111").get_attribute("href") == "tel:0800555111"
    assert "police.uk" in safety.get_by_role("link", name="report it online at police.uk").get_attribute("href")
    assert horizontal_overflow(rp) == 0
    rp.get_by_label("Your reply").fill("Is there another session planned?")
    rp.get_by_role("button", name="Send reply").click()
    rp.get_by_text("Your reply has gone to the team.").wait_for()
    assert Reply.objects.get().body == "Is there another session planned?"
