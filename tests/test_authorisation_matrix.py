"""Every role against every page and API operation, generated from the URL configuration.

Each view carries the `access_rule` openward/core/access.py attaches. For a role rule, a person
holding each role in the right place must get past the access check, and one holding it in
another place (another borough) must get 403 (the URL reaches the place through the rule's area
function: its sample in tests/access_samples.py, or the URL kwarg it reads a place code from);
anonymous people get a redirect (pages) or 401 (API). A view or operation without a rule fails
the project's own system check (`openward.E001`, access.check_every_view_has_a_rule), which the
second test runs; two more show that check reporting a bare page and a bare API operation. At the end, staff without the
second factor walk every page, API operation and export and must see no personal data.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory, override_settings
from django.urls import path

from openward.accounts.models import Role, User
from openward.core import access
from tests.access_samples import SAMPLES, Sample
from tests.personas import give_role, make_places, make_resident, make_staff, sign_in
from tests.support import built_once_per_module

CONVERTER_SAMPLES = {"int": "999999", "str": "sample", "slug": "sample", "path": "sample", "uuid": "0" * 32}

Endpoint = access.Endpoint
ENDPOINTS = access.endpoints()


def test_the_walk_finds_pages_and_api_operations():
    kinds = {e.kind for e in ENDPOINTS}
    assert kinds == {"page", "api"}
    assert any(e.route == "accounts/profile/" for e in ENDPOINTS)
    assert any(e.route == "/api/v1/me/wards" and e.method == "GET" for e in ENDPOINTS)


def test_every_page_and_operation_has_an_access_rule():
    """The project's own system check (openward.E001, run by `manage.py check`) finds nothing."""
    assert access.check_every_view_has_a_rule() == []


def bare(request):
    return None


def test_the_check_reports_a_page_without_a_rule():
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    with override_settings(ROOT_URLCONF="tests.urls_with_a_bare_view"):
        errors = access.check_every_view_has_a_rule()
        assert [(e.id, e.msg) for e in errors] == [("openward.E001", "page GET bare/ declares no access rule.")]
        with pytest.raises(SystemCheckError, match="bare/ declares no access rule"):
            call_command("check")


def test_the_check_reports_an_api_operation_without_a_rule():
    from ninja import NinjaAPI, Router

    def naked(request):
        return None

    router = Router()
    router.get("/naked")(naked)
    router.get("/dressed")(access.public(lambda request: None))
    other = NinjaAPI(urls_namespace="bare-api")
    other.add_router("/v1/", router)
    dressed_page = access.public(lambda request: None)
    missing = access.views_without_rule(access.endpoints(urlpatterns=[path("ok/", dressed_page)], api=other))
    assert [str(e) for e in missing] == ["api GET /api/v1/naked"]


def test_area_functions_without_a_sample_are_guessed(places):
    from openward.areas.models import Cluster, Ward

    def custom(request, code):
        return Ward.objects.get(gss_code=code)

    def of_cluster(request, slug):
        return Cluster.objects.get(slug=slug)

    assert guess_area(custom, "wards/<str:code>/edit/", places) == ("ward", "code")
    assert guess_area(of_cluster, "clusters/<slug:slug>/", places) == ("cluster", "slug")
    endpoint = Endpoint("page", "clusters/<slug:slug>/", "GET", None)
    guessed = sample_of(access.Rule("role", (Role.OFFICER,), of_cluster), endpoint, places)
    assert (guessed.kind, guessed.kwargs(places.cluster_b)) == ("cluster", {"slug": "cluster-b"})


def test_an_area_function_with_no_sample_that_reads_no_place_code_fails_the_matrix(places):
    from openward.engagement.models import Event

    def of_meeting(request, pk):  # reaches its place through a row: the matrix cannot guess a pk
        return Event.objects.get(pk=pk).area

    endpoint = Endpoint("page", "meetings/<int:pk>/", "GET", None)
    rule = access.Rule("role", (Role.OFFICER,), of_meeting)
    with pytest.raises(pytest.fail.Exception, match="add a sample for it to tests/access_samples.py"):
        place_kwargs(rule, places, right=True, endpoint=endpoint)


