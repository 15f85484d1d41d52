"""Re-map people to a new ward generation after a boundary change."""

from django.core.management.base import BaseCommand, CommandError

from openward.areas.models import WardGeneration
from openward.verification.remap import remap_memberships


class Command(BaseCommand):
    help = (
        "Move every ward membership to the ward of GENERATION its postcode lies in; flag those that cannot be placed."
    )

    def add_arguments(self, parser):
        parser.add_argument("generation", help='Ward generation slug, e.g. "2022".')

    def handle(self, *args, generation, **options):
        found = WardGeneration.objects.filter(slug=generation).first()
        if found is None:
            known = ", ".join(WardGeneration.objects.values_list("slug", flat=True)) or "none loaded"
            raise CommandError(f"No ward generation {generation!r}. Known generations: {known}.")
        report = remap_memberships(found)
        self.stdout.write(
            f"Moved {report.moved}, merged {report.merged}, flagged {report.flagged} for review "
            f"({report.unchanged} already in {found.slug})."
        )
