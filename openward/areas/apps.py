from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "openward.areas"
    label = "areas"
    verbose_name = "Areas"
