from django.urls import path

from . import views

app_name = "verification"
urlpatterns = [
    path("", views.wards, name="wards"),
    path("add/", views.join, name="join"),
    path("wards/<int:pk>/leave/", views.leave, name="leave"),
    path("wards/<int:pk>/letter/", views.request_letter, name="letter"),
    path("wards/<int:pk>/in-person/", views.in_person_reference, name="reference"),
    path("code/", views.enter_code, name="code"),
    path("staff/wards/<str:gss_code>/in-person/", views.verify_in_person, name="in-person"),
    path("staff/wards/<str:gss_code>/review/", views.review, name="review"),
    path("staff/boroughs/<str:borough_code>/letters/", views.letter_batches, name="letters"),
    path("staff/boroughs/<str:borough_code>/letters/<int:pk>.pdf", views.letter_batch_pdf, name="letters-pdf"),
    path(
        "staff/boroughs/<str:borough_code>/letters/<int:pk>/posted/", views.letter_batch_posted, name="letters-posted"
    ),
]
