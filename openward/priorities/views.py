"""Pages: consultations and voting, results, and "You said, we did" for wards, clusters and boroughs."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openward.areas.models import Borough, Cluster
from openward.areas.selectors import ward_or_404
from openward.core import access, csvsafe, sections
from openward.core.models import AuditEvent
from openward.crime.harm import harm_change

from . import evidence, exports, selectors, services
from .forms import ActionForm, BallotForm, ConsultationForm, PriorityForm, ReviewForm
from .models import MAX_OPEN_PRIORITIES, Concern, Consultation, Priority
from .places import cluster_area, consultation_area, priority_area, ward_area
from .results import free_text, published_results
from .services import Refused


def _refused(form, exc: Refused):
    form.add_error(None, str(exc))


# -- public pages ----------------------------------------------------------------------------


@access.public
def ward_page(request, gss_code):
    ward = ward_or_404(gss_code)
    context = selectors.you_said_we_did([ward])
    context.update(
        area=ward,
        kind="ward",
        multi=False,
        can_manage=selectors.can_manage(request.user, ward),
        can_record_actions=selectors.can_record_actions(request.user, ward),
    )
    return render(request, "priorities/area.html", context)


@access.public
def cluster_page(request, cluster_slug):
    cluster = get_object_or_404(Cluster, slug=cluster_slug)
    context = selectors.you_said_we_did(cluster.wards.all())
    context.update(area=cluster, kind="cluster", multi=True, can_manage=selectors.can_manage(request.user, cluster))
    return render(request, "priorities/area.html", context)


@access.public
def borough_page(request, borough_code):
    borough = get_object_or_404(Borough, gss_code=borough_code)
    context = selectors.you_said_we_did(borough.wards.all())
    context.update(area=borough, kind="borough", multi=True, can_manage=False)
    return render(request, "priorities/area.html", context)


def _receipt_cookie(consultation) -> str:
    return f"ballot-receipt-{consultation.pk}"


@access.public
def consultation_detail(request, consultation_id):
    consultation = get_object_or_404(Consultation.objects.select_related("ward", "cluster"), pk=consultation_id)
    context = {
        "consultation": consultation,
        "status": consultation.status(),
        "has_voted": services.has_voted(request.user, consultation),
        "holds_receipt": bool(request.COOKIES.get(_receipt_cookie(consultation))),
        "can_manage": selectors.can_manage(request.user, consultation.area),
    }
    if consultation.is_closed():
        context["results"] = published_results(consultation)
        if context["can_manage"]:
            context["free_text"] = free_text(consultation)
    return render(request, "priorities/consultation.html", context)


@access.public
def consultation_csv(request, consultation_id):
    consultation = get_object_or_404(Consultation, pk=consultation_id)
    if not consultation.is_closed():
        raise Http404("Results are published when the consultation closes.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.pk}-results.csv"'
    csvsafe.writer(response).writerows(exports.result_rows(published_results(consultation)))
    return response


@access.public
def priority_detail(request, priority_id):
    priority = get_object_or_404(
        Priority.objects.select_related("ward", "concern", "consultation", "carried_from").prefetch_related("actions"),
        pk=priority_id,
    )
    review = getattr(priority, "review", None)
    review_harm = None
    if review is not None and review.before_count is not None and review.after_start is not None:

        def measured(start, end):
            counts = evidence.counts_by_category([priority.ward], start, end)
            return {slug: counts.get(slug, 0) for slug in priority.crime_categories}

        review_harm = harm_change(
            measured(review.after_start, review.after_end), measured(review.before_start, review.before_end)
        )
    history = AuditEvent.objects.filter(target_type="priorities.priority", target_id=str(priority.pk)).order_by(
        "created_at", "id"
    )
    return render(
        request,
        "priorities/priority.html",
        {
            "priority": priority,
            "history": history,
            "comparison": review.comparison() if review else None,
            "review_harm": review_harm,
            "can_manage": selectors.can_manage(request.user, priority.ward),
            "can_record_actions": selectors.can_record_actions(request.user, priority.ward),
            "category_names": evidence.category_names(priority.crime_categories),
            # Other apps' parts of the review (patrol plans and their evaluation), without importing them.
            "sections": [
                render_to_string(s["template"], {"priority": priority, **s["context"]}, request=request)
                for s in sections.render_context("priority", priority, request)
            ],
        },
    )


# -- residents ---------------------------------------------------------------------------------


@access.signed_in
def vote(request, consultation_id):
    consultation = get_object_or_404(Consultation, pk=consultation_id)
    form = BallotForm(consultation, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.cast_ballot(
                request.user,
                consultation,
                form.choices(),
                other_text=form.cleaned_data.get("other_text", ""),
                demographics=form.demographics(),
                receipt=request.COOKIES.get(_receipt_cookie(consultation), ""),
            )
        except Refused as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Your choices are recorded. You can change them until the consultation closes.")
            response = redirect("priorities:consultation", consultation_id=consultation.pk)
            # The receipt lives only in this browser: the server keeps nothing that finds the ballot.
            response.set_cookie(
                _receipt_cookie(consultation),
                receipt,
                expires=consultation.closes_at,
                path=reverse("priorities:consultation", args=[consultation.pk]),
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
            return response
    status = 200 if not form.errors else 400
    problem, _ = services.why_cannot_vote(request.user, consultation)
    if problem is None and services.has_voted(request.user, consultation):
        if not request.COOKIES.get(_receipt_cookie(consultation)):
            problem = (
                "You have already taken part. Your choices can be changed only from the browser you voted from: "
                "nothing on our side records which ballot is yours."
            )
    context = {"consultation": consultation, "form": form, "problem": problem}
    return render(request, "priorities/vote.html", context, status=status)


# -- panels and officers -------------------------------------------------------------------------


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _new_consultation(request, *, ward=None, cluster=None):
    area = ward or cluster
    form = ConsultationForm(
        # A fresh query: the form class's own queryset would cache its rows for the life of the process.
        request.POST or None,
        initial={"concerns": list(Concern.objects.active())},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.create_consultation(
                request.user,
                ward=ward,
                cluster=cluster,
                title=data["title"],
                question=data["question"],
                opens_at=_day_start(data["opens_on"]),
                closes_at=_day_start(data["closes_on"]),
                min_level=data["min_level"],
                concerns=data["concerns"],
                allow_free_text=data["allow_free_text"],
                ask_demographics=data["ask_demographics"],
            )
        except Refused as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Consultation created.")
            return redirect("priorities:consultation", consultation_id=consultation.pk)
    status = 200 if not form.errors else 400
    return render(request, "priorities/consultation_form.html", {"form": form, "area": area}, status=status)


@access.role(*selectors.PANEL_ROLES, area=ward_area)
def consultation_new_for_ward(request, gss_code):
    return _new_consultation(request, ward=ward_or_404(gss_code))


@access.role(*selectors.PANEL_ROLES, area=cluster_area)
def consultation_new_for_cluster(request, cluster_slug):
    return _new_consultation(request, cluster=get_object_or_404(Cluster, slug=cluster_slug))


# The access check comes first, so a refused person is refused whatever the method.
@access.role(*selectors.PANEL_ROLES, area=consultation_area)
@require_POST
def consultation_close(request, consultation_id):
    consultation = get_object_or_404(Consultation, pk=consultation_id)
    try:
        services.close_consultation(request.user, consultation)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The consultation is closed and its results are published.")
    return redirect("priorities:consultation", consultation_id=consultation.pk)


def _priority_initial(request, ward) -> dict:
    """A priority started from a consultation's result: that consultation and concern, chosen already."""
    initial = {"agreed_on": timezone.localdate()}
    consultation = PriorityForm.consultation_for(ward, request.GET.get("consultation"))
    if consultation is not None:
        initial["consultation"] = consultation
        concern = consultation.concerns.filter(pk=_int(request.GET.get("concern"))).first()
        if concern is not None:
            initial["concern"] = concern
            initial["statement"] = f"Tackle {concern.name.lower()}"
    return initial


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@access.role(*selectors.PANEL_ROLES, area=ward_area)
def priority_new(request, gss_code):
    ward = ward_or_404(gss_code)
    form = PriorityForm(ward, request.POST or None, initial=_priority_initial(request, ward))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            priority = services.set_priority(
                request.user,
                ward,
                statement=data["statement"],
                agreed_on=data["agreed_on"],
                review_on=data["review_on"],
                concern=data["concern"],
                consultation=data["consultation"],
                meeting=data["meeting"],
                meeting_ref=data["meeting_ref"],
                evidence_note=data["evidence_note"],
            )
        except Refused as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Priority set.")
            return redirect("priorities:priority", priority_id=priority.pk)
    status = 200 if not form.errors else 400
    open_priorities = list(Priority.objects.for_ward(ward).open())
    full = services.full_message(ward) if len(open_priorities) >= MAX_OPEN_PRIORITIES else ""
    context = {"form": form, "ward": ward, "full": full, "open_priorities": open_priorities}
    return render(request, "priorities/priority_form.html", context, status=status)


