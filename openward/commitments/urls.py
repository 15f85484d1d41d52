from django.urls import path

from . import views

app_name = "commitments"
urlpatterns = [
    path("", views.commitment_list, name="list"),
    path("claim-check/", views.claim_check, name="claim-check"),
    path("<int:pk>/", views.commitment_detail, name="detail"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("boroughs/<str:borough_code>/new/", views.new_commitment, name="new"),
    path("boroughs/<str:borough_code>/<int:pk>/review/", views.review, name="review"),
]
