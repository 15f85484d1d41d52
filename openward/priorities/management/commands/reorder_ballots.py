"""Rewrite the secret ballot tables in key order, so their storage order does not follow casting order."""

from django.core.management.base import BaseCommand

from openward.priorities.storage import reorder


class Command(BaseCommand):
    help = (
        "Put ballots, demographic answers and the register of who took part in key order on disk "
        "(PostgreSQL: CLUSTER; SQLite: already keyed, empties the write-ahead log). Schedule it every few minutes."
    )

    def handle(self, *args, **options):
        self.stdout.write(reorder())
