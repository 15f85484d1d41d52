from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "openward.notifications"
    label = "notifications"

    def ready(self):
        from openward.core.hooks import autodiscover

        autodiscover(self.name)
