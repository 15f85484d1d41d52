"""A priority is agreed at a panel meeting: linked to it, and only to a real past panel meeting of the ward,
held on the day the priority was agreed."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from openward.engagement.models import Event
from openward.priorities import services
from openward.priorities.services import Refused
from tests.personas import sign_in

# Ten days after a Tuesday evening panel meeting.
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
MEETING_DAY = datetime(2026, 3, 10).date()


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def meeting(ward, *, kind=Event.Kind.WARD_PANEL, days_ago=10, **extra):
    return Event.objects.create(
        title=f"{ward.name} ward panel",
        kind=kind,
        ward=ward,
        starts_at=timezone.make_aware(datetime(2026, 3, 20, 19, 0)) - timedelta(days=days_ago),
        **extra,
    )


def agree(ward, panel_chair, held, agreed_on=MEETING_DAY):
    return services.set_priority(
        panel_chair,
        ward,
        statement="Fewer phone snatches",
        agreed_on=agreed_on,
        review_on=agreed_on + timedelta(days=182),
        meeting=held,
    )


def test_priority_links_to_the_panel_meeting_that_agreed_it(client, ward, panel_chair):
    held = meeting(ward)
    assert timezone.localdate(held.starts_at) == MEETING_DAY
    p = agree(ward, panel_chair, held)
    assert p.meeting == held and p.agreed_on == MEETING_DAY and list(held.priorities_agreed.all()) == [p]
    html = client.get(f"/priorities/{p.pk}/").content.decode()
    assert f'href="/engagement/events/{held.pk}/"' in html


@pytest.mark.parametrize(
    "make, agreed_on, reason",
    [
        (lambda ward, other: meeting(other), MEETING_DAY, "not a meeting for"),
        (lambda ward, other: meeting(ward, kind=Event.Kind.SURGERY), MEETING_DAY, "not a panel meeting"),
        (lambda ward, other: meeting(ward, days_ago=-5), MEETING_DAY + timedelta(days=15), "has not taken place"),
        (lambda ward, other: meeting(ward), MEETING_DAY - timedelta(days=330), "was held on 10 March 2026, not on"),
        (lambda ward, other: meeting(ward), MEETING_DAY + timedelta(days=1), "was held on 10 March 2026, not on"),
    ],
    ids=["another ward", "a surgery", "a future meeting", "11 months after agreeing", "the next day"],
)
def test_a_meeting_of_another_ward_a_surgery_a_future_meeting_or_another_day_is_refused(
    ward, other_ward, panel_chair, make, agreed_on, reason
):
    with pytest.raises(Refused, match=reason):
        agree(ward, panel_chair, make(ward, other_ward), agreed_on)
    assert not ward.priorities.exists()


def test_the_form_offers_only_the_wards_past_panel_meetings(client, ward, other_ward, panel_chair):
    mine, theirs, future = meeting(ward), meeting(other_ward), meeting(ward, days_ago=-3)
    sign_in(client, panel_chair)
    html = client.get(f"/priorities/ward/{ward.gss_code}/priorities/new/").content.decode()
    select = html.split('name="meeting"', 1)[1].split("</select>", 1)[0]
    assert f'value="{mine.pk}"' in select
    assert f'value="{theirs.pk}"' not in select and f'value="{future.pk}"' not in select
