from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "openward.notifications"
    label = "notifications"

    def ready(self):
        from openward.core.hooks import autodiscover

        from . import receivers  # noqa: F401  (connects the signal receivers)

        autodiscover(self.name)
