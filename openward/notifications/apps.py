from django.apps import AppConfig

from openward.areas.signals import ward_generation_imported
from openward.core.hooks import autodiscover


class NotificationsConfig(AppConfig):
    name = "openward.notifications"
    label = "notifications"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)

        autodiscover(self.name)

        from .services import remap_after_boundary_import

        # A new ward generation moves subscriptions onto its wards (or flags them), as verification does people.
        ward_generation_imported.connect(remap_after_boundary_import, dispatch_uid="notifications-remap")
