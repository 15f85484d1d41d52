from django.urls import path

from . import views

app_name = "priorities"
urlpatterns = [
    path("ward/<str:gss_code>/", views.ward_page, name="ward"),
    path("ward/<str:gss_code>/consultations/new/", views.consultation_new_for_ward, name="consultation-new-ward"),
    path("ward/<str:gss_code>/priorities/new/", views.priority_new, name="priority-new"),
    path("cluster/<slug:cluster_slug>/", views.cluster_page, name="cluster"),
    path(
        "cluster/<slug:cluster_slug>/consultations/new/",
        views.consultation_new_for_cluster,
        name="consultation-new-cluster",
    ),
    path("borough/<str:borough_code>/", views.borough_page, name="borough"),
    path("consultations/<int:consultation_id>/", views.consultation_detail, name="consultation"),
    path("consultations/<int:consultation_id>/vote/", views.vote, name="vote"),
    path("consultations/<int:consultation_id>/close/", views.consultation_close, name="consultation-close"),
    path("consultations/<int:consultation_id>/results.csv", views.consultation_csv, name="consultation-csv"),
    path("<int:priority_id>/", views.priority_detail, name="priority"),
    path("<int:priority_id>/actions/new/", views.action_new, name="action-new"),
    path("<int:priority_id>/review/", views.priority_review, name="review"),
]
