"""Every role against every page and API operation, generated from the URL configuration.

Each view carries the `access_rule` openward/core/access.py attaches. For a role rule, a person
holding each role in the right place must get past the access check, and one holding it in
another place (another borough) must get 403; anonymous people get a redirect (pages) or 401
(API). A view or operation without a rule fails the first two tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from openward.accounts.models import Role, User
from openward.accounts.testing import forget_geo_indexes, make_places, make_resident, make_staff, sign_in
from openward.api import api
from openward.core import access

EXEMPT_PREFIXES = ("admin/", "api/", "static/", "media/")
CONVERTER_SAMPLES = {"int": "999999", "str": "sample", "slug": "sample", "path": "sample", "uuid": "0" * 32}


@dataclass(frozen=True)
class Endpoint:
    kind: str  # "page" | "api"
    route: str  # Django route with converters, or ninja path with {params}
    method: str
    view: object

    def __str__(self):
        return f"{self.kind} {self.method} {self.route}"


def walk_django(patterns=None, prefix=""):
    """(route, callback) for every Django URL pattern, recursively."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk_django(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def walk_router(router, prefix=""):
    for path, path_view in router.path_operations.items():
        for operation in path_view.operations:
            for method in operation.methods:
                yield re.sub(r"/+", "/", f"/api/{prefix}/{path}"), method, operation.view_func
    for child_prefix, child, *_ in getattr(router, "_routers", []):
        yield from walk_router(child, f"{prefix}/{child_prefix}")


def endpoints():
    found = [
        Endpoint("page", route, "GET", callback)
        for route, callback in walk_django()
        if not route.startswith(EXEMPT_PREFIXES)
    ]
    for prefix, router in api._routers:
        found += [Endpoint("api", path, method, view) for path, method, view in walk_router(router, prefix)]
    return found


ENDPOINTS = endpoints()


def test_the_walk_finds_pages_and_api_operations():
    kinds = {e.kind for e in ENDPOINTS}
    assert kinds == {"page", "api"}
    assert any(e.route == "accounts/profile/" for e in ENDPOINTS)
    assert any(e.route == "/api/v1/me/wards" and e.method == "GET" for e in ENDPOINTS)


def test_every_page_and_operation_has_an_access_rule():
    missing = [str(e) for e in ENDPOINTS if not isinstance(getattr(e.view, "access_rule", None), access.Rule)]
    assert missing == [], f"views without @access.public / signed_in / role(...): {missing}"


def test_area_functions_without_a_sample_are_guessed(places):
    from openward.areas.models import Ward

    def custom(request, code):
        return Ward.objects.get(gss_code=code)

    assert guess_area(custom, "wards/<str:code>/edit/", places) == ("ward", "code")


def test_a_view_without_a_rule_is_reported():
    from django.urls import path

    def bare(request):
        return None

    routes = dict(walk_django([path("bare/", bare)]))
    assert not hasattr(routes["bare/"], "access_rule")


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
    """For an area function without `.sample`: try each route kwarg as a ward or borough code."""
    request = RequestFactory().get("/")
    for name in route_kwargs(route):
        for kind, value in (("ward", places.ward_a.gss_code), ("borough", places.borough_a.gss_code)):
            try:
                found = area(request, **{name: value})
            except Exception:  # noqa: BLE001 - any failure means "not this kwarg"
                continue
            if found is not None and found.__class__.__name__.lower() == kind:
                return kind, name
    return None, None


def area_kind(rule, endpoint, places) -> str:
    if rule.area is None:
        return "ward"
    kind = getattr(rule.area, "area_kind", None) or guess_area(rule.area, endpoint.route, places)[0]
    if kind is None:
        pytest.fail(
            f"{endpoint}: cannot tell which place its area function {rule.area!r} reads; give it `.sample(place)` "
            "(access.ward_from / borough_from / cluster_from do) so the matrix can try the right and wrong place"
        )
    return kind


def place_kwargs(rule, places, right: bool, endpoint=None) -> dict:
    if rule.area is None:
        return {}
    kind = area_kind(rule, endpoint, places)
    target = {
        "ward": places.ward_a if right else places.ward_b,
        "borough": places.borough_a if right else places.borough_b,
        "cluster": places.cluster_a if right else places.cluster_b,
    }[kind]
    if hasattr(rule.area, "sample"):
        return rule.area.sample(target)
    _, name = guess_area(rule.area, endpoint.route, places)
    return {name: target.gss_code}


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


@pytest.fixture
def places(db):
    from openward.areas.models import Cluster

    found = make_places()
    found.cluster_a = Cluster.objects.create(slug="cluster-a", name="Cluster A", borough=found.borough_a)
    found.cluster_a.wards.add(found.ward_a)
    found.cluster_b = Cluster.objects.create(slug="cluster-b", name="Cluster B", borough=found.borough_b)
    found.cluster_b.wards.add(found.ward_b)
    yield found
    forget_geo_indexes()


def outcome(client, endpoint, user, kwargs):
    if endpoint.kind == "api":
        return outcome_api(endpoint, user, kwargs)
    client.logout()
    if user.is_authenticated:
        sign_in(client, user)
    return outcome_page(client, endpoint, kwargs)


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if hasattr(e.view, "access_rule")], ids=str)
def test_matrix(client, places, endpoint):
    from django.contrib.auth.models import AnonymousUser

    rule = endpoint.view.access_rule
    right = place_kwargs(rule, places, right=True, endpoint=endpoint)
    anonymous = outcome(client, endpoint, AnonymousUser(), right)
    if rule.kind == "public":
        assert anonymous == "allowed", f"{endpoint} is public but refused anonymous people"
        return
    assert anonymous == "anonymous", f"{endpoint} let an anonymous person through ({anonymous})"
    resident = make_resident("resident@example.org", places.ward_a)
    if rule.kind == "signed_in":
        assert outcome(client, endpoint, resident, right) == "allowed"
        return
    wrong = place_kwargs(rule, places, right=False, endpoint=endpoint)
    for role in Role:
        holder = make_staff(role, grant_place(rule, places, endpoint), email=f"{role}-right@example.org")
        allowed = role in rule.roles or role == Role.SITE_ADMIN
        got = outcome(client, endpoint, holder, right)
        assert got == ("allowed" if allowed else "refused"), f"{endpoint}: {role} in the right place got {got}"
        if rule.area is not None and role != Role.SITE_ADMIN:
            elsewhere = make_staff(role, wrong_place(rule, places, endpoint), email=f"{role}-wrong@example.org")
            got = outcome(client, endpoint, elsewhere, right)
            assert got == "refused", f"{endpoint}: {role} holding the role in another place got {got}"
            # ...while in their own place they pass.
            assert outcome(client, endpoint, elsewhere, wrong) == ("allowed" if allowed else "refused")
    if Role.RESIDENT not in rule.roles:
        assert outcome(client, endpoint, resident, right) == "refused"


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
