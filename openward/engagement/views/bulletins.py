"""Bulletins: the list, one bulletin and its images, writing and correcting one (with a preview)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render

from openward.accounts.permissions import has_role
from openward.areas.selectors import ward_or_404
from openward.core import access

from .. import forms, html, places
from ..models import Bulletin, BulletinImage
from ..services import bulletins as bulletins_services
from .common import errors_text


@access.public
def bulletin_list(request):
    bulletins = Bulletin.objects.published()
    area = None
    if request.GET.get("ward"):
        area = ward_or_404(request.GET["ward"])
        bulletins = bulletins.for_ward(area)
    return render(request, "engagement/bulletin_list.html", {"bulletins": bulletins[:100], "ward": area})


@access.public
def bulletin_detail(request, pk):
    bulletin = get_object_or_404(Bulletin.objects.exclude(status=Bulletin.Status.DRAFT), pk=pk)
    areas = bulletin.areas()
    can_edit = bool(areas) and bulletin.status == Bulletin.Status.PUBLISHED
    return render(
        request,
        "engagement/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "images": bulletin.images.all(),
            "reply_form": forms.ReplyForm(),
            "can_edit": can_edit and has_role(request.user, places.TEAM_ROLES, areas[0]),
        },
    )


@access.public
def bulletin_image(request, pk):
    image = get_object_or_404(BulletinImage.objects.exclude(bulletin__status=Bulletin.Status.DRAFT), pk=pk)
    response = FileResponse(image.image.open("rb"), content_type=image.content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _bulletin_form_kwargs(user) -> dict:
    wards, clusters, boroughs = places.own_places(user, places.TEAM_ROLES)
    return {
        "wards": places.wards_for(user, places.TEAM_ROLES),
        "clusters": places.clusters_for(user, places.TEAM_ROLES),
        "boroughs": places.boroughs_for(user, places.TEAM_ROLES),
        "own_places": [*wards, *clusters, *boroughs],
    }


def _preview(request, form) -> str | None:
    """The text as it will read, when the author asked to preview instead of publishing."""
    if request.method == "POST" and "preview" in request.POST and form.is_valid():
        return html.render_markdown(form.cleaned_data["body_markdown"])
    return None


@access.role(*places.TEAM_ROLES)
def bulletin_new(request):
    form = forms.BulletinForm(request.POST or None, request.FILES or None, **_bulletin_form_kwargs(request.user))
    preview = _preview(request, form)
    if request.method == "POST" and preview is None and form.is_valid():
        data = form.cleaned_data
        images = [(data["image"], data["image_alt"])] if data.get("image") else []
        try:
            bulletin = bulletins_services.publish_bulletin(request.user, form.bulletin_fields(), images=images)
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, "The bulletin is published; subscribers are being emailed.")
            return redirect(bulletin)
    return render(request, "engagement/bulletin_form.html", {"form": form, "preview": preview})


@access.role(*places.TEAM_ROLES, area=places.of_bulletin)
def bulletin_edit(request, pk):
    bulletin = get_object_or_404(Bulletin.objects.filter(status=Bulletin.Status.PUBLISHED), pk=pk)
    initial = bulletins_services.bulletin_fields(bulletin).as_dict()
    form = forms.BulletinRevisionForm(request.POST or None, initial=initial, **_bulletin_form_kwargs(request.user))
    preview = _preview(request, form)
    if request.method == "POST" and preview is None and form.is_valid():
        try:
            bulletins_services.revise_bulletin(request.user, bulletin, form.bulletin_fields())
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, "The bulletin is updated. Nobody is emailed again; the page says it was updated.")
            return redirect(bulletin)
    return render(request, "engagement/bulletin_form.html", {"form": form, "preview": preview, "bulletin": bulletin})
