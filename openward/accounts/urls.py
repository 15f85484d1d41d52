from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-up/", views.sign_up, name="sign-up"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("check-your-email/", views.check_email, name="check-email"),
    path("link/<str:token>/", views.use_link, name="link"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("profile/", views.profile, name="profile"),
    path("staff/", views.staff_home, name="staff-home"),
    path("consents/", views.consents, name="consents"),
    path("my-data.json", views.my_data, name="my-data"),
    path("delete/", views.delete_account, name="delete"),
    path("tokens/", views.create_token, name="create-token"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke-token"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("roles/", views.roles_index, name="roles"),
    path("roles/everywhere/", views.roles_everywhere, name="roles-everywhere"),
    path("roles/<str:borough_code>/", views.roles_borough, name="roles-borough"),
    path("roles/<str:borough_code>/<int:pk>/revoke/", views.revoke_role, name="revoke-role"),
    path("audit/", views.audit_log, name="audit-log"),
    path("demo/", views.demo_sign_in, name="demo"),
]
