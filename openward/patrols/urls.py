from django.urls import path

from . import views

app_name = "patrols"
urlpatterns = [
    path("ward/<str:gss_code>/new/", views.plan_new_for_ward, name="plan-new-ward"),
    path("cluster/<slug:cluster_slug>/new/", views.plan_new_for_cluster, name="plan-new-cluster"),
    path("<int:plan_id>/", views.plan_detail, name="plan"),
    path("<int:plan_id>/visits/new/", views.visit_new, name="visit-new"),
    path("<int:plan_id>/cite/", views.cite, name="cite"),
]
