from django.urls import path

from . import views

app_name = "areas"
urlpatterns = [
    path("", views.home, name="home"),
    path("wards/<str:code>/", views.ward_detail, name="ward"),
    path("boroughs/", views.borough_list, name="boroughs"),
    path("boroughs/<str:code>/", views.borough_detail, name="borough"),
    path("clusters/<str:slug>/", views.cluster_detail, name="cluster"),
]
