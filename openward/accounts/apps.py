from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openward.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib import admin

        from openward.core.hooks import autodiscover

        from .admin import StaffAdminSite

        # The project mounts admin.site; swapping its class puts every admin page behind two-factor.
        admin.site.__class__ = StaffAdminSite
        autodiscover(self.name)