ROLE_ENDPOINTS_WITH_AN_AREA = [
    e
    for e in ENDPOINTS
    if getattr(e.view, "access_rule", None) is not None
    and e.view.access_rule.kind == "role"
    and e.view.access_rule.area is not None
]


def test_every_area_function_has_a_sample_or_reads_a_place_code(places):
    """One list of what the matrix below would fail on, and no sample that no view uses any more."""
    unreached = [
        str(e)
        for e in ROLE_ENDPOINTS_WITH_AN_AREA
        if e.view.access_rule.area not in SAMPLES and guess_area(e.view.access_rule.area, e.route, places)[0] is None
    ]
    assert unreached == []
    used = {e.view.access_rule.area for e in ROLE_ENDPOINTS_WITH_AN_AREA}
    assert [f"{f.__module__}.{f.__name__}" for f in SAMPLES if f not in used] == []
    assert len(ROLE_ENDPOINTS_WITH_AN_AREA) > 40  # the walk found the staff pages and operations


@pytest.mark.parametrize("area", list(SAMPLES), ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_each_sample_reaches_a_thing_in_the_place_it_was_given(places, area):
    sample = SAMPLES[area]
    for side in ("a", "b"):
        place = getattr(places, f"{sample.kind}_{side}")
        assert area(RequestFactory().get("/"), **sample.kwargs(place)) == place


PLACE_KWARGS = {"gss_code", "ward_code", "borough_code", "cluster_slug"}


def test_role_rules_on_place_urls_are_scoped_to_the_place():
    """A staff page about a ward or borough must check the role there, not anywhere."""
    unscoped = [
        str(e)
        for e in ENDPOINTS
        if getattr(e.view, "access_rule", None) is not None
        and e.view.access_rule.kind == "role"
        and e.view.access_rule.area is None
        and PLACE_KWARGS & set(route_kwargs(e.route))
    ]
    assert unscoped == []


# --- the matrix ----------------------------------------------------------------------------


def route_kwargs(route: str) -> list[str]:
    return re.findall(r"[<{](?:\w+:)?(\w+)[>}]", route)


def guess_area(area, route: str, places):
    """For an area function without a sample: try each route kwarg as a ward code, a borough code and a
    cluster slug; (kind of place, kwarg) for the first the function answers with that place, else (None, None)."""
    request = RequestFactory().get("/")
    tries = (
        ("ward", places.ward_a.gss_code),
        ("borough", places.borough_a.gss_code),
        ("cluster", places.cluster_a.slug),
    )
    for name in route_kwargs(route):
        for kind, value in tries:
            try:
                found = area(request, **{name: value})
            except Exception:  # noqa: BLE001 - any failure means "not this kwarg"
                continue
            if found is not None and found.__class__.__name__.lower() == kind:
                return kind, name
    return None, None


def sample_of(rule, endpoint, places) -> Sample:
    """How to point this endpoint's URL at a place: the area function's sample, or the place-code kwarg it
    reads; the test fails when there is neither."""
    if rule.area in SAMPLES:
        return SAMPLES[rule.area]
    kind, name = guess_area(rule.area, endpoint.route, places)
    if kind is None:
        area = rule.area
        pytest.fail(
            f"{endpoint}: cannot tell which place its area function {area.__module__}.{area.__qualname__} reads "
            "from the URL; add a sample for it to tests/access_samples.py so the matrix can try the right and "
            "the wrong place"
        )
    field = "slug" if kind == "cluster" else "gss_code"
    return Sample(kind, lambda place: {name: getattr(place, field)})


def area_kind(rule, endpoint, places) -> str:
    return "ward" if rule.area is None else sample_of(rule, endpoint, places).kind


def place_kwargs(rule, places, right: bool, endpoint=None) -> dict:
    if rule.area is None:
        return {}
    sample = sample_of(rule, endpoint, places)
    target = {
        "ward": places.ward_a if right else places.ward_b,
        "borough": places.borough_a if right else places.borough_b,
        "cluster": places.cluster_a if right else places.cluster_b,
    }[sample.kind]
    return sample.kwargs(target)


def fill_route(endpoint: Endpoint, kwargs: dict) -> str:
    if endpoint.kind == "api":
        return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(kwargs.get(m.group(1), "999999")), endpoint.route)

    def sub(match):
        converter, name = match.group(1) or "str", match.group(2)
        return str(kwargs.get(name, CONVERTER_SAMPLES.get(converter, "sample")))

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", sub, endpoint.route)


