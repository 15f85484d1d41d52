"""Verification pages: your wards, letters and codes, in-person checks, letter batches, review."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_POST

from openward.accounts import ratelimit
from openward.accounts.identity import show_code
from openward.accounts.models import Role
from openward.areas.models import Borough
from openward.core import access, audit
from openward.core.values import InvalidPostcode

from . import services
from .forms import CodeForm, InPersonForm, JoinWardForm, LetterForm, ReferenceForm, ReviewForm
from .letters import batch_pdf
from .models import AddressLetter, LetterBatch, Membership
from .places import PostcodeNotInWard, ward_for_postcode

IN_PERSON_ROLES = (Role.OFFICER, Role.PCSO, Role.PANEL_CHAIR, Role.PANEL_VICE_CHAIR)
ward_area = access.ward_from("gss_code")
borough_area = access.borough_from("borough_code")


def _ward_page(ward) -> str | None:
    """The public ward page's address, if the areas app serves one."""
    path = f"/wards/{ward.gss_code}/"
    try:
        resolve(path)
    except Resolver404:
        return None
    return path


def _status(form):
    return 400 if form.errors else 200


@access.signed_in
def wards(request):
    memberships = list(Membership.objects.filter(user=request.user).select_related("ward__borough"))
    rows = []
    for m in memberships:
        grant = m.current_grant()
        rows.append(
            {
                "membership": m,
                "grant": grant,
                "level": grant.level if grant else 0,
                "ward_page": _ward_page(m.ward),
                "letter": m.letters.pending().first(),
            }
        )
    return render(
        request,
        "verification/wards.html",
        {"rows": rows, "join_form": JoinWardForm(), "confirmed": request.user.is_confirmed},
    )


@access.signed_in
def join(request):
    form = JoinWardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            postcode, ward = ward_for_postcode(form.cleaned_data["postcode"])
            services.join_ward(
                request.user,
                ward,
                postcode=postcode.compact,
                relationship=form.cleaned_data["relationship"],
                is_home=form.cleaned_data["home"],
            )
        except (InvalidPostcode, PostcodeNotInWard) as exc:
            form.add_error("postcode", str(exc))
        except services.VerificationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{ward.name} is added to your wards.")
            return redirect("verification:wards")
    return render(request, "verification/join.html", {"form": form}, status=_status(form))


@access.signed_in
@require_POST
def leave(request, pk):
    membership = get_object_or_404(Membership, pk=pk, user=request.user)
    try:
        services.leave_ward(request.user, membership)
    except services.VerificationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{membership.ward.name} is removed from your wards.")
    return redirect("verification:wards")


@access.signed_in
def request_letter(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("ward"), pk=pk, user=request.user)
    form = LetterForm(request.POST or None, initial={"postcode": membership.postcode})
    if request.method == "POST" and form.is_valid():
        try:
            services.request_letter(request.user, membership, **form.cleaned_data)
        except (InvalidPostcode, PostcodeNotInWard) as exc:
            form.add_error("postcode", str(exc))
        except services.VerificationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "We will post a letter with a code to that address. When it arrives, enter the code here."
            )
            return redirect("verification:code")
    return render(request, "verification/letter.html", {"form": form, "membership": membership}, status=_status(form))


@access.signed_in
def enter_code(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.confirm_letter_code(
                request.user, form.cleaned_data["code"], ip=ratelimit.client_ip(request)
            )
        except (services.VerificationError, ratelimit.RateLimited) as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, f"Your address in {grant.membership.ward.name} is verified.")
            return redirect("verification:wards")
    return render(request, "verification/code.html", {"form": form}, status=_status(form))


@access.signed_in
@require_POST
def in_person_reference(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("ward"), pk=pk, user=request.user)
    try:
        reference = services.issue_in_person_reference(request.user, membership)
    except services.VerificationError as exc:
        messages.error(request, str(exc))
        return redirect("verification:wards")
    return render(request, "verification/reference.html", {"reference": show_code(reference), "membership": membership})


