from django.urls import path

from . import views

app_name = "census"
urlpatterns = [path("<str:geography>/<str:code>/", views.area, name="area")]
