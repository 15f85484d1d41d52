"""Monitoring group pages: the public summaries, and the group's own work (members only)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404, redirect, render

from openward.accounts.models import Role
from openward.core import access

from . import services
from .forms import DrawForm, SampleButtonsForm
from .models import Answer, MonitoringGroup, ReviewSample
from .summary import summary_lines

MEMBERS = access.role(Role.MONITORING_GROUP, area=access.borough_from("borough_code"))


def _group(borough_code: str) -> MonitoringGroup:
    return get_object_or_404(MonitoringGroup.objects.select_related("borough"), borough__gss_code=borough_code)


@access.public
def public_summaries(request, borough_code: str):
    group = _group(borough_code)
    samples = group.samples.filter(published_at__isnull=False).prefetch_related("actions")
    published = [(s, summary_lines(s)) for s in samples]
    return render(request, "monitoring/public.html", {"group": group, "published": published})


def _month(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        raise services.MonitoringError(f'"{text[:20]}" is not a month. Write it as YYYY-MM, e.g. 2018-06.') from None


@MEMBERS
def group_work(request, borough_code: str):
    group = _group(borough_code)
    problem, status = "", 200
    if request.method == "POST":
        form = DrawForm(request.POST)
        try:
            if not form.is_valid():
                raise services.MonitoringError(form.problem())
            month = _month(form.cleaned_data["month"])
            sample = services.draw_sample(request.user, group, month, form.cleaned_data["size"])
            return redirect("monitoring:sample", borough_code=borough_code, pk=sample.pk)
        except services.MonitoringError as exc:
            problem, status = str(exc), 400
    return render(
        request,
        "monitoring/work.html",
        {"group": group, "samples": group.samples.all(), "problem": problem, "asked": request.POST},
        status=status,
    )


@MEMBERS
def sample_page(request, borough_code: str, pk: int):
    group = _group(borough_code)
    sample = get_object_or_404(ReviewSample, pk=pk, group=group)
    problem, status = "", 200
    if request.method == "POST":
        post = request.POST
        buttons = SampleButtonsForm(post)
        ids = buttons.cleaned_data if buttons.is_valid() else {"sampled": None, "action": None}
        try:
            sampled = sample.stops.filter(pk=ids["sampled"]).first() if ids["sampled"] else None
            do = post.get("do")
            if do in ("review", "grounds") and sampled is None:
                raise services.MonitoringError("That stop is not in this sample.")
            if do == "review":
                services.review_stop(
                    request.user,
                    sampled,
                    grounds_clear=post.get("grounds_clear", ""),
                    video_seen=post.get("video_seen", ""),
                    outcome_proportionate=post.get("outcome_proportionate", ""),
                    concerns=post.get("concerns", ""),
                )
            elif do == "grounds":
                services.add_grounds(request.user, sampled, post.get("text", ""))
            elif do == "publish":
                services.publish_summary(request.user, sample)
            elif do == "respond":
                services.record_force_response(request.user, sample, post.get("text", ""))
            elif do == "action":
                services.add_action(request.user, sample, post.get("what", ""), post.get("owner", ""))
            elif do == "done":
                action = sample.actions.filter(pk=ids["action"]).first() if ids["action"] else None
                if action is None:
                    raise services.MonitoringError("That action is not in this sample.")
                services.complete_action(request.user, action, dt.date.today())
            else:
                raise services.MonitoringError("Choose what to do.")
            return redirect("monitoring:sample", borough_code=borough_code, pk=sample.pk)
        except services.MonitoringError as exc:
            problem, status = str(exc), 400
    stops = sample.stops.select_related("stop", "review").prefetch_related("grounds")
    context = {
        "group": group,
        "sample": sample,
        "stops": stops,
        "answers": Answer.choices,
        "lines": summary_lines(sample),
        "problem": problem,
    }
    return render(request, "monitoring/sample.html", context, status=status)
