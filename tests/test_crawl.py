"""A crawl of every page as each kind of person, in headless Chromium, with axe-core.

VISITS names, for every named URL pattern, the URLs the crawl opens (filled from tests/crawl_world.py, which
puts something behind each: events, records, bulletins, replies, volunteering, a patrol plan, commitments,
a monitoring sample, letters and the links people are emailed); NOT_VISITED names the patterns it leaves
out and why. A test checks that between them they hold every named pattern, so a new page joins the crawl
or says why not.

The crawl visits them as someone not signed in, a verified resident, a neighbourhood officer, a ward panel
chair, a sergeant, a borough lead, a monitoring group member and a site administrator (staff with two-factor
passed): each opens the pages its roles may open (tests/test_authorisation_matrix.py checks the refusals)
and, signed in, a sample of public pages that show more to some people. No visit may be a server error;
every URL must open for at least one of them; a download must answer with its content type; each HTML page
that opens must not scroll sideways at 390 or 320 px, and axe-core (tests/vendor/axe-core, injected by the
test, never served) must find no serious or critical violation. A page served byte for byte as an earlier
persona saw it (CSRF tokens aside) is not checked again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from openward.core import access
from tests.personas import serious_axe_violations

WIDTHS = (390, 320)
PAGE = "text/html"
CSV = "text/csv"
JSON = "application/json"
GEOJSON = "application/geo+json"
ICS = "text/calendar"
RSS = "application/rss+xml"
ATOM = "application/atom+xml"
PDF = "application/pdf"
PNG = "image/png"

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')

# Django's admin is crawled too and held to the same rules: its breadcrumbs are underlined (openward/admin.css),
# date-and-time fields are one labelled box (core.admin_audit), and no admin uses filter_horizontal (its search
# icon carries an aria-label it may not have). At 390 and 320 px its pages don't scroll sideways (wide lists
# scroll inside their box).


@dataclass(frozen=True)
class Visit:
    url: str
    kind: str = PAGE  # the content type it must answer with
    status: int = 200  # what it answers whoever may see it (a broken link's page: 400 or 404)


def visits(v: Mapping) -> dict[str, list[Visit]]:
    """Every crawled URL pattern's name and the URLs opened for it, filled from the world's values `v`."""
    ward, borough, cluster, force = v["ward"], v["borough"], v["cluster"], v["force"]
    poly = "51.5015,-0.0185:51.5085,-0.0185:51.5085,-0.0115:51.5015,-0.0115"
    hot = "from=2025-10&to=2026-09"
    return {
        # Areas
        "areas:home": [Visit("/"), Visit("/?postcode=ZZ99+9ZZ")],  # an unknown postcode: the form says so
        "areas:ward": [Visit(f"/wards/{ward}/")],
        "areas:boroughs": [Visit("/boroughs/")],
        "areas:borough": [Visit(f"/boroughs/{borough}/")],
        "areas:cluster": [Visit(f"/clusters/{cluster}/")],
        "census:area": [Visit("/census/lsoa/E01000003/"), Visit("/census/lsoa/E01999999/", status=404)],
        # Crime, hot spots, stop and search, demand
        "crime:ward": [
            Visit(f"/crime/wards/{ward}/"),
            Visit(f"/crime/wards/{ward}/?force={force}"),
            Visit(f"/crime/wards/{ward}/?format=csv", CSV),
            Visit(f"/crime/wards/{ward}/?format=geojson", GEOJSON),
            Visit(f"/crime/wards/{v['ward_b']}/"),  # a ward with no crime data loaded
        ],
        "crime:borough": [Visit(f"/crime/boroughs/{borough}/"), Visit(f"/crime/boroughs/{borough}/?format=csv", CSV)],
        "crime:cluster": [
            Visit(f"/crime/clusters/{cluster}/"),
            Visit(f"/crime/clusters/{cluster}/?format=geojson", GEOJSON),
        ],
        "crime:force": [Visit(f"/crime/forces/{force}/"), Visit(f"/crime/forces/{force}/?format=csv", CSV)],
        "crime:area": [
            Visit("/crime/area/"),
            Visit(f"/crime/area/?poly={poly}"),
            Visit(f"/crime/area/?poly={poly}&format=geojson", GEOJSON),
            Visit("/crime/area/?poly=1,2", status=400),
            Visit(f"/crime/area/?postcode={v['postcode']}&radius=500"),
            Visit("/crime/area/?postcode=ZZ99+9ZZ&radius=500", status=400),  # the form names the problem
        ],
        "crime:hotspots-ward": [
            Visit(f"/crime/hotspots/wards/{ward}/"),
            Visit(f"/crime/hotspots/wards/{ward}/?{hot}"),
            Visit(f"/crime/hotspots/wards/{ward}/?format=csv", CSV),
            Visit(f"/crime/hotspots/wards/{ward}/?format=geojson", GEOJSON),
        ],
        "crime:hotspots-borough": [Visit(f"/crime/hotspots/boroughs/{borough}/")],
        "crime:hotspots-cluster": [Visit(f"/crime/hotspots/clusters/{cluster}/")],
        "crime:hotspots-force": [Visit(f"/crime/hotspots/forces/{force}/")],
        "crime:hotspots-area": [Visit(f"/crime/hotspots/area/?poly={poly}")],
        "crime:stop-search-ward": [
            Visit(f"/crime/stop-search/wards/{ward}/"),
            Visit(f"/crime/stop-search/wards/{ward}/?format=csv", CSV),
        ],
        "crime:stop-search-borough": [Visit(f"/crime/stop-search/boroughs/{borough}/")],
        "crime:stop-search-force": [Visit(f"/crime/stop-search/forces/{force}/")],
        "crime:demand-borough": [Visit(f"/crime/demand/boroughs/{borough}/")],
        # Accounts
        "accounts:sign-up": [Visit("/accounts/sign-up/")],
        "accounts:sign-in": [Visit("/accounts/sign-in/")],
        "accounts:check-email": [Visit("/accounts/check-your-email/")],
        "accounts:link": [
            Visit(f"/accounts/link/{v['sign_in_link']}/"),
            Visit(f"/accounts/link/{v['confirm_link']}/"),
            Visit("/accounts/link/not-a-real-link/", status=400),
        ],
        "accounts:profile": [Visit("/accounts/profile/")],
        "accounts:staff-home": [Visit("/accounts/staff/")],
        "accounts:my-data": [Visit("/accounts/my-data.json", JSON)],
        "accounts:delete": [Visit("/accounts/delete/")],
        "accounts:two-factor": [Visit("/accounts/two-factor/")],
        "accounts:roles": [Visit("/accounts/roles/")],
        "accounts:roles-everywhere": [Visit("/accounts/roles/everywhere/")],
        "accounts:roles-borough": [Visit(f"/accounts/roles/{borough}/")],
        "accounts:audit-log": [Visit("/accounts/audit/")],
        "accounts:demo": [Visit("/accounts/demo/")],
        # Verification
        "verification:wards": [Visit("/verify/")],
        "verification:join": [Visit("/verify/add/")],
        "verification:letter": [
            Visit(f"/verify/wards/{v['work_membership']}/letter/"),
            Visit(f"/verify/wards/{v['home_membership']}/letter/"),
        ],
        "verification:code": [Visit("/verify/code/")],
        "verification:in-person": [Visit(f"/verify/staff/wards/{ward}/in-person/")],
        "verification:review": [Visit(f"/verify/staff/wards/{ward}/review/")],
        "verification:letters": [Visit(f"/verify/staff/boroughs/{borough}/letters/")],
        "verification:letters-pdf": [Visit(f"/verify/staff/boroughs/{borough}/letters/{v['batch']}.pdf", PDF)],
        # Engagement: events and meeting records
        "engagement:events": [Visit("/engagement/events/"), Visit(f"/engagement/events/?ward={ward}")],
        "engagement:event": [
            Visit(f"/engagement/events/{v['event']}/"),
            Visit(f"/engagement/events/{v['held_event']}/"),
        ],
        "engagement:event-edit": [Visit(f"/engagement/events/{v['event']}/edit/")],
        "engagement:record-edit": [
            Visit(f"/engagement/events/{v['held_event']}/record/"),
            Visit(f"/engagement/events/{v['event']}/record/"),  # not held yet: says so before any typing
        ],
        "engagement:event-new": [
            Visit(f"/engagement/places/ward/{ward}/events/new/"),
            Visit(f"/engagement/places/cluster/{cluster}/events/new/"),
        ],
        "engagement:area-records": [
            Visit(f"/engagement/places/ward/{ward}/records/"),
            Visit(f"/engagement/places/borough/{borough}/records/"),
        ],
        "engagement:area-export": [
            Visit(f"/engagement/places/ward/{ward}/records.csv", CSV),
            Visit(f"/engagement/places/ward/{ward}/records.json", JSON),
        ],
        "engagement:ward-calendar": [Visit(f"/engagement/wards/{ward}/calendar.ics", ICS)],
        "engagement:personal-calendar": [Visit(f"/engagement/calendar/{v['calendar_token']}.ics", ICS)],
        "engagement:offer": [
            Visit(f"/engagement/offers/{v['offer_token']}/"),
            Visit("/engagement/offers/not-an-offer/", status=404),
        ],
        "engagement:mine": [Visit("/engagement/mine/")],
        "engagement:record": [Visit(f"/engagement/records/{v['record']}/")],
        # Engagement: bulletins, replies, volunteering
        "engagement:bulletins": [Visit("/engagement/bulletins/"), Visit(f"/engagement/bulletins/?ward={ward}")],
        "engagement:bulletin-new": [Visit("/engagement/bulletins/new/")],
        "engagement:bulletins-rss": [Visit("/engagement/bulletins/feed.rss", RSS)],
        "engagement:bulletins-atom": [Visit("/engagement/bulletins/feed.atom", ATOM)],
        "engagement:ward-bulletins-rss": [Visit(f"/engagement/wards/{ward}/bulletins.rss", RSS)],
        "engagement:ward-bulletins-atom": [Visit(f"/engagement/wards/{ward}/bulletins.atom", ATOM)],
        "engagement:bulletin": [Visit(f"/engagement/bulletins/{v['bulletin']}/")],
        "engagement:bulletin-edit": [Visit(f"/engagement/bulletins/{v['bulletin']}/edit/")],
        "engagement:bulletin-image": [Visit(f"/engagement/bulletins/images/{v['image']}/", PNG)],
        "engagement:reply-by-link": [
            Visit(f"/engagement/replies/{v['reply_token']}/"),
            Visit("/engagement/replies/not-a-link/", status=400),
        ],
        "engagement:inbox": [Visit("/engagement/inbox/"), Visit("/engagement/inbox/?show=all")],
        "engagement:inbox-reply": [Visit(f"/engagement/inbox/{v['reply']}/")],
        "engagement:volunteering": [Visit("/engagement/volunteering/")],
        "engagement:volunteer-task": [
            Visit(f"/engagement/volunteering/{v['task']}/"),
            Visit(f"/engagement/volunteering/{v['done_task']}/"),
        ],
        "engagement:volunteer-task-new": [Visit(f"/engagement/places/ward/{ward}/volunteering/new/")],
        # Notifications
        "notifications:subscribe": [
            Visit("/notifications/subscribe/"),
            Visit(f"/notifications/subscribe/?ward={ward}"),
        ],
        "notifications:preferences": [Visit("/notifications/preferences/")],
        "notifications:preferences-by-link": [
            Visit(f"/notifications/preferences/{v['unsubscribe_token']}/"),
            Visit("/notifications/preferences/not-a-link/", status=400),
        ],
        "notifications:unsubscribe": [Visit(f"/notifications/unsubscribe/{v['unsubscribe_token']}/")],
        # Priorities
        "priorities:ward": [Visit(f"/priorities/ward/{ward}/")],
        "priorities:consultation-new-ward": [Visit(f"/priorities/ward/{ward}/consultations/new/")],
        "priorities:priority-new": [
            Visit(f"/priorities/ward/{ward}/priorities/new/"),
            Visit(f"/priorities/ward/{ward}/priorities/new/?consultation={v['consultation']}"),
        ],
        "priorities:cluster": [Visit(f"/priorities/cluster/{cluster}/")],
        "priorities:consultation-new-cluster": [Visit(f"/priorities/cluster/{cluster}/consultations/new/")],
        "priorities:borough": [Visit(f"/priorities/borough/{borough}/")],
        "priorities:consultation": [
            Visit(f"/priorities/consultations/{v['consultation']}/"),
            Visit(f"/priorities/consultations/{v['open_consultation']}/"),
        ],
        "priorities:vote": [Visit(f"/priorities/consultations/{v['open_consultation']}/vote/")],
        "priorities:consultation-csv": [Visit(f"/priorities/consultations/{v['consultation']}/results.csv", CSV)],
        "priorities:priority": [Visit(f"/priorities/{v['priority']}/")],
        "priorities:action-new": [Visit(f"/priorities/{v['priority']}/actions/new/")],
        "priorities:review": [Visit(f"/priorities/{v['priority']}/review/")],
        # Patrols
        "patrols:plan-new-ward": [Visit(f"/patrols/ward/{ward}/new/")],
        "patrols:plan-new-cluster": [Visit(f"/patrols/cluster/{cluster}/new/")],
        "patrols:plan": [Visit(f"/patrols/{v['plan']}/")],
        "patrols:visit-new": [Visit(f"/patrols/{v['plan']}/visits/new/")],
        # Commitments and monitoring
        "commitments:list": [Visit("/commitments/")],
        "commitments:claim-check": [
            Visit("/commitments/claim-check/"),
            Visit("/commitments/claim-check/?claim=Burglary+in+Northbury+is+down+6.3%25"),
        ],
        "commitments:detail": [Visit(f"/commitments/{v['commitment']}/")],
        "commitments:new": [Visit(f"/commitments/boroughs/{borough}/new/")],
        "commitments:review": [Visit(f"/commitments/boroughs/{borough}/{v['commitment']}/review/")],
        "monitoring:public": [Visit(f"/monitoring/boroughs/{borough}/")],
        "monitoring:work": [Visit(f"/monitoring/boroughs/{borough}/work/")],
        "monitoring:sample": [Visit(f"/monitoring/boroughs/{borough}/samples/{v['sample']}/")],
        "monitoring:sample-csv": [Visit(f"/monitoring/boroughs/{borough}/samples/{v['sample']}/stops.csv", CSV)],
        "monitoring:members": [Visit(f"/monitoring/boroughs/{borough}/members/")],
        "monitoring:meetings": [Visit(f"/monitoring/boroughs/{borough}/meetings/")],
        "monitoring:meeting": [Visit(f"/monitoring/boroughs/{borough}/meetings/{v['group_meeting']}/")],
        "commitments:evidence": [Visit(f"/commitments/evidence/{v['evidence']}/", PDF)],
        # The API's own pages (its operations are fuzzed against the schema by `make fuzz-api`)
        "api:openapi-view": [Visit("/api/docs")],
        "api:openapi-json": [Visit("/api/openapi.json", JSON)],
    } | admin_visits(v.get("admin_rows") or {})


def admin_visits(rows: Mapping[str, int]) -> dict[str, list[Visit]]:
    """Django's admin: its index, each app's list, and for each registered model its list, its add page (where
    the admin lets anyone add one) and the change page of one row (`rows`: "app_model" -> pk)."""
    from types import SimpleNamespace

    from django.contrib import admin

    superuser = SimpleNamespace(user=SimpleNamespace(is_active=True, is_superuser=True, has_perm=lambda *a: True))
    found: dict[str, list[Visit]] = {"admin:index": [Visit("/admin/")], "admin:app_list": []}
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        app, name = model._meta.app_label, model._meta.model_name
        if Visit(f"/admin/{app}/") not in found["admin:app_list"]:
            found["admin:app_list"].append(Visit(f"/admin/{app}/"))
        # Named as the URL resolves: an admin may route its list to a view of its own (django_rq's dashboard).
        urls = [f"/admin/{app}/{name}/"]
        if model_admin.has_add_permission(superuser):
            urls.append(f"/admin/{app}/{name}/add/")
        if f"{app}_{name}" in rows:
            urls.append(f"/admin/{app}/{name}/{rows[f'{app}_{name}']}/change/")
        for url in urls:
            found.setdefault(resolve(url).view_name, []).append(Visit(url))
    return found


# The named patterns the crawl does not open, and why. A POST-only action's form is on a page crawled above.
POST_ONLY = "POST only (405 to a GET); its form is on a page the crawl opens"
NOT_VISITED = {
    "accounts:sign-out": "POST only; signing out would also end the persona's session",
    "accounts:consents": POST_ONLY,
    "accounts:create-token": POST_ONLY,
    "accounts:revoke-token": POST_ONLY,
    "accounts:revoke-role": POST_ONLY,
    "verification:leave": POST_ONLY,
    "verification:reference": POST_ONLY,
    "verification:letters-posted": POST_ONLY,
    "engagement:register": POST_ONLY,
    "engagement:cancel-registration": POST_ONLY,
    "engagement:event-cancel": POST_ONLY,
    "engagement:event-reply": POST_ONLY,
    "engagement:topic-add": POST_ONLY,
    "engagement:action-add": POST_ONLY,
    "engagement:action-update": POST_ONLY,
    "engagement:bulletin-reply": POST_ONLY,
    "engagement:volunteer-sign-up": POST_ONLY,
    "engagement:volunteer-withdraw": POST_ONLY,
    "engagement:volunteer-report": POST_ONLY,
    "priorities:consultation-close": POST_ONLY,
    "patrols:cite": POST_ONLY,
}
# Whole namespaces not required here: the API's operations, which answer JSON to programs and are fuzzed against
# the OpenAPI schema by `make fuzz-api`; and Django's admin, which the crawl samples (admin_visits: its index, each
# app, each model's list and add page and one row's change page, as the staff superuser) but whose other patterns
# (history, delete confirmation, password, sign-in and out, jsi18n, autocomplete, view on site) it leaves out.
NOT_VISITED_NAMESPACES = ("admin:", "api:")
# The only persona who opens the admin's pages, and who opens nothing else (the site admin persona is not Django
# staff; tests/test_authorisation_matrix.py checks that the admin refuses people who are not, or who have not
# passed two-factor).
ADMIN_PERSONA = "staff superuser"

# Signed in, a public page differs only in its header (which every other page shows) unless it shows more to some
# people: these do (registration, voting, sign-up, and staff's forms and links).
PUBLIC_SAMPLE = {
    "areas:ward",
    "priorities:ward",
    "priorities:consultation",
    "priorities:priority",
    "engagement:event",
    "engagement:record",
    "engagement:bulletin",
    "engagement:volunteer-task",
    "engagement:area-records",
}


def named_patterns(patterns=None, namespace: str = "", prefix: str = "") -> dict[str, str]:
    """{'namespace:name': route} for every URL pattern of the site."""
    found: dict[str, str] = {}
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
            found |= named_patterns(entry.url_patterns, inner, route)
        elif isinstance(entry, URLPattern):
            found[f"{namespace}:{entry.name}" if namespace else str(entry.name)] = route
    return found


class _Placeholders(dict):
    def __missing__(self, key):
        return "E05000901" if key.startswith("ward") else "1"


def placeholder_visits() -> dict[str, list[Visit]]:
    """The crawl's visits with made-up values (no world built): enough to know the names and routes."""
    return visits(_Placeholders(borough="E09000901", cluster="abbey-cluster", force="metropolitan"))


