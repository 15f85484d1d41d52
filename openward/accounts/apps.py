from django.apps import AppConfig

from openward.core import access
from openward.core.hooks import autodiscover


class AccountsConfig(AppConfig):
    name = "openward.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib import admin

        from .admin import StaffAdminSite

        # The project mounts admin.site; swapping its class puts every admin page behind two-factor.
        admin.site.__class__ = StaffAdminSite
        autodiscover(self.name)

        from .permissions import has_role, is_staff_person, second_factor_ok

        # core.access asks accounts how roles are decided through this registry (core imports no app).
        access.register_roles(
            access.Roles(has_role=has_role, is_staff_person=is_staff_person, second_factor_ok=second_factor_ok)
        )