def grant_place(rule, places, endpoint):
    kind = area_kind(rule, endpoint, places)
    return {"ward": places.ward_a, "borough": places.borough_a, "cluster": places.cluster_a}[kind]


def wrong_place(rule, places, endpoint):
    kind = area_kind(rule, endpoint, places)
    return {"ward": places.ward_b, "borough": places.borough_b, "cluster": places.cluster_b}[kind]


def is_refused_page(response) -> bool:
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    return response.status_code in (401, 403) or "/accounts/sign-in/" in location or "/two-factor/" in location


def call_api_check(endpoint, user, kwargs):
    """Run the operation's access check as ninja would, after it has parsed the request."""
    request = RequestFactory().generic(endpoint.method, fill_route(endpoint, kwargs))
    request.user = user
    if user.is_authenticated:
        user.is_verified = lambda: True  # staff in the matrix have passed two-factor
    params = {name: kwargs.get(name, "999999") for name in re.findall(r"\{(\w+)", endpoint.route)}
    endpoint.view.access_check(request, **params)


def outcome_api(endpoint, user, kwargs) -> str:
    try:
        call_api_check(endpoint, user, kwargs)
    except access.NotSignedIn:
        return "anonymous"
    except PermissionDenied:
        return "refused"
    return "allowed"


def outcome_page(client, endpoint, kwargs) -> str:
    response = client.get(fill_route(endpoint, kwargs))
    assert response.status_code < 500, f"{endpoint}: {response.status_code}"
    if "/accounts/sign-in/" in response.get("Location", ""):
        return "anonymous"
    return "refused" if is_refused_page(response) else "allowed"


SIDES = ("a", "b")  # the right place (grant_place: ward_a, borough_a, cluster_a) and another (wrong_place)


def make_matrix_places():
    """The places, a resident of ward A, and for every role, kind of place and side, a person holding the role
    there (two-factor device included), each signed in once: the session each sign-in left is kept."""
    from django.test import Client

    from openward.areas.models import Cluster

    found = make_places()
    found.cluster_a = Cluster.objects.create(slug="cluster-a", name="Cluster A", borough=found.borough_a)
    found.cluster_a.wards.add(found.ward_a)
    found.cluster_b = Cluster.objects.create(slug="cluster-b", name="Cluster B", borough=found.borough_b)
    found.cluster_b.wards.add(found.ward_b)
    found.resident = make_resident("resident@example.org", found.ward_a)
    found.staff = {
        (role, kind, side): make_staff(
            role, getattr(found, f"{kind}_{side}"), email=f"{role}-{kind}-{side}@example.org"
        )
        for role in Role
        for kind in ("ward", "borough", "cluster")
        for side in SIDES
    }
    found.sessions = {}
    for person in [found.resident, *found.staff.values()]:
        client = Client()
        sign_in(client, person)
        found.sessions[person.pk] = dict(client.session.items())
    return found


@pytest.fixture(scope="module")
def matrix_places(django_db_setup, django_db_blocker):
    """Built once for the module (every test here only reads them; what a test writes is rolled back)."""
    yield from built_once_per_module(django_db_blocker, make_matrix_places)


@pytest.fixture
def places(db, matrix_places):
    return matrix_places


