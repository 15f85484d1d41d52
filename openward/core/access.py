"""Who may call a view: every page and API operation declares a rule, and a test checks it.

    @access.public                 anyone
    @access.signed_in              any signed-in person
    @access.role(Role.OFFICER, Role.PANEL_CHAIR, area=ward_from_kwargs)
                                   someone holding one of the roles for the area the
                                   request is about (`area(request, **kwargs)` returns a
                                   Ward, Cluster, Borough or None for "anywhere")

The same decorators work on Django views and django-ninja operations. A refusal raises
NotSignedIn (pages: redirect to sign-in; API: 401) or PermissionDenied (403). Anyone who
holds a staff role must also have passed two-factor authentication before a role rule lets
them through (NeedsSecondFactor, a PermissionDenied: pages redirect to the two-factor page).

The same holds for role checks made anywhere else while a request is served: AccessMiddleware
keeps the current request, and `accounts.permissions.role_grants` counts no staff role of the
signed-in person until that request has passed the second factor. So a public page that shows
more to staff (registrants, draft minutes) shows a staff person without it only what anyone sees.

`views_without_rule()` lists every page and API operation that declares no rule; the system
check `openward.E001` reports them, so `manage.py check` (and the test suite) fails on one.

The authorisation matrix test (tests/test_authorisation_matrix.py) tries each role in the right
place and in the wrong one. It works out which URL kwarg an area function made by `ward_from`,
`borough_from` or `cluster_from` reads; for any other area function, give it a sample (URL
kwargs reaching something in a place) in tests/access_samples.py, or the matrix fails.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404


class NotSignedIn(Exception):
    """The request needs a signed-in person."""


class NeedsSecondFactor(PermissionDenied):
    """A staff person must set up or pass two-factor authentication first."""


@dataclass(frozen=True)
class Rule:
    kind: str  # "public" | "signed_in" | "role"
    roles: tuple[str, ...] = ()
    area: Callable[..., Any] | None = field(default=None, compare=False)


def _attach(view, rule: Rule, check: Callable[..., None] | None):
    if check is None:
        view.access_rule = rule
        view.access_check = lambda request, *a, **k: None
        return view

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        check(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    wrapper.access_rule = rule
    wrapper.access_check = check
    return wrapper


def public(view):
    return _attach(view, Rule("public"), None)


def _require_user(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise NotSignedIn("Sign in to continue.")
    return user


def signed_in(view):
    return _attach(view, Rule("signed_in"), lambda request, *a, **k: _require_user(request))


@dataclass(frozen=True)
class Roles:
    """How roles are decided: registered by the accounts app in its ready(), so core imports no app."""

    has_role: Callable[[Any, tuple[str, ...], Any], bool]
    is_staff_person: Callable[[Any], bool]
    second_factor_ok: Callable[[Any], bool]


_roles: list[Roles] = []


def register_roles(roles: Roles) -> None:
    _roles[:] = [roles]


def _role_rules() -> Roles:
    if not _roles:
        raise ImproperlyConfigured("No app has registered how roles are decided (openward.accounts is not ready).")
    return _roles[0]


def role(*roles: str, area: Callable[..., Any] | None = None):
    """Require one of `roles` for the area `area(request, **kwargs)` returns (None: any area)."""

    def decorator(view):
        def check(request, *args, **kwargs):
            rules = _role_rules()
            user = _require_user(request)
            # First: without the second factor a staff person holds no staff role at all.
            if rules.is_staff_person(user) and not rules.second_factor_ok(request):
                raise NeedsSecondFactor("Set up or enter your two-factor authentication code first.")
            target = area(request, *args, **kwargs) if area else None
            if not rules.has_role(user, roles, target):
                raise PermissionDenied("You do not have a role that allows this here.")

        return _attach(view, Rule("role", tuple(roles), area), check)

    return decorator


def _area_from(model_path: str, kwarg: str, lookup: str):
    def area(request, *args, **kwargs):
        from django.apps import apps

        model = apps.get_model(model_path)
        value = kwargs.get(kwarg)
        if model_path == "areas.Ward":  # the one ward resolver: in force today first, abolished still found
            found = model.objects.by_code(value)
        else:
            found = model.objects.filter(**{lookup: value}).order_by("-pk").first()
        if found is None:
            raise Http404(f"No {model._meta.verbose_name} with code {str(value)[:20]!r}.")
        return found

    return area


def ward_from(kwarg: str = "gss_code"):
    """Area function: the Ward (current generation first) whose GSS code is in URL kwarg `kwarg`."""
    return _area_from("areas.Ward", kwarg, "gss_code")


def borough_from(kwarg: str = "borough_code"):
    return _area_from("areas.Borough", kwarg, "gss_code")


def cluster_from(kwarg: str = "cluster_slug"):
    return _area_from("areas.Cluster", kwarg, "slug")


_current_request: ContextVar = ContextVar("openward_current_request", default=None)


def current_request():
    """The request being served on this thread (None in commands and tasks)."""
    return _current_request.get()


class AccessMiddleware:
    """Keep the current request for role checks; turn NotSignedIn into a redirect to sign-in and
    NeedsSecondFactor into the two-factor page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)

    def process_exception(self, request, exception):
        if isinstance(exception, NotSignedIn):
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if isinstance(exception, NeedsSecondFactor):
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path(), login_url="accounts:two-factor")
        return None


