"""Who may call a view: every page and API operation declares a rule, and a test checks it.

    @access.public                 anyone
    @access.signed_in              any signed-in person
    @access.role(Role.OFFICER, Role.PANEL_CHAIR, area=ward_from_kwargs)
                                   someone holding one of the roles for the area the
                                   request is about (`area(request, **kwargs)` returns a
                                   Ward, Cluster, Borough or None for "anywhere")

The same decorators work on Django views and django-ninja operations. A refusal raises
NotSignedIn (pages: redirect to sign-in; API: 401) or PermissionDenied (403). The
authorisation matrix test walks the URL configuration and fails on any view without a rule.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied


class NotSignedIn(Exception):
    """The request needs a signed-in person."""


@dataclass(frozen=True)
class Rule:
    kind: str  # "public" | "signed_in" | "role"
    roles: tuple[str, ...] = ()
    area: Callable[..., Any] | None = field(default=None, compare=False)


def _attach(view, rule: Rule, check: Callable[..., None] | None):
    if check is None:
        view.access_rule = rule
        return view

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        check(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    wrapper.access_rule = rule
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
            from openward.accounts.permissions import has_role

            user = _require_user(request)
            target = area(request, *args, **kwargs) if area else None
            if not has_role(user, roles, target):
                raise PermissionDenied("You do not have a role that allows this here.")

        return _attach(view, Rule("role", tuple(roles), area), check)

    return decorator


class AccessMiddleware:
    """Turn NotSignedIn raised by a page into a redirect to the sign-in page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotSignedIn):
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return None