@access.role(*IN_PERSON_ROLES, area=ward_area)
def verify_in_person(request, gss_code):
    """Staff: look up the reference a person shows, check their evidence, grant level 2."""
    ward = ward_area(request, gss_code=gss_code)
    reference = None
    lookup = ReferenceForm(request.GET or None)
    form = None
    if "method" in request.POST:
        form = InPersonForm(request.POST)
        try:
            reference = services.find_reference(request.user, ward, request.POST.get("reference", ""))
        except (services.VerificationError, ratelimit.RateLimited) as exc:
            form.add_error(None, str(exc))
        if reference is not None and form.is_valid():
            try:
                data = form.cleaned_data
                services.verify_in_person(
                    request.user,
                    reference,
                    method=data["method"],
                    identity=data["identity"],
                    address_proof=data["address_proof"],
                    note=data["note"],
                )
            except services.VerificationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Verified: a resident of {ward.name}, level 2.")
                return redirect("verification:in-person", gss_code=ward.gss_code)
    elif lookup.is_bound and lookup.is_valid():
        try:
            reference = services.find_reference(request.user, ward, lookup.cleaned_data["reference"])
        except (services.VerificationError, ratelimit.RateLimited) as exc:
            lookup.add_error("reference", str(exc))
        else:
            form = InPersonForm(initial={"reference": lookup.cleaned_data["reference"]})
    context = {"ward": ward, "lookup": lookup, "form": form, "reference": reference}
    status = 400 if (lookup.errors or (form is not None and form.errors)) else 200
    return render(request, "verification/in_person.html", context, status=status)


@access.role(*IN_PERSON_ROLES, Role.BOROUGH_LEAD, area=ward_area)
def review(request, gss_code):
    """Staff: memberships flagged by a boundary change or a shared address, with the least personal data."""
    ward = ward_area(request, gss_code=gss_code)
    if request.method == "POST":
        form = ReviewForm(request.POST, flagged=Membership.objects.filter(ward=ward, needs_review=True))
        if form.is_valid():
            services.resolve_review(request.user, form.cleaned_data["membership"], note=form.cleaned_data["note"])
            messages.success(request, "Marked as reviewed.")
        else:
            messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("verification:review", gss_code=ward.gss_code)
    flagged = list(Membership.objects.filter(ward=ward).needing_review().with_level())
    audit.record(request.user, "review.viewed", None, ward_code=ward.gss_code, memberships=len(flagged))
    return render(request, "verification/review.html", {"ward": ward, "flagged": flagged})


@access.role(Role.BOROUGH_LEAD, area=borough_area)
def letter_batches(request, borough_code):
    borough = get_object_or_404(Borough, gss_code=borough_code)
    if request.method == "POST":
        batch = services.create_letter_batch(request.user, borough)
        if batch is None:
            messages.info(request, "There are no letters waiting to be printed.")
        else:
            messages.success(request, f"Batch {batch.pk}: {batch.letter_count} letters ready to print.")
        return redirect("verification:letters", borough_code=borough.gss_code)
    waiting = AddressLetter.objects.unbatched().filter(membership__ward__borough=borough).count()
    batches = LetterBatch.objects.filter(borough=borough)[:50]
    return render(request, "verification/letters.html", {"borough": borough, "waiting": waiting, "batches": batches})


@access.role(Role.BOROUGH_LEAD, area=borough_area)
def letter_batch_pdf(request, borough_code, pk):
    batch = get_object_or_404(LetterBatch, pk=pk, borough__gss_code=borough_code)
    audit.record(request.user, "letters.printed", batch, borough=borough_code)
    response = HttpResponse(batch_pdf(batch), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="openward-letters-{batch.pk}.pdf"'
    return response


@access.role(Role.BOROUGH_LEAD, area=borough_area)
@require_POST
def letter_batch_posted(request, borough_code, pk):
    batch = get_object_or_404(LetterBatch, pk=pk, borough__gss_code=borough_code)
    services.mark_batch_posted(request.user, batch)
    messages.success(request, f"Batch {batch.pk} is marked as posted; its codes are no longer kept.")
    return redirect("verification:letters", borough_code=borough_code)
