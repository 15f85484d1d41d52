from django.urls import path

from . import views

app_name = "crime"
urlpatterns = [
    path("wards/<str:code>/", views.ward_crime, name="ward"),
    path("boroughs/<str:code>/", views.borough_crime, name="borough"),
    path("clusters/<slug:slug>/", views.cluster_crime, name="cluster"),
    path("forces/<slug:slug>/", views.force_crime, name="force"),
    path("area/", views.drawn_area_crime, name="area"),
]
