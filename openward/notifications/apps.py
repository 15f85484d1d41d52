from django.apps import AppConfig

from openward.core.hooks import autodiscover


class NotificationsConfig(AppConfig):
    name = "openward.notifications"
    label = "notifications"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)

        autodiscover(self.name)
