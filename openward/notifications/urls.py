from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/<str:token>/", views.preferences_by_link, name="preferences-by-link"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
