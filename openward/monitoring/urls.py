from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("boroughs/<str:borough_code>/", views.public_summaries, name="public"),
    path("boroughs/<str:borough_code>/work/", views.group_work, name="work"),
    path("boroughs/<str:borough_code>/samples/<int:pk>/", views.sample_page, name="sample"),
]
