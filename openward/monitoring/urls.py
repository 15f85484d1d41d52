from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("boroughs/<str:borough_code>/", views.public_summaries, name="public"),
    path("boroughs/<str:borough_code>/work/", views.group_work, name="work"),
    path("boroughs/<str:borough_code>/samples/<int:pk>/", views.sample_page, name="sample"),
    path("boroughs/<str:borough_code>/samples/<int:pk>/stops.csv", views.sample_csv, name="sample-csv"),
    path("boroughs/<str:borough_code>/members/", views.members_page, name="members"),
    path("boroughs/<str:borough_code>/meetings/", views.meetings_page, name="meetings"),
    path("boroughs/<str:borough_code>/meetings/<int:pk>/", views.meeting_page, name="meeting"),
]
