"""A priority is agreed at a panel meeting: linked to it, and only to a real past panel meeting of the ward."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from openward.engagement.models import Event
from openward.priorities import services
from openward.priorities.services import Refused

from .conftest import sign_in


def meeting(ward, *, kind=Event.Kind.WARD_PANEL, days_ago=10, **extra):
    return Event.objects.create(
        title=f"{ward.name} ward panel",
        kind=kind,
        ward=ward,
        starts_at=timezone.now() - timedelta(days=days_ago),
        **extra,
    )


def test_priority_links_to_the_panel_meeting_that_agreed_it(client, ward, panel_chair):
    held = meeting(ward)
    p = services.set_priority(
        panel_chair,
        ward,
        statement="Fewer phone snatches",
        agreed_on=date(2026, 1, 1),
        review_on=date(2026, 6, 1),
        meeting=held,
    )
    assert p.meeting == held and list(held.priorities_agreed.all()) == [p]
    html = client.get(f"/priorities/{p.pk}/").content.decode()
    assert f'href="/engagement/events/{held.pk}/"' in html


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda ward, other: meeting(other), "not a meeting for"),
        (lambda ward, other: meeting(ward, kind=Event.Kind.SURGERY), "not a panel meeting"),
        (lambda ward, other: meeting(ward, days_ago=-5), "has not taken place"),
    ],
)
def test_a_meeting_of_another_ward_a_surgery_or_a_future_meeting_is_refused(
    ward, other_ward, panel_chair, make, reason
):
    with pytest.raises(Refused, match=reason):
        services.set_priority(
            panel_chair,
            ward,
            statement="x",
            agreed_on=date(2026, 1, 1),
            review_on=date(2026, 6, 1),
            meeting=make(ward, other_ward),
        )
    assert not ward.priorities.exists()


def test_the_form_offers_only_the_wards_past_panel_meetings(client, ward, other_ward, panel_chair):
    mine, theirs, future = meeting(ward), meeting(other_ward), meeting(ward, days_ago=-3)
    sign_in(client, panel_chair)
    html = client.get(f"/priorities/ward/{ward.gss_code}/priorities/new/").content.decode()
    select = html.split('name="meeting"', 1)[1].split("</select>", 1)[0]
    assert f'value="{mine.pk}"' in select
    assert f'value="{theirs.pk}"' not in select and f'value="{future.pk}"' not in select
