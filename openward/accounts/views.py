"""Account pages: sign-up, sign-in by emailed link, your account, two-factor, roles, demo sign-in."""

from __future__ import annotations

import base64
import json

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from openward.areas.models import Borough, Ward
from openward.core import access, audit, personal_data
from openward.core import staff_home as staff_home_panels
from openward.core.models import AuditEvent
from openward.core.values import InvalidPostcode, PostcodeNotInWard

from . import erasure, ratelimit, services
from .forms import (
    ConsentForm,
    DeleteForm,
    GrantRoleForm,
    OtpForm,
    RevokeRoleForm,
    SignInForm,
    SignUpForm,
    TokenForm,
)
from .models import ApiToken, Purpose, Role, RoleGrant, User
from .permissions import EVERYWHERE, MONITORING_ROLES, has_role, is_staff_person, role_grants, second_factor_ok
from .staff_home import HOME_ROLES, has_staff_home

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


AFTER_SIGN_IN = "after_sign_in"


def _remember_next(request) -> None:
    """Keep a safe ?next= in the session, so the emailed link (opened in this browser) returns there."""
    target = request.GET.get("next", "")
    if target and target == _safe_next(request, ""):
        request.session[AFTER_SIGN_IN] = target


@access.public
def sign_up(request):
    _remember_next(request)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sign_up(
                email=data["email"],
                postcode=data["postcode"],
                relationship=data["relationship"],
                consents={Purpose.NOTIFICATIONS: data["notifications"], Purpose.RESEARCH: data["research"]},
                ip=ratelimit.client_ip(request),
                known_account=ratelimit.known_account(request),
            )
        except ValidationError as exc:
            form.add_error("email", exc.messages[0])
        except (InvalidPostcode, PostcodeNotInWard) as exc:
            form.add_error("postcode", str(exc))
        except ratelimit.RateLimited as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("accounts:check-email")
    return render(request, "accounts/sign_up.html", {"form": form}, status=400 if form.errors else 200)


@access.public
def check_email(request):
    return render(request, "accounts/check_email.html")


@access.public
def sign_in(request):
    _remember_next(request)
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_sign_in(
                email=form.cleaned_data["email"],
                ip=ratelimit.client_ip(request),
                known_account=ratelimit.known_account(request),
            )
        except ValidationError as exc:
            form.add_error("email", exc.messages[0])
        except ratelimit.RateLimited as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("accounts:check-email")
    demo = _demo_available()
    return render(request, "accounts/sign_in.html", {"form": form, "demo": demo}, status=400 if form.errors else 200)


@access.public
def use_link(request, token):
    """GET shows a button; POST spends the link (mail scanners that follow links do not use it up)."""
    try:
        link = services.read_link(token)
    except services.LinkError as exc:
        return render(request, "accounts/link_problem.html", {"problem": str(exc)}, status=400)
    if request.method != "POST":
        return render(request, "accounts/link.html", {"link": link})
    try:
        user = services.use_link(token)
    except services.LinkError as exc:
        return render(request, "accounts/link_problem.html", {"problem": str(exc)}, status=400)
    after = request.session.pop(AFTER_SIGN_IN, "")
    login(request, user, backend=BACKEND)
    if is_staff_person(user):
        target = after or reverse(_home_for(user))
        response = redirect(f"{reverse('accounts:two-factor')}?{urlencode({'next': target})}")
    else:
        messages.success(request, "You are signed in.")
        response = redirect(after or "verification:wards")
    ratelimit.remember_account(response, request, user)
    return response


@access.public
@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, "You are signed out.")
    return redirect("accounts:sign-in")


def _home_for(user) -> str:
    """Where a person starts: the staff home for officers, chairs and borough leads; else their account."""
    return "accounts:staff-home" if has_staff_home(user) else "accounts:profile"


WARD_STAFF_ROLES = {Role.OFFICER, Role.PCSO, Role.PANEL_CHAIR, Role.PANEL_VICE_CHAIR}


def _staff_links(grants) -> list[tuple[str, str]]:
    """Where each of a person's roles lets them work."""
    links = []
    for grant in grants:
        if grant.role in WARD_STAFF_ROLES and grant.ward_id:
            code = grant.ward.gss_code
            links.append(
                (f"Verify residents in person in {grant.ward.name}", reverse("verification:in-person", args=[code]))
            )
            links.append((f"Memberships to review in {grant.ward.name}", reverse("verification:review", args=[code])))
        if grant.role == Role.BOROUGH_LEAD and grant.borough_id:
            code = grant.borough.gss_code
            links.append(
                (f"Verification letters for {grant.borough.name}", reverse("verification:letters", args=[code]))
            )
            links.append((f"Roles in {grant.borough.name}", reverse("accounts:roles-borough", args=[code])))
        if grant.role == Role.SITE_ADMIN:
            links.append(("Roles", reverse("accounts:roles")))
            links.append(("Audit log", reverse("accounts:audit-log")))
    return list(dict.fromkeys(links))