def sign_in_again(client, places, user) -> None:
    """What `client.logout(); sign_in(client, user)` leaves: no cookies but a new session holding what `user`'s
    sign-in put in theirs (kept by make_matrix_places), so no request sees another's session."""
    from http.cookies import SimpleCookie
    from importlib import import_module

    from django.conf import settings

    client.cookies = SimpleCookie()
    if user.is_authenticated:
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session.update(places.sessions[user.pk])
        session.create()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def outcome(client, endpoint, user, kwargs, places):
    if endpoint.kind == "api":
        return outcome_api(endpoint, user, kwargs)
    sign_in_again(client, places, user)
    return outcome_page(client, endpoint, kwargs)


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if hasattr(e.view, "access_rule")], ids=str)
def test_matrix(client, places, endpoint):
    from django.contrib.auth.models import AnonymousUser

    rule = endpoint.view.access_rule
    right = place_kwargs(rule, places, right=True, endpoint=endpoint)
    anonymous = outcome(client, endpoint, AnonymousUser(), right, places)
    if rule.kind == "public":
        assert anonymous == "allowed", f"{endpoint} is public but refused anonymous people"
        return
    assert anonymous == "anonymous", f"{endpoint} let an anonymous person through ({anonymous})"
    resident = places.resident  # a resident of ward A, as every person below, made by make_matrix_places
    if rule.kind == "signed_in":
        assert outcome(client, endpoint, resident, right, places) == "allowed"
        return
    wrong = place_kwargs(rule, places, right=False, endpoint=endpoint)
    kind = area_kind(rule, endpoint, places)
    assert grant_place(rule, places, endpoint) == getattr(places, f"{kind}_a")
    assert wrong_place(rule, places, endpoint) == getattr(places, f"{kind}_b")
    for role in Role:
        holder = places.staff[role, kind, "a"]  # holds `role` in grant_place(...)
        allowed = role in rule.roles or role == Role.SITE_ADMIN
        got = outcome(client, endpoint, holder, right, places)
        assert got == ("allowed" if allowed else "refused"), f"{endpoint}: {role} in the right place got {got}"
        if rule.area is not None and role != Role.SITE_ADMIN:
            elsewhere = places.staff[role, kind, "b"]  # holds `role` in wrong_place(...)
            got = outcome(client, endpoint, elsewhere, right, places)
            assert got == "refused", f"{endpoint}: {role} holding the role in another place got {got}"
            # ...while in their own place they pass.
            assert outcome(client, endpoint, elsewhere, wrong, places) == ("allowed" if allowed else "refused")
    if Role.RESIDENT not in rule.roles:
        assert outcome(client, endpoint, resident, right, places) == "refused"


PROTECTED_API_GETS = [
    e
    for e in ENDPOINTS
    if e.kind == "api" and e.method == "GET" and getattr(e.view, "access_rule", access.Rule("public")).kind != "public"
]


@pytest.mark.parametrize("endpoint", PROTECTED_API_GETS, ids=str)
def test_api_gets_answer_401_to_anonymous_people_over_http(client, places, endpoint):
    rule = endpoint.view.access_rule
    response = client.get(fill_route(endpoint, place_kwargs(rule, places, right=True, endpoint=endpoint)))
    assert response.status_code == 401


def admin_lands_on(client) -> str:
    response = client.get("/admin/", follow=True)
    return response.redirect_chain[-1][0] if response.redirect_chain else f"{response.status_code}"


def test_admin_needs_staff_and_two_factor(client, places):
    assert admin_lands_on(client).startswith("/accounts/sign-in/")
    person = make_resident("plain@example.org", places.ward_a)
    sign_in(client, person)
    assert admin_lands_on(client).startswith("/accounts/two-factor/")  # and without staff status, still refused
    staff = make_staff(Role.SITE_ADMIN, None, email="admin@example.org")
    User.objects.filter(pk=staff.pk).update(is_staff=True, is_superuser=True)
    sign_in(client, staff, second_factor=False)
    assert admin_lands_on(client).startswith("/accounts/two-factor/")
    sign_in(client, staff)
    assert admin_lands_on(client) == "200"
    sign_in(client, person)
    assert client.get("/admin/accounts/rolegrant/").status_code == 302


# --- staff without the second factor ---------------------------------------------------------
#
# A person holding every staff role in ward A (and site administrator everywhere) who signed in by
# emailed link but never entered the authenticator code, or who calls the API with a token minted
# without it, must see no personal data anywhere: every page, API operation and export is asked
# with the ids of objects in ward A that carry personal data, and no response may contain any of
# it. With the second factor the same walk must show each piece somewhere, so the absence is real.

