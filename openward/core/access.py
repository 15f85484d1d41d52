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

Area functions made by `ward_from`, `borough_from` and `cluster_from` carry a `sample(area)`
that builds URL kwargs pointing at an area; the authorisation matrix test uses it to try
each role in the right place and in the wrong one. Give custom area functions one too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
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


def role(*roles: str, area: Callable[..., Any] | None = None):
    """Require one of `roles` for the area `area(request, **kwargs)` returns (None: any area)."""

    def decorator(view):
        def check(request, *args, **kwargs):
            from openward.accounts.permissions import has_role, is_staff_person, second_factor_ok

            user = _require_user(request)
            target = area(request, *args, **kwargs) if area else None
            if not has_role(user, roles, target):
                raise PermissionDenied("You do not have a role that allows this here.")
            if is_staff_person(user) and not second_factor_ok(request):
                raise NeedsSecondFactor("Set up or enter your two-factor authentication code first.")

        return _attach(view, Rule("role", tuple(roles), area), check)

    return decorator


def _area_from(model_path: str, kwarg: str, lookup: str):
    def area(request, *args, **kwargs):
        from django.apps import apps

        model = apps.get_model(model_path)
        value = kwargs.get(kwarg)
        qs = model.objects.filter(**{lookup: value})
        if model_path == "areas.Ward":
            from openward.areas.geo import generation_for

            current = qs.filter(generation=generation_for()).first()
            if current:
                return current
        found = qs.order_by("-pk").first()
        if found is None:
            raise Http404(f"No {model._meta.verbose_name} with code {str(value)[:20]!r}.")
        return found

    area.sample = lambda place: {kwarg: getattr(place, lookup)}
    area.area_kind = model_path.split(".")[1].lower()
    return area


def ward_from(kwarg: str = "gss_code"):
    """Area function: the Ward (current generation first) whose GSS code is in URL kwarg `kwarg`."""
    return _area_from("areas.Ward", kwarg, "gss_code")


def borough_from(kwarg: str = "borough_code"):
    return _area_from("areas.Borough", kwarg, "gss_code")


def cluster_from(kwarg: str = "cluster_slug"):
    return _area_from("areas.Cluster", kwarg, "slug")


class AccessMiddleware:
    """Turn NotSignedIn into a redirect to sign-in, and NeedsSecondFactor into the two-factor page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotSignedIn):
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if isinstance(exception, NeedsSecondFactor):
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path(), login_url="accounts:two-factor")
        return None