def _priority_form_page(request, priority_id, form_class, initial, service, *, done, heading, button, about=None):
    """A form about one priority that calls one service: shared by recording actions and reviews.

    `about(priority)`, when given, is the text shown above the form (worked out only when the form is shown)."""
    priority = get_object_or_404(Priority, pk=priority_id)
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            service(request.user, priority, **form.cleaned_data)
        except Refused as exc:
            _refused(form, exc)
        else:
            messages.success(request, done)
            return redirect("priorities:priority", priority_id=priority.pk)
    return render(
        request,
        "priorities/simple_form.html",
        {
            "form": form,
            "priority": priority,
            "heading": heading,
            "button": button,
            "about": about(priority) if about else "",
        },
        status=400 if form.errors else 200,
    )


@access.role(*selectors.ACTION_ROLES, area=priority_area)
def action_new(request, priority_id):
    return _priority_form_page(
        request,
        priority_id,
        ActionForm,
        {"taken_on": timezone.localdate()},
        services.record_action,
        done="Action recorded.",
        heading="Record an action",
        button="Record action",
    )


@access.role(*selectors.PANEL_ROLES, area=priority_area)
def priority_review(request, priority_id):
    return _priority_form_page(
        request,
        priority_id,
        ReviewForm,
        {"reviewed_on": timezone.localdate()},
        services.review_priority,
        done="Priority reviewed.",
        heading="Review this priority",
        button="Save review",
        about=services.data_for_review,
    )
