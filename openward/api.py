"""The one API object: Open Ward's own API under /api/v1/, police.uk-compatible under /api/."""

import logging

from django.core.exceptions import PermissionDenied
from django.core.signals import got_request_exception
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI

from openward.accounts.api import router as accounts_router
from openward.api_docs import Reference
from openward.areas.api import router as areas_router
from openward.census.api import router as census_router
from openward.commitments.api import router as commitments_router
from openward.core import access
from openward.crime.api import router as crime_router
from openward.crime.hotspot_api import router as hotspot_router
from openward.crime.stopsearch_api import router as stopsearch_router
from openward.engagement.api import router as engagement_router
from openward.monitoring.api import router as monitoring_router
from openward.notifications.api import router as notifications_router
from openward.policeuk.api import router as policeuk_router
from openward.policeuk.sync_api import router as policeuk_sync_router
from openward.priorities.api import router as priorities_router
from openward.verification.api import router as verification_router

api = NinjaAPI(
    title="Open Ward API",
    version="1",
    description="Open Ward's own API (under /api/v1/) and a read API compatible with data.police.uk (under /api/).",
    urls_namespace="api",
    docs=Reference(),
)


@api.exception_handler(access.NotSignedIn)
def not_signed_in(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=401)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "You may not do this."}, status=403)


@api.exception_handler(MultiPartParserError)
def unreadable_form_data(request, exc):
    """A multipart body Django cannot parse (no boundary, cut short) is the caller's mistake, as on pages."""
    return api.create_response(
        request,
        {"detail": f"The form data cannot be read ({exc}). Send it as multipart/form-data, with its boundary."},
        status=400,
    )


@api.exception_handler(Exception)
def server_error(request, exc):
    """An unexpected failure: logged with its traceback as Django logs any 500, answered without it
    (ninja's default shows the traceback to the caller when DEBUG is on)."""
    logging.getLogger("django.request").error(
        "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request}
    )
    got_request_exception.send(sender=None, request=request)
    return api.create_response(
        request, {"detail": "Something went wrong on our side. It has been logged; please try again later."}, status=500
    )


@api.get("/v1/health", tags=["meta"], summary="Service health")
@access.public
def health(request):
    return {"status": "ok"}


api.add_router("/v1/", areas_router)
api.add_router("/v1/", crime_router)
api.add_router("/v1/", hotspot_router)
api.add_router("/v1/", stopsearch_router)
api.add_router("/v1/", accounts_router)
api.add_router("/v1/", verification_router)
api.add_router("/v1/", engagement_router)
api.add_router("/v1/", notifications_router)
api.add_router("/v1/", priorities_router)
api.add_router("/v1/", census_router)
api.add_router("/v1/", commitments_router)
api.add_router("/v1/", monitoring_router)
api.add_router("/v1/", policeuk_sync_router)
# Last: its `{force}/{neighbourhood}` routes would shadow anything added after them.
api.add_router("/", policeuk_router)