def test_every_named_url_is_crawled_or_left_out_with_a_reason():
    names = named_patterns()
    assert None not in names and "None" not in names, "every URL pattern has a name"
    crawled = placeholder_visits()
    page_names = {n for n in names if not n.startswith(NOT_VISITED_NAMESPACES)}
    assert not crawled.keys() & NOT_VISITED.keys(), "both crawled and left out"
    assert page_names - crawled.keys() - NOT_VISITED.keys() == set(), "neither crawled nor left out with a reason"
    assert (crawled.keys() | NOT_VISITED.keys()) - names.keys() == set(), "names that are no URL pattern"
    for name, listed in crawled.items():
        assert listed, name
        for visit in listed:
            match = resolve(visit.url.split("?")[0])
            assert match.view_name == name, f"{visit.url} is {match.view_name}, listed under {name}"
    # What is left out refuses a GET, as its reason says.
    for name in NOT_VISITED:
        assert _methods(resolve_route(names[name]).func) == ["POST"], name


def resolve_route(route: str):
    """The match for a route with its parameters filled in with anything."""
    return resolve("/" + re.sub(r"<(\w+:)?(\w+)>", lambda m: "1" if m.group(1) == "int:" else "x", route))


def _methods(view) -> list[str] | None:
    """The methods a view allows, read from Django's require_http_methods wrapper (None: any)."""
    while view is not None:
        cells = getattr(view, "__closure__", None) or ()
        names = getattr(getattr(view, "__code__", None), "co_freevars", ())
        found = dict(zip(names, (cell.cell_contents for cell in cells), strict=False))
        if "request_method_list" in found:
            return list(found["request_method_list"])
        view = getattr(view, "__wrapped__", None)
    return None