SHARED_PK = 4242  # every object behind a `pk`-style id in a route, so one id reaches each of them
SECRETS = {
    "registrant email": "registrant-secret@example.org",
    "registrant name": "Named Registrant Secretname",
    "volunteer email": "volunteer-secret@example.org",
    "reply sender": "replier-secret@example.org",
    "reply text": "REPLY-SECRET-TEXT about my neighbour",
    "draft summary": "DRAFT-SECRET-SUMMARY not yet agreed",
    "draft minutes": "DRAFT-SECRET-MINUTES naming a suspect",
    "review reason": "REVIEW-SECRET-REASON shared address",
    "colleague email": "colleague-secret@example.org",
    "monitoring member email": "cmg-member-secret@example.org",
    "monitoring review concerns": "CMG-REVIEW-SECRET the officer named a bystander",
    "monitoring grounds text": "CMG-GROUNDS-SECRET smell of cannabis",
}


@pytest.fixture
def world(places):
    """Personal data in ward A, behind ids the routes below reach."""
    from datetime import timedelta

    from django.utils import timezone

    from openward.accounts.models import RoleGrant
    from openward.engagement.models import (
        Event,
        MeetingRecord,
        MinuteEntry,
        Registration,
        Reply,
        Topic,
        VolunteerSignup,
        VolunteerTask,
    )
    from openward.engagement.services import registrations
    from openward.verification.models import Membership

    officer = make_staff(Role.OFFICER, places.ward_a, email="organiser@example.org")
    event = Event.objects.create(
        pk=SHARED_PK,
        ward=places.ward_a,
        title="Abbey ward panel",
        kind=Event.Kind.WARD_PANEL,
        address="Abbey hall",
        starts_at=timezone.now() + timedelta(days=3),
        created_by=officer,
    )
    registrant = make_resident(SECRETS["registrant email"], places.ward_a)
    named = make_resident("named-registrant@example.org", places.ward_a)
    User.objects.filter(pk=named.pk).update(display_name=SECRETS["registrant name"])
    for person in (registrant, named):
        registrations.register_for_event(person, event, share_name=True)
    assert Registration.objects.filter(event=event).count() == 2
    record = MeetingRecord.objects.create(pk=SHARED_PK, event=event, summary=SECRETS["draft summary"])
    topic = Topic.objects.create(slug="secret-topic", name="Theft")
    MinuteEntry.objects.create(record=record, topic=topic, summary=SECRETS["draft minutes"])
    task = VolunteerTask.objects.create(
        pk=SHARED_PK,
        ward=places.ward_a,
        title="Leafleting",
        kind=VolunteerTask.Kind.LEAFLETING,
        place="Abbey Road",
        starts_at=timezone.now() + timedelta(days=2),
        places=5,
    )
    volunteer = make_resident(SECRETS["volunteer email"], places.ward_a)
    VolunteerSignup.objects.create(task=task, user=volunteer)
    replier = make_resident(SECRETS["reply sender"], places.ward_a)
    Reply.objects.create(
        pk=SHARED_PK,
        event=event,
        ward=places.ward_a,
        sender_email=SECRETS["reply sender"],
        user=replier,
        body=SECRETS["reply text"],
    )
    Membership.objects.filter(user=replier).update(needs_review=True, review_reason=SECRETS["review reason"])
    colleague = User.objects.create_user(email=SECRETS["colleague email"], email_confirmed_at=timezone.now())
    RoleGrant.objects.create(pk=SHARED_PK, user=colleague, role=Role.PCSO, ward=places.ward_a)
    # Borough A's stop-and-search monitoring group: a member, and a reviewed stop with the force's grounds.
    from openward.crime.tests.factories import StopFactory
    from openward.monitoring.models import GroundsText, MonitoringGroup, ReviewSample, SampledStop, StopReview

    group = MonitoringGroup.objects.create(borough=places.borough_a, name="Northbury monitoring group")
    member = User.objects.create_user(email=SECRETS["monitoring member email"], email_confirmed_at=timezone.now())
    RoleGrant.objects.create(user=member, role=Role.MONITORING_REVIEWER, borough=places.borough_a)
    sample = ReviewSample.objects.create(
        pk=SHARED_PK, group=group, month=timezone.now().date().replace(day=1), size=1, seed=1
    )
    sampled = SampledStop.objects.create(
        sample=sample, stop=StopFactory(ward=places.ward_a), stratum="white", position=0
    )
    StopReview.objects.create(
        sampled=sampled,
        grounds_clear="yes",
        video_seen="no",
        outcome_proportionate="yes",
        concerns=SECRETS["monitoring review concerns"],
    )
    GroundsText.objects.create(sampled=sampled, text=SECRETS["monitoring grounds text"])
    return places


