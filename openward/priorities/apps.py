from django.apps import AppConfig

from openward.areas.signals import ward_generation_imported
from openward.core.hooks import autodiscover


class PrioritiesConfig(AppConfig):
    name = "openward.priorities"
    label = "priorities"

    def ready(self):
        autodiscover(self.name)

        from .services import remap_after_boundary_import

        # A new ward generation moves priorities onto its wards (or flags them), as verification does people.
        ward_generation_imported.connect(remap_after_boundary_import, dispatch_uid="priorities-remap")