@pytest.fixture
def world(db, settings, tmp_path):
    from tests.crawl_world import build

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPENWARD_DEMO_SIGN_IN = True  # as under `make run`, so the demo sign-in page opens
    return build()


def _rule(url: str) -> access.Rule:
    return getattr(resolve(url.split("?")[0]).func, "access_rule", access.Rule("public"))


def _refused(rule: access.Rule, roles: set[str] | None) -> bool:
    """Would the rule refuse this person whatever the place (None: not signed in)? Then the crawl does not ask:
    tests/test_authorisation_matrix.py checks every refusal, role by role."""
    if roles is None:
        return rule.kind != "public"
    return rule.kind == "role" and not roles & {*rule.roles, "site_admin"}


def _check_page(page, who: str, url: str) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            widest = page.evaluate(
                "(w) => Array.from(document.querySelectorAll('main *')).filter(e => e.getBoundingClientRect()"
                ".right > w).slice(-1).map(e => e.tagName + '.' + e.className + ' ' + "
                "Math.round(e.getBoundingClientRect().right))",
                width,
            )
            problems.append(f"{who} {url}: {scroll} px wide at {width} px ({widest})")
    problems += [f"{who} {url}: {v}" for v in serious_axe_violations(page)]
    page.set_viewport_size({"width": 390, "height": 800})
    return problems


