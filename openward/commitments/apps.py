from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "openward.commitments"
    label = "commitments"

    def ready(self):
        from openward.core.hooks import autodiscover

        autodiscover(self.name)