def make_all_powerful_staff(places, email: str) -> User:
    """Site administrator everywhere plus every ward and borough role in ward A's borough."""
    person = make_staff(Role.SITE_ADMIN, None, email=email, is_staff=True)
    for role in (Role.OFFICER, Role.PCSO, Role.PANEL_CHAIR, Role.PANEL_VICE_CHAIR):
        give_role(person, role, places.ward_a)
    for role in (Role.BOROUGH_LEAD, Role.ANALYST, Role.MONITORING_CHAIR, Role.MONITORING_REVIEWER):
        give_role(person, role, places.borough_a)
    return person


def world_kwargs(route: str, places) -> dict:
    """URL kwargs that point each route at ward A and at the objects carrying personal data."""
    borough = "borough" in route
    return {
        "pk": SHARED_PK,
        "consultation_id": SHARED_PK,
        "priority_id": SHARED_PK,
        "membership_id": SHARED_PK,
        "token_id": SHARED_PK,
        "grant_id": SHARED_PK,
        "code": places.borough_a.gss_code if borough else places.ward_a.gss_code,
        "gss_code": places.ward_a.gss_code,
        "borough_code": places.borough_a.gss_code,
        "cluster_slug": places.cluster_a.slug,
        "slug": places.cluster_a.slug if "cluster" in route else "sample",
        "kind": "ward",
        "key": places.ward_a.gss_code,
        "fmt": "csv",
    }


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def ask(client, endpoint, url: str, headers: dict):
    """One request, its writes rolled back so every endpoint meets the same world."""
    from django.db import transaction

    with transaction.atomic():
        if endpoint.kind == "page" or endpoint.method == "GET":
            response = client.get(url, headers=headers)
        else:
            method = getattr(client, endpoint.method.lower())
            response = method(url, data="{}", content_type="application/json", headers=headers)
        transaction.set_rollback(True)
    return response


def walk_as(client, places, headers: dict, *, api_only: bool = False) -> dict[str, str]:
    """Every endpoint asked once, writes included; (endpoint -> response body). Fails on any 5xx."""
    bodies = {}
    for endpoint in ENDPOINTS:
        if api_only and endpoint.kind != "api":
            continue
        url = fill_route(endpoint, world_kwargs(endpoint.route, places))
        response = ask(client, endpoint, url, headers)
        assert response.status_code < 500, f"{endpoint}: {response.status_code}"
        if endpoint.view.access_rule.kind == "role":
            if endpoint.kind == "page":
                assert "/accounts/two-factor/" in response.get("Location", ""), f"{endpoint}: {response.status_code}"
            else:
                # 422: ninja refused the empty body before the operation (and its access check) ran.
                refused = (403,) if endpoint.method == "GET" else (403, 422)
                assert response.status_code in refused, f"{endpoint}: {response.status_code}"
        bodies[str(endpoint)] = body_of(response)
    return bodies


def leaks(bodies: dict[str, str]) -> list[tuple[str, str]]:
    return [(where, what) for where, body in bodies.items() for what, text in SECRETS.items() if text in body]


def test_staff_signed_in_without_the_second_factor_see_no_personal_data(client, world):
    person = make_all_powerful_staff(world, "no-second-factor@example.org")
    sign_in(client, person, second_factor=False)
    bodies = walk_as(client, world, {})
    assert len(bodies) == len(ENDPOINTS)
    assert leaks(bodies) == []