# --- views without a rule ---------------------------------------------------------------------

EXEMPT_ROUTE_PREFIXES = ("admin/", "api/", "static/", "media/")


@dataclass(frozen=True)
class Endpoint:
    kind: str  # "page" | "api"
    route: str  # Django route with converters, or ninja path with {params}
    method: str
    view: Any

    def __str__(self):
        return f"{self.kind} {self.method} {self.route}"


def walk_urlpatterns(patterns, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(route, callback) for every Django URL pattern, recursively."""
    from django.urls import URLPattern, URLResolver

    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk_urlpatterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def walk_router(router, prefix: str = "") -> Iterator[tuple[str, str, Any]]:
    """(path, method, view function) for every operation of a ninja router and its children."""
    for path, path_view in router.path_operations.items():
        for operation in path_view.operations:
            for method in operation.methods:
                yield re.sub(r"/+", "/", f"/api/{prefix}/{path}"), method, operation.view_func
    for child_prefix, child, *_ in getattr(router, "_routers", []):
        yield from walk_router(child, f"{prefix}/{child_prefix}")


def endpoints(urlpatterns=None, api=None) -> list[Endpoint]:
    """Every page (outside the admin and the API mount) and every API operation."""
    from django.urls import get_resolver

    if urlpatterns is None:
        urlpatterns = get_resolver().url_patterns
    if api is None:
        from openward.api import api
    found = [
        Endpoint("page", route, "GET", callback)
        for route, callback in walk_urlpatterns(urlpatterns)
        if not route.startswith(EXEMPT_ROUTE_PREFIXES)
    ]
    for prefix, router in api._routers:
        found += [Endpoint("api", path, method, view) for path, method, view in walk_router(router, prefix)]
    # A router mounted twice (police.uk's, whose child routers ninja also lists) yields repeats.
    return list(dict.fromkeys(found))


def views_without_rule(found: list[Endpoint] | None = None) -> list[Endpoint]:
    """The pages and API operations that declare no access rule."""
    found = endpoints() if found is None else found
    return [e for e in found if not isinstance(getattr(e.view, "access_rule", None), Rule)]


def check_every_view_has_a_rule(app_configs=None, **kwargs):
    """System check openward.E001: each page and API operation without an access rule is an error."""
    from django.core.checks import Error

    return [
        Error(
            f"{endpoint} declares no access rule.",
            hint="Decorate it with @access.public, @access.signed_in or @access.role(...) (openward/core/access.py).",
            obj=getattr(endpoint.view, "__qualname__", repr(endpoint.view)),
            id="openward.E001",
        )
        for endpoint in views_without_rule()
    ]