# The crawl is the suite's longest test: it runs in two halves (the named patterns dealt alternately, in name
# order), this file and tests/test_crawl_second_half.py, which the test runner's two workers take at once.
CRAWL_PARTS = 2


def crawl_part(part: int, parts: int = CRAWL_PARTS) -> list[str]:
    """The named patterns that part `part` of `parts` crawls: between them, every crawled name once."""
    names = sorted(placeholder_visits())
    return names[part::parts]


def test_the_crawls_halves_hold_every_crawled_name_once():
    halves = [crawl_part(part) for part in range(CRAWL_PARTS)]
    every = placeholder_visits().keys()
    assert sorted(name for half in halves for name in half) == sorted(every)
    assert all(len(half) >= len(every) // CRAWL_PARTS for half in halves)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_as_every_persona(browser, live_server, world):
    crawl_pages(browser, live_server, world, crawl_part(0))


def crawl_pages(browser, live_server, world, names: list[str]):
    """Open every URL of the named patterns `names` as every persona who may, and check each page."""
    from tests.personas import sign_in

    crawl = [(name, visit) for name, listed in visits(world.values).items() if name in names for visit in listed]
    assert crawl, "nothing to crawl"
    problems: list[str] = []
    opened: set[str] = set()
    checked: set[bytes] = set()
    for who, person in world.people.items():
        context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport={"width": 390, "height": 800})
        if person is not None:
            client = Client()
            sign_in(client, person)
            context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
        page = context.new_page()
        roles = None if person is None else set(person.role_grants.values_list("role", flat=True))
        for name, visit in crawl:
            if (who == ADMIN_PERSONA) != name.startswith("admin:"):
                continue
            rule = _rule(visit.url)
            in_sample = name in PUBLIC_SAMPLE or name.startswith("admin:")  # the admin has no access rule of ours
            if _refused(rule, roles) or (person is not None and rule.kind == "public" and not in_sample):
                continue
            # Asked first without a browser tab: a refusal (403, 302 elsewhere) has nothing to render.
            response = context.request.get(visit.url, max_redirects=0)
            kind = (response.headers.get("content-type") or "").split(";")[0]
            if response.status >= 500:
                problems.append(f"{who} {visit.url}: server error {response.status}")
                continue
            if response.status != visit.status:
                continue
            if kind != visit.kind:
                problems.append(f"{who} {visit.url}: {kind or 'no content type'}, not {visit.kind}")
                continue
            opened.add(visit.url)
            # A page another persona was served byte for byte (forms' CSRF tokens aside) was checked then.
            served = (
                hashlib.sha256(CSRF_TOKEN.sub("", response.text()).encode()).digest() if visit.kind == PAGE else b""
            )
            if visit.kind == PAGE and served not in checked:
                checked.add(served)
                page.goto(visit.url)
                problems += _check_page(page, who, visit.url)
        context.close()
    never = [f"{name} {visit.url}" for name, visit in crawl if visit.url not in opened]
    assert not never, "no one could open:\n" + "\n".join(never)
    assert not problems, "\n".join(problems)