def test_staff_with_a_token_minted_without_the_second_factor_see_no_personal_data(client, world):
    from openward.accounts.services import create_api_token

    person = make_all_powerful_staff(world, "token-no-second-factor@example.org")
    token = create_api_token(person, "old laptop", second_factor=False)
    bodies = walk_as(client, world, {"Authorization": f"Bearer {token}"}, api_only=True)
    assert len(bodies) == len([e for e in ENDPOINTS if e.kind == "api"]) > 50
    assert leaks(bodies) == []


def test_with_the_second_factor_the_same_walk_shows_each_piece_of_personal_data(client, world):
    """The control: every secret is reachable by the same person once the code is entered."""
    person = make_all_powerful_staff(world, "second-factor@example.org")
    sign_in(client, person)
    bodies = {}
    for endpoint in ENDPOINTS:
        if endpoint.kind == "api" and endpoint.method != "GET":
            continue
        response = ask(client, endpoint, fill_route(endpoint, world_kwargs(endpoint.route, world)), {})
        assert response.status_code < 500, f"{endpoint}: {response.status_code}"
        bodies[str(endpoint)] = body_of(response)
    seen = {what for _, what in leaks(bodies)}
    assert seen == set(SECRETS), f"not shown anywhere with the second factor: {set(SECRETS) - seen}"
    where = {what: sorted(w for w, x in leaks(bodies) if x == what) for what in SECRETS}
    assert "page GET engagement/events/<int:pk>/" in where["registrant email"]
    assert "page GET engagement/volunteering/<int:pk>/" in where["volunteer email"]
    assert "page GET engagement/records/<int:pk>/" in where["draft minutes"]
    sample_page = "page GET monitoring/boroughs/<str:borough_code>/samples/<int:pk>/"
    assert sample_page in where["monitoring review concerns"] and sample_page in where["monitoring grounds text"]
    assert "page GET monitoring/boroughs/<str:borough_code>/members/" in where["monitoring member email"]


def test_a_role_check_anywhere_in_the_request_counts_no_staff_role_without_the_second_factor(rf, places):
    """has_role, the place helpers and the role decorator share one rule while a request is served."""
    from django.contrib.auth.models import AnonymousUser

    from openward.accounts.permissions import has_role, role_grants
    from openward.engagement import places as engagement_places

    officer = make_staff(Role.OFFICER, places.ward_a, email="officer-a@example.org")
    colleague = make_staff(Role.OFFICER, places.ward_a, email="officer-b@example.org")
    request = rf.get("/")
    request.user = officer
    officer.is_verified = lambda: False
    seen = {}

    def view(request):
        seen["has_role"] = has_role(officer, [Role.OFFICER], places.ward_a)
        seen["other person"] = has_role(colleague, [Role.OFFICER], places.ward_a)
        seen["same person, fetched again"] = has_role(User.objects.get(pk=officer.pk), [Role.OFFICER])
        seen["grants"] = list(role_grants(officer))
        seen["wards"] = list(engagement_places.wards_for(officer, [Role.OFFICER]))
        seen["inbox q"] = engagement_places.grants_q(officer, [Role.OFFICER])
        return None

    access.AccessMiddleware(view)(request)
    assert seen["has_role"] is False and seen["same person, fetched again"] is False
    assert seen["other person"] is True  # the rule is about the person signed in on this request
    assert seen["grants"] == [] and seen["wards"] == []
    assert str(seen["inbox q"]) == "(AND: ('pk__in', []))"
    officer.is_verified = lambda: True
    access.AccessMiddleware(view)(request)
    assert seen["has_role"] is True and [w.pk for w in seen["wards"]] == [places.ward_a.pk]
    # Outside a request (commands, tasks) the grants count as they are.
    assert has_role(officer, [Role.OFFICER], places.ward_a) is True
    request.user = AnonymousUser()
    access.AccessMiddleware(lambda r: seen.update(anonymous=has_role(officer, [Role.OFFICER])))(request)
    assert seen["anonymous"] is True


def test_the_role_decorator_sends_staff_without_the_second_factor_to_the_two_factor_page(client, places):
    officer = make_staff(Role.OFFICER, places.ward_a, email="officer-2fa@example.org")
    sign_in(client, officer, second_factor=False)
    response = client.get("/engagement/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/?next=")
    sign_in(client, officer)
    assert client.get("/engagement/inbox/").status_code == 200