@access.role(*HOME_ROLES)
def staff_home(request):
    """Where officers, chairs and borough leads start: their places and what is waiting for them."""
    today = timezone.localdate()
    panels = staff_home_panels.panels_for(request.user, today)
    staff_pages = _staff_links(RoleGrant.objects.active().filter(user=request.user).select_related("ward", "borough"))
    return render(request, "accounts/staff_home.html", {"panels": panels, "staff_pages": staff_pages, "today": today})


@access.signed_in
def profile(request):
    user = request.user
    consents = {c.purpose: c.granted for c in user.consents.all()}
    roles = list(RoleGrant.objects.active().filter(user=user).select_related("ward", "cluster", "borough"))
    return render(
        request,
        "accounts/profile.html",
        {
            "staff_links": _staff_links(roles),
            "consent_form": ConsentForm(initial=consents),
            "token_form": TokenForm(),
            "tokens": user.api_tokens.filter(revoked_at__isnull=True),
            "new_token": request.session.pop("new_api_token", None),
            "roles": roles,
            "is_staff_person": is_staff_person(user),
            "has_device": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        },
    )


@access.signed_in
@require_POST
def consents(request):
    form = ConsentForm(request.POST)
    form.is_valid()
    for purpose in Purpose:
        services.set_consent(request.user, purpose, bool(form.cleaned_data.get(purpose.value)))
    messages.success(request, "Your choices are saved.")
    return redirect("accounts:profile")


@access.signed_in
def my_data(request):
    data = personal_data.export(request.user)
    response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="openward-my-data.json"'
    return response


@access.signed_in
def delete_account(request):
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        erasure.erase_account(request.user)
        logout(request)
        messages.success(request, "Your account is deleted. Your personal data has been erased.")
        return redirect("accounts:sign-in")
    return render(request, "accounts/delete.html", {"form": form}, status=400 if form.errors else 200)


