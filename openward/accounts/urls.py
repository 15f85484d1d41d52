from django.contrib.auth import views as auth_views
from django.urls import path

from openward.core import access

from . import views

app_name = "accounts"
urlpatterns = [
    path(
        "sign-in/", access.public(auth_views.LoginView.as_view(template_name="accounts/sign_in.html")), name="sign-in"
    ),
    path("sign-out/", access.public(auth_views.LogoutView.as_view()), name="sign-out"),
    path("profile/", views.profile, name="profile"),
]
