from django.apps import AppConfig

from openward.core.hooks import autodiscover


class NotificationsConfig(AppConfig):
    name = "openward.notifications"
    label = "notifications"

    def ready(self):
        autodiscover(self.name)
