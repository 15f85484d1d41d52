from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "openward.areas"
    label = "areas"
    verbose_name = "Areas"

    def ready(self):
        from openward.core.hooks import autodiscover

        autodiscover(self.name)
