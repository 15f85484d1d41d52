from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/", include("openward.accounts.urls")),
    path("verify/", include("openward.verification.urls")),
    path("crime/", include("openward.crime.urls")),
    path("engagement/", include("openward.engagement.urls")),
    path("notifications/", include("openward.notifications.urls")),
    path("priorities/", include("openward.priorities.urls")),
    path("patrols/", include("openward.patrols.urls")),
    path("census/", include("openward.census.urls")),
    path("commitments/", include("openward.commitments.urls")),
    path("monitoring/", include("openward.monitoring.urls")),
    path("", include("openward.areas.urls")),
]
