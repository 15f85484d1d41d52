from django.apps import AppConfig

from openward.core.hooks import autodiscover


class CommitmentsConfig(AppConfig):
    name = "openward.commitments"
    label = "commitments"

    def ready(self):
        autodiscover(self.name)
