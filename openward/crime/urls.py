from django.urls import path

from . import hotspot_views, stopsearch_views, views

app_name = "crime"
urlpatterns = [
    path("wards/<str:code>/", views.ward_crime, name="ward"),
    path("boroughs/<str:code>/", views.borough_crime, name="borough"),
    path("clusters/<slug:slug>/", views.cluster_crime, name="cluster"),
    path("forces/<slug:slug>/", views.force_crime, name="force"),
    path("area/", views.drawn_area_crime, name="area"),
    path("hotspots/wards/<str:code>/", hotspot_views.ward_hot_spots, name="hotspots-ward"),
    path("hotspots/boroughs/<str:code>/", hotspot_views.borough_hot_spots, name="hotspots-borough"),
    path("hotspots/clusters/<slug:slug>/", hotspot_views.cluster_hot_spots, name="hotspots-cluster"),
    path("hotspots/forces/<slug:slug>/", hotspot_views.force_hot_spots, name="hotspots-force"),
    path("hotspots/area/", hotspot_views.drawn_area_hot_spots, name="hotspots-area"),
    path("stop-search/wards/<str:code>/", stopsearch_views.ward_stop_search, name="stop-search-ward"),
    path("stop-search/boroughs/<str:code>/", stopsearch_views.borough_stop_search, name="stop-search-borough"),
    path("stop-search/forces/<slug:slug>/", stopsearch_views.force_stop_search, name="stop-search-force"),
    path("demand/boroughs/<str:code>/", hotspot_views.borough_demand, name="demand-borough"),
]
