from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "openward.notifications"
    label = "notifications"
