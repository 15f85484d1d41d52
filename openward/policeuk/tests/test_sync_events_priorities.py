"""sync_policeuk's events and priorities, against a scripted stand-in: stored apart from Open Ward's own,
served with them by the police.uk endpoints and shown on the ward page as copies from police.uk; kept
in line with the source run after run; a bad answer refused naming the URL, that neighbourhood unchanged.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from openward.core.models import AuditEvent, ImportRun
from openward.core.values import Month
from openward.engagement.models import Event
from openward.policeuk.models import SyncedEvent, SyncedPriority
from openward.policeuk.services import sync_policeuk
from openward.policeuk.sync import fetch
from openward.policeuk.sync.client import Client
from openward.priorities.models import Priority
from openward.priorities.services import Refused, set_priority

from .standin import Answer, StandIn

LONDON = ZoneInfo("Europe/London")
MONTH = Month(2023, 1)
BAYSWATER, CHURCH_STREET = "E05013807", "E05013808"
PANEL = {
    "title": "Bayswater ward panel",
    "description": "<p>Agenda: <b>theft</b> &amp; ASB</p><script>alert(1)</script>",
    "address": "St Mary's Hall, W2",
    "type": "meeting",
    "start_date": "2026-12-03T18:30:00",
    "end_date": "2026-12-03T20:00:00",
    "contact_details": {"email": "bayswater@example.org", "telephone": 101},
}
STALL = {"title": "Bike marking", "description": None, "address": None, "type": "other",
         "start_date": "2026-11-25T10:00:00", "end_date": None, "contact_details": {}}  # fmt: skip
# The pinned clock is 18 November 2026, 10:30: this one is over; the week-long one is under way.
PAST = {**STALL, "title": "Last month's stall", "start_date": "2026-10-20T10:00:00"}
WEEK = {**STALL, "title": "Safer streets week", "start_date": "2026-11-16T09:00:00", "end_date": "2026-11-22T17:00:00"}
CHURCH = {**STALL, "title": "Church Street surgery", "start_date": "2026-12-01T11:00:00"}
SNATCHING = {"issue": "<p>Phone snatching on Queensway</p>", "issue-date": "2026-10-01T00:00:00",
             "action": "<p>Plain-clothes patrols.</p>", "action-date": "2026-11-01T00:00:00"}  # fmt: skip
CYCLES = {"issue": "<p>Cycle theft</p>", "issue-date": "2026-09-01T00:00:00", "action": None, "action-date": None}


def london(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


def policeuk(lists: dict[str, dict[str, list]]) -> dict[str, Answer]:
    """A police.uk with the Met's Bayswater and Church Street neighbourhoods, their events and priorities
    (`lists[code]["events"]`, `["priorities"]`), and no crime."""
    answers = {
        "forces": Answer(body=[{"id": "metropolitan", "name": "Metropolitan Police Service"}]),
        "forces/metropolitan": Answer(body={"id": "metropolitan", "name": "Metropolitan Police Service"}),
        "forces/metropolitan/people": Answer(body=[]),
        "metropolitan/neighbourhoods": Answer(body=[{"id": code, "name": code} for code in lists]),
        "crimes-no-location": Answer(body=[]),
        "stops-force": Answer(body=[]),
    }
    for code, found in lists.items():
        answers[f"metropolitan/{code}"] = Answer(body={"id": code, "name": code})
        answers[f"metropolitan/{code}/people"] = Answer(body=[])
        answers[f"metropolitan/{code}/boundary"] = Answer(body=[])
        for what in ("events", "priorities"):
            answers[f"metropolitan/{code}/{what}"] = Answer(body=found.get(what, []))
    return answers


FIRST = {BAYSWATER: {"events": [PANEL, STALL, PAST, WEEK], "priorities": [SNATCHING, CYCLES]},
         CHURCH_STREET: {"events": [CHURCH]}}  # fmt: skip


def run(standin: StandIn, **kwargs):
    client = Client(standin.api, timeout=2.0, backoff=0.01, retries=kwargs.pop("retries", 4))
    return sync_policeuk(client=client, forces=["metropolitan"], months=[MONTH], again=True, **kwargs)


def stored(model, code: str) -> list[tuple]:
    """Every field of a neighbourhood's synced rows, ids and times included, in police.uk's order."""
    return list(model.objects.filter(neighbourhood__code=code).order_by("position").values_list())


@pytest.fixture
def synced(place):
    with StandIn(policeuk(FIRST)) as standin:
        report = run(standin)
    assert report.refused == []
    return standin.api


def test_they_are_stored_as_listed_apart_from_open_wards_own(place, synced):
    rows = SyncedEvent.objects.filter(neighbourhood__code=BAYSWATER).order_by("position")
    assert [
        (e.title, e.description, e.address, e.type, e.starts_at, e.ends_at, e.contact_details, e.source_url)
        for e in rows
    ] == [
        ("Bayswater ward panel", PANEL["description"], "St Mary's Hall, W2", "meeting", london(2026, 12, 3, 18, 30),
         london(2026, 12, 3, 20), {"email": "bayswater@example.org", "telephone": "101"},
         f"{synced}metropolitan/{BAYSWATER}/events"),
        ("Bike marking", "", "", "other", london(2026, 11, 25, 10), None, {},
         f"{synced}metropolitan/{BAYSWATER}/events"),
        ("Last month's stall", "", "", "other", london(2026, 10, 20, 10), None, {},
         f"{synced}metropolitan/{BAYSWATER}/events"),
        ("Safer streets week", "", "", "other", london(2026, 11, 16, 9), london(2026, 11, 22, 17), {},
         f"{synced}metropolitan/{BAYSWATER}/events"),
    ]  # fmt: skip
    assert [
        (p.issue, p.issue_date, p.action, p.action_date, p.source_url)
        for p in SyncedPriority.objects.filter(neighbourhood__code=BAYSWATER).order_by("position")
    ] == [
        (SNATCHING["issue"], london(2026, 10, 1), SNATCHING["action"], london(2026, 11, 1),
         f"{synced}metropolitan/{BAYSWATER}/priorities"),
        ("<p>Cycle theft</p>", london(2026, 9, 1), "", None, f"{synced}metropolitan/{BAYSWATER}/priorities"),
    ]  # fmt: skip
    assert [e.title for e in SyncedEvent.objects.filter(neighbourhood__code=CHURCH_STREET)] == ["Church Street surgery"]
    assert not Event.objects.exists() and not Priority.objects.exists()
    run = ImportRun.objects.get(importer="police-uk-events-priorities")
    assert run.status == ImportRun.Status.COMMITTED and run.problems == []
    assert run.source == f"{synced} (metropolitan events and priorities)"
    assert {k: v for k, v in run.counts.items() if k.endswith("_added")} == {"events_added": 5, "priorities_added": 2}
    audited = AuditEvent.objects.get(action="policeuk.events_priorities_synced")
    assert (audited.target_type, audited.target_id) == ("areas.force", str(place.force.pk))
    assert audited.data["neighbourhoods"] == 2 and audited.data["events_added"] == 5


def test_the_policeuk_endpoints_serve_them_with_the_wards_own_as_police_uk_does(client, place, synced):
    Event.objects.create(
        ward=place.middle, title="Own surgery", kind=Event.Kind.SURGERY, starts_at=london(2026, 11, 30, 12)
    )
    Priority.objects.create(ward=place.middle, statement="Drug dealing", agreed_on=date(2026, 10, 1),
                            review_on=date(2027, 1, 1), slot=1, evidence="Reports.")  # fmt: skip
    events = client.get(f"/api/metropolitan/{BAYSWATER}/events").json()
    no_contact = {"contact_details": {}, "description": None, "address": None, "type": "other", "end_date": None}
    # Soonest first: the week under way (it ends on the 22nd), then the rest; not the one that is over.
    assert events == [
        {**no_contact, "title": "Safer streets week", "start_date": "2026-11-16T09:00:00",
         "end_date": "2026-11-22T17:00:00"},
        {**no_contact, "title": "Bike marking", "start_date": "2026-11-25T10:00:00"},
        {**no_contact, "title": "Own surgery", "type": "meeting", "start_date": "2026-11-30T12:00:00"},
        {"contact_details": {"email": "bayswater@example.org", "telephone": "101"}, "description": PANEL["description"],
         "title": "Bayswater ward panel", "address": "St Mary's Hall, W2", "type": "meeting",
         "start_date": "2026-12-03T18:30:00", "end_date": "2026-12-03T20:00:00"},
    ]  # fmt: skip
    priorities = client.get(f"/api/metropolitan/{BAYSWATER}/priorities").json()
    # Newest first; on the same day the ward's own before police.uk's.
    assert priorities == [
        {"issue": "<p>Drug dealing</p>", "issue-date": "2026-10-01T00:00:00", "action": None, "action-date": None},
        SNATCHING,
        CYCLES,
    ]
    assert client.get(f"/api/metropolitan/{CHURCH_STREET}/priorities").json() == []


def test_the_ward_page_shows_them_as_read_only_copies_from_policeuk(client, place, synced):
    html = client.get(f"/wards/{BAYSWATER}/").content.decode()
    events = html.split('id="policeuk-events"', 1)[1].split("</section>", 1)[0]
    priorities = html.split('id="policeuk-priorities"', 1)[1].split("</section>", 1)[0]
    source = f"{synced}metropolitan/{BAYSWATER}/events"
    read = timezone.localtime(SyncedEvent.objects.get(title="Bike marking").synced_at)
    assert f'last read {read:%-d %B %Y, %H:%M} from <a href="{source}">{source}</a>' in events
    assert "they are shown here as published and cannot be changed here" in events
    assert events.count('<span class="tag">From police.uk</span>') == 3  # not the one that is over
    assert "<strong>Bayswater ward panel</strong>" in events and "Last month" not in events
    # police.uk's HTML shown as its words: no markup of theirs, no script.
    assert "Agenda: theft &amp; ASB" in events and "<b>" not in events and "alert(1)" not in events
    assert "Thursday 3 December 2026, 18:30 to Thursday 3 December 2026, 20:00" in events
    assert "/engagement/" not in events and "<form" not in events  # nothing to edit, cancel or book
    assert "Phone snatching on Queensway" in priorities and "Agreed 1 October 2026." in priorities
    assert "Latest action (1 November 2026): Plain-clothes patrols." in priorities
    assert "Cycle theft" in priorities and "No action published yet." in priorities
    # A ward whose neighbourhood police.uk lists nothing for has neither section.
    assert 'id="policeuk-' not in client.get("/wards/E05013806/").content.decode()


def not_loaded_box(html: str) -> str:
    return html.split('id="not-loaded"', 1)[1].split("</div>", 1)[0] if 'id="not-loaded"' in html else ""


def meetings_section(html: str) -> str:
    return html.split('id="engagement-heading"', 1)[1].split("</section>", 1)[0]


def test_with_synced_events_the_ward_page_does_not_say_there_are_no_meetings(client, place, synced):
    """Bayswater has three police.uk events still to come and none of Open Ward's own: the page says which
    are which, and nowhere that the ward has no meetings."""
    html = client.get(f"/wards/{BAYSWATER}/").content.decode()
    gaps = not_loaded_box(html)
    assert "Meetings: none are published" not in html
    assert "Meetings on Open Ward: the neighbourhood team and the ward panel have not published any here yet." in gaps
    said = "police.uk lists 3 events for this ward: they are shown below under “Events listed on police.uk”"
    assert said in gaps
    own = meetings_section(html)
    none_here = "The neighbourhood team and the ward panel have not published any meetings or events on Open Ward yet."
    assert none_here in own
    assert said in own and "No events planned" not in own
    events = html.split('id="policeuk-events"', 1)[1].split("</section>", 1)[0]
    assert "These come from police.uk, not from Open Ward." in events
    # Church Street has one police.uk event: said in the singular.
    church = client.get(f"/wards/{CHURCH_STREET}/").content.decode()
    assert "police.uk lists an event for this ward: it is shown below" in not_loaded_box(church)


def test_with_both_the_page_lists_open_wards_own_apart_and_no_meetings_gap(client, place, synced):
    Event.objects.create(
        ward=place.middle, title="Own surgery", kind=Event.Kind.SURGERY, starts_at=london(2026, 11, 30, 12)
    )
    html = client.get(f"/wards/{BAYSWATER}/").content.decode()
    assert "Meetings" not in not_loaded_box(html) and "police.uk lists" not in not_loaded_box(html)
    own = meetings_section(html)
    assert "Published on Open Ward by the neighbourhood team and the ward panel:" in own
    assert "Own surgery" in own and "Bike marking" not in own
    events = html.split('id="policeuk-events"', 1)[1].split("</section>", 1)[0]
    assert "Bike marking" in events and "Own surgery" not in events


def test_without_any_events_the_page_says_plainly_there_are_none_yet(client, place, synced):
    html = client.get("/wards/E05013806/").content.decode()
    assert "Meetings: none are published for this ward yet." in not_loaded_box(html)
    assert "police.uk lists" not in html and 'id="policeuk-events"' not in html


def test_a_panels_three_open_priorities_do_not_count_police_uks(place, synced):
    SyncedPriority.objects.bulk_create(
        SyncedPriority(neighbourhood=place.neighbourhood, position=9 + n, issue=f"<p>{n}</p>",
                       issue_date=london(2026, 8, n), source_url=synced, synced_at=london(2026, 11, 18))
        for n in (1, 2)
    )  # fmt: skip
    assert SyncedPriority.objects.for_ward(place.middle).count() == 4
    for n in range(3):
        set_priority(None, place.middle, statement=f"Own {n}", agreed_on=date(2026, 11, 1), review_on=date(2027, 2, 1))
    with pytest.raises(Refused, match="already has 3 open priorities"):
        set_priority(None, place.middle, statement="A fourth", agreed_on=date(2026, 11, 1), review_on=date(2027, 2, 1))
    assert Priority.objects.for_ward(place.middle).open().count() == 3


def test_each_run_adds_updates_and_removes_to_match_the_source_for_each_neighbourhood(place, synced):
    panel_id = SyncedEvent.objects.get(title="Bayswater ward panel").pk
    church_before = stored(SyncedEvent, CHURCH_STREET)
    moved = {**PANEL, "description": "<p>Now with a talk on bike theft.</p>"}
    new = {**STALL, "title": "Coffee with a cop", "start_date": "2026-12-10T09:00:00"}
    acted = {**SNATCHING, "action": "<p>Two arrests.</p>", "action-date": "2026-11-15T00:00:00"}
    now = {BAYSWATER: {"events": [new, moved, PAST, WEEK], "priorities": [acted]}, CHURCH_STREET: {"events": [CHURCH]}}
    with StandIn(policeuk(now)) as standin:
        assert run(standin).refused == []
        rows = SyncedEvent.objects.filter(neighbourhood__code=BAYSWATER).order_by("position")
        assert [e.title for e in rows] == ["Coffee with a cop", "Bayswater ward panel", "Last month's stall",
                                          "Safer streets week"]  # fmt: skip
        panel = SyncedEvent.objects.get(title="Bayswater ward panel")
        assert (panel.pk, panel.description) == (panel_id, "<p>Now with a talk on bike theft.</p>")  # in place
        assert [(p.issue, p.action) for p in SyncedPriority.objects.all()] == [(SNATCHING["issue"], acted["action"])]
        # Church Street's event is the same row, read again: only where and when it was read move on (the
        # last two fields).
        assert [r[:-2] for r in stored(SyncedEvent, CHURCH_STREET)] == [r[:-2] for r in church_before]
        counts = ImportRun.objects.filter(importer="police-uk-events-priorities").first().counts
        assert counts == {
            "neighbourhoods_read": 2,
            "events_added": 1, "events_updated": 1, "events_unchanged": 3, "events_removed": 1,
            "priorities_added": 0, "priorities_updated": 1, "priorities_unchanged": 0, "priorities_removed": 1,
        }  # fmt: skip

        # The same answers again: nothing changes but when each was last read.
        before = [stored(model, code) for model in (SyncedEvent, SyncedPriority) for code in (BAYSWATER, CHURCH_STREET)]
        run(standin)
        counts = ImportRun.objects.filter(importer="police-uk-events-priorities").first().counts
        assert {k: v for k, v in counts.items() if v} == {
            "neighbourhoods_read": 2, "events_unchanged": 5, "priorities_unchanged": 1
        }  # fmt: skip
        after = [stored(model, code) for model in (SyncedEvent, SyncedPriority) for code in (BAYSWATER, CHURCH_STREET)]
        assert [[r[:-1] for r in rows] for rows in after] == [[r[:-1] for r in rows] for rows in before]
        assert after != before  # synced_at, the last field, did move on


EVENTS, PRIORITIES = f"metropolitan/{BAYSWATER}/events", f"metropolitan/{BAYSWATER}/priorities"


@pytest.mark.parametrize(
    ("path", "answer", "said"),
    [
        (EVENTS, Answer(200, "<!DOCTYPE html><html><body>Maintenance</body></html>"), "answered with an HTML page"),
        (EVENTS, Answer(200, '[{"title": "Bayswater ward panel", "start_'), "JSON cut short or damaged"),
        (PRIORITIES, Answer(200, {"priorities": []}), "a JSON dict where police.uk gives a list"),
        (EVENTS, Answer(404, {"detail": "not here"}), "answered 404"),
        (EVENTS, Answer(503, {"detail": "busy"}), "answered 503 Service Unavailable, 2 times"),
        (EVENTS, Answer(200, [PANEL, "a string"]), "item 2: this is a JSON str, not an event"),
        (EVENTS, Answer(200, [{**PANEL, "title": " "}]), 'item 1: the event has no "title"'),
        (
            EVENTS,
            Answer(200, [{**PANEL, "start_date": "next Tuesday"}]),
            'item 1: its "start_date" is "next Tuesday", not a date and time like 2026-12-20T18:30:00',
        ),
        (EVENTS, Answer(200, [{**PANEL, "contact_details": ["101"]}]), 'its "contact_details" are not a set'),
        (PRIORITIES, Answer(200, [SNATCHING, {**CYCLES, "issue-date": None}]), 'item 2: its "issue-date" is null'),
        (PRIORITIES, Answer(200, [{**CYCLES, "issue": ["<p>Cycle theft</p>"]}]), 'item 1: its "issue" is not text'),
    ],  # fmt: skip
    ids=[
        "html",
        "cut-json",
        "dict-not-list",
        "404",
        "lasting-503",
        "not-an-object",
        "no-title",
        "bad-date",
        "bad-contact",
        "no-issue-date",
        "issue-not-text",
    ],  # fmt: skip
)
def test_a_bad_answer_is_refused_naming_the_url_and_that_neighbourhood_is_left_as_it_was(
    place, synced, path, answer, said
):
    kept = stored(SyncedEvent, BAYSWATER) + stored(SyncedPriority, BAYSWATER)
    answers = policeuk({BAYSWATER: FIRST[BAYSWATER], CHURCH_STREET: {"events": [{**CHURCH, "title": "Moved"}]}})
    answers[path] = answer
    with StandIn(answers) as standin:
        report = run(standin, retries=1)
    assert len(report.refused) == 1
    assert f"{standin.api}{path}" in report.refused[0] and said in report.refused[0]
    assert stored(SyncedEvent, BAYSWATER) + stored(SyncedPriority, BAYSWATER) == kept
    # The other neighbourhood, and the months, are synced all the same.
    assert [e.title for e in SyncedEvent.objects.filter(neighbourhood__code=CHURCH_STREET)] == ["Moved"]
    assert report.empty == ["metropolitan 2023-01"]
    latest = ImportRun.objects.filter(importer="police-uk-events-priorities").first()
    assert latest.status == ImportRun.Status.COMMITTED
    assert [f"{p['where']}: {p['message']}" for p in latest.problems] == report.refused


def test_the_command_says_what_was_refused_and_fails_after_syncing_the_rest(place, synced):
    answers = policeuk({BAYSWATER: FIRST[BAYSWATER], CHURCH_STREET: {"events": [{**CHURCH, "title": "Moved"}]}})
    answers[PRIORITIES] = Answer(200, "<html>Sorry</html>")
    out = io.StringIO()
    with StandIn(answers) as standin:
        with pytest.raises(CommandError) as refused:
            call_command("sync_policeuk", "--base-url", standin.api, "--force", "metropolitan", "--month", "2023-01",
                         stdout=out)  # fmt: skip
    message = str(refused.value)
    assert message.startswith("The source's events or priorities were refused for some neighbourhoods")
    assert f"metropolitan neighbourhood {BAYSWATER}: {standin.api}{PRIORITIES} answered with an HTML page" in message
    assert "metropolitan: events and priorities of 1 of 2 neighbourhoods: events 1 added" in out.getvalue()
    assert "Done: 0 force-months imported, 0 already stored, 1 with no data" in out.getvalue()
    assert [e.title for e in SyncedEvent.objects.filter(neighbourhood__code=CHURCH_STREET)] == ["Moved"]


def test_when_every_neighbourhood_is_refused_nothing_changes_and_the_months_still_sync(place, synced):
    answers = policeuk(FIRST)
    answers[EVENTS] = answers[f"metropolitan/{CHURCH_STREET}/events"] = Answer(200, {"events": []})
    kept = list(SyncedEvent.objects.values_list()) + list(SyncedPriority.objects.values_list())
    with StandIn(answers) as standin:
        report = run(standin)
        assert standin.seen["stops-force"] == 1
    assert len(report.refused) == 3  # the two refusals, then "nothing in it can be imported"
    assert list(SyncedEvent.objects.values_list()) + list(SyncedPriority.objects.values_list()) == kept
    failed = ImportRun.objects.filter(importer="police-uk-events-priorities").first()
    assert failed.status == ImportRun.Status.FAILED and failed.source.endswith("(metropolitan events and priorities)")


def test_after_five_refusals_in_a_row_the_rest_are_not_asked(db):
    from openward.areas.importers.forces import ForceImporter

    ForceImporter(commit=True).run()
    codes = [f"SY{n}" for n in range(1, 8)]
    answers = {
        "forces": Answer(body=[{"id": "surrey", "name": "Surrey Police"}]),
        "forces/surrey": Answer(body={"id": "surrey", "name": "Surrey Police"}),
        "forces/surrey/people": Answer(body=[]),
        "surrey/neighbourhoods": Answer(body=[{"id": c, "name": c} for c in codes]),
        **{f"surrey/{c}{part}": Answer(body={"id": c, "name": c} if not part else []) for c in codes
           for part in ("", "/people", "/boundary")},
        "surrey/SY1/events": Answer(body=[]),  # SY1 answers; SY2 to SY6 have no events address (404)
        "surrey/SY1/priorities": Answer(body=[]),
        "crimes-no-location": Answer(body=[]),
        "stops-force": Answer(body=[]),
    }  # fmt: skip
    with StandIn(answers) as standin:
        report = sync_policeuk(client=Client(standin.api, backoff=0.01), forces=["surrey"], months=[MONTH])
        assert [standin.seen[f"surrey/{c}/events"] for c in codes] == [1, 1, 1, 1, 1, 1, 0]
    assert len(report.refused) == 6
    assert "surrey neighbourhood SY7: not asked: the source refused the 5 neighbourhoods before it" in report.refused[5]
    assert fetch.GIVE_UP_AFTER == 5


def test_a_file_made_by_hand_is_checked_the_same_way_and_names_where_each_problem_is(place, tmp_path):
    import json

    from openward.core.importers.base import ImportFailed
    from openward.policeuk.importers import PoliceUkEventsPrioritiesImporter

    path = tmp_path / "listed.json"
    church = {"id": CHURCH_STREET, "events": [CHURCH], "priorities": []}
    path.write_text(json.dumps({"force": "metropolitan", "neighbourhoods": [
        {"id": "NOPE", "events": [], "priorities": []},
        {"id": BAYSWATER, "events": [PANEL], "priorities": "none"},
        church,
    ]}))  # fmt: skip
    PoliceUkEventsPrioritiesImporter(path).run()  # a dry run
    assert not SyncedEvent.objects.exists()
    run = PoliceUkEventsPrioritiesImporter(path, commit=True).run()
    assert [f"{p['where']}: {p['message']}" for p in run.problems] == [
        f"{path}, neighbourhood 1 (NOPE): Metropolitan Police Service has no such neighbourhood here; import its "
        "team first.",
        f'{path}, neighbourhood 2 ({BAYSWATER}): "priorities" is not a list; nothing was changed for the '
        f"neighbourhood {BAYSWATER}.",
    ]
    assert [(e.neighbourhood.code, e.title, e.source_url) for e in SyncedEvent.objects.all()] == [
        (CHURCH_STREET, "Church Street surgery", str(path))
    ]
    path.write_text(json.dumps({"force": "kent", "neighbourhoods": [church]}))
    with pytest.raises(ImportFailed, match='there is no force "kent" here'):
        PoliceUkEventsPrioritiesImporter(path, commit=True).run()