@access.signed_in
@require_POST
def create_token(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the token a name.")
        return redirect("accounts:profile")
    if is_staff_person(request.user) and not second_factor_ok(request):
        return redirect(f"{reverse('accounts:two-factor')}?next={reverse('accounts:profile')}")
    request.session["new_api_token"] = services.create_api_token(
        request.user, form.cleaned_data["name"], second_factor=second_factor_ok(request)
    )
    return redirect("accounts:profile")


@access.signed_in
@require_POST
def revoke_token(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(request.user, token)
    messages.success(request, f"The token {token.name} no longer works.")
    return redirect("accounts:profile")


def _qr_svg(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    return qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string(encoding="unicode")


@access.signed_in
def two_factor(request):
    """Enrol an authenticator app (first time) or enter its current code to unlock staff pages."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False
        )
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.hit("otp-user", str(user.pk))
            # Counted as wrong until it proves right (then forgiven), so parallel guesses are bounded too.
            ratelimit.hit(
                "otp-wrong-user",
                str(user.pk),
                "Too many wrong codes today. Try again tomorrow, or ask your borough lead to check your "
                "authenticator app is set up.",
            )
        except ratelimit.RateLimited as exc:
            form.add_error("code", str(exc))
        else:
            code = "".join(ch for ch in form.cleaned_data["code"] if ch.isdigit())
            if device.verify_token(code):
                ratelimit.forgive("otp-wrong-user", str(user.pk))
                if enrolling:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    audit.record(user, "two_factor.enrolled", user)
                django_otp.login(request, device)
                messages.success(request, "Two-factor authentication passed.")
                return redirect(_safe_next(request, reverse(_home_for(user))))
            form.add_error("code", "That code is not right. Enter the 6 digits your app shows now.")
    context = {"form": form, "enrolling": enrolling, "next": _safe_next(request, "")}
    if enrolling:
        context["qr"] = _qr_svg(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor.html", context, status=400 if form.errors else 200)


def _managed_boroughs(user):
    if has_role(user, [Role.SITE_ADMIN]):
        return Borough.objects.all()
    ids = role_grants(user).filter(role=Role.BOROUGH_LEAD).values("borough")
    return Borough.objects.filter(pk__in=ids)


@access.role(Role.BOROUGH_LEAD, Role.SITE_ADMIN)
def roles_index(request):
    return render(
        request,
        "accounts/roles_index.html",
        {"boroughs": _managed_boroughs(request.user), "site_admin": has_role(request.user, [Role.SITE_ADMIN])},
    )


def _ward_choices(borough):
    wards = Ward.objects.filter(borough=borough).current().order_by("name")
    return [("", f"All of {borough.name}")] + [(w.gss_code, w.name) for w in wards]


@access.role(Role.BOROUGH_LEAD, area=access.borough_from("borough_code"))
def roles_borough(request, borough_code):
    borough = get_object_or_404(Borough, gss_code=borough_code)
    form = GrantRoleForm(request.POST or None)
    form.fields["ward"].choices = _ward_choices(borough)
    form.fields["ward"].required = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = borough
        if data["ward"]:
            place = Ward.objects.filter(borough=borough, gss_code=data["ward"]).current().first()
        person = User.objects.filter(email__iexact=data["email"].strip(), erased_at__isnull=True).first()
        if person is None:
            form.add_error("email", "Nobody has an account with that email address. Ask them to sign up first.")
        else:
            try:
                services.grant_role(request.user, person, data["role"], place)
            except services.RoleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{person.email} is now {Role(data['role']).label} for {place}.")
                return redirect("accounts:roles-borough", borough_code=borough.gss_code)
    grants = (
        RoleGrant.objects.active()
        .filter(models_q_for_borough(borough))
        .select_related("user", "ward", "borough", "cluster")
        .order_by("role", "ward__name")
    )
    if not has_role(request.user, [Role.SITE_ADMIN]):
        # The monitoring group's members are its chair's to manage (and to know), not the borough's police.
        grants = grants.exclude(role__in=MONITORING_ROLES)
    audit.record(request.user, "roles.viewed", borough, borough=borough.gss_code)
    return render(
        request,
        "accounts/roles_borough.html",
        {"borough": borough, "form": form, "grants": grants},
        status=400 if form.errors else 200,
    )


SITE_WIDE_ROLES = [Role.ANALYST, Role.SITE_ADMIN, Role.BOROUGH_LEAD, Role.MONITORING_REVIEWER]


@access.role(Role.SITE_ADMIN)
def roles_everywhere(request):
    """Site admins: roles held everywhere (analysts, other site admins)."""
    if request.method == "POST" and "revoke" in request.POST:
        revoke = RevokeRoleForm(request.POST, grants=RoleGrant.objects.active().filter(EVERYWHERE))
        if revoke.is_valid():
            services.revoke_role(request.user, revoke.cleaned_data["revoke"])
            messages.success(request, "The role is removed.")
        else:
            messages.error(request, " ".join(revoke.errors["revoke"]))
        return redirect("accounts:roles-everywhere")
    form = GrantRoleForm(request.POST or None)
    form.fields["role"].choices = [(r.value, r.label) for r in SITE_WIDE_ROLES]
    form.fields["ward"].required = False
    form.fields["ward"].choices = [("", "Everywhere")]
    if request.method == "POST" and form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"].strip(), erased_at__isnull=True).first()
        if person is None:
            form.add_error("email", "Nobody has an account with that email address. Ask them to sign up first.")
        else:
            try:
                services.grant_role(request.user, person, form.cleaned_data["role"], None)
            except services.RoleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{person.email} is now {Role(form.cleaned_data['role']).label} everywhere.")
                return redirect("accounts:roles-everywhere")
    grants = RoleGrant.objects.active().filter(EVERYWHERE).select_related("user").order_by("role")
    audit.record(request.user, "roles.viewed", None, place="everywhere")
    return render(
        request, "accounts/roles_everywhere.html", {"form": form, "grants": grants}, status=400 if form.errors else 200
    )


def models_q_for_borough(borough):
    from django.db.models import Q

    return Q(borough=borough) | Q(ward__borough=borough) | Q(cluster__borough=borough)


@access.role(Role.BOROUGH_LEAD, area=access.borough_from("borough_code"))
@require_POST
def revoke_role(request, borough_code, pk):
    grant = get_object_or_404(
        RoleGrant.objects.filter(models_q_for_borough(get_object_or_404(Borough, gss_code=borough_code))), pk=pk
    )
    try:
        services.revoke_role(request.user, grant)
    except services.RoleError as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, "The role is removed.")
    return redirect("accounts:roles-borough", borough_code=borough_code)


@access.role(Role.SITE_ADMIN)
def audit_log(request):
    events = AuditEvent.objects.select_related("actor")[:200]
    return render(request, "accounts/audit_log.html", {"events": events})


def _demo_available() -> bool:
    from .demo_data import DEMO_EMAIL_DOMAIN

    allowed = settings.DEBUG or settings.OPENWARD_DEMO_SIGN_IN
    return allowed and User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN).exists()


@access.public
def demo_sign_in(request):
    """Demo only (DEBUG or `make run`, with the demo loaded): sign in as any demo person without email."""
    from .demo_data import DEMO_EMAIL_DOMAIN, demo_people

    if not _demo_available():
        raise Http404("The demo sign-in exists only on a development server with the demo loaded.")
    if request.method == "POST":
        user = get_object_or_404(User, email=request.POST.get("email", ""), email__endswith="@" + DEMO_EMAIL_DOMAIN)
        login(request, user, backend=BACKEND)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            django_otp.login(request, device)
        messages.success(request, f"Signed in as the demo person {user.email}.")
        return redirect("accounts:staff-home" if has_staff_home(user) else "verification:wards")
    return render(request, "accounts/demo_sign_in.html", {"people": demo_people()})
