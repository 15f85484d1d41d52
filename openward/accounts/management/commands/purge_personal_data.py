"""Run the retention sweep now (cron it daily, or pass --schedule to queue it daily on the task worker)."""

from django.core.management.base import BaseCommand, CommandError

from openward.accounts.retention import purge_expired_personal_data


class Command(BaseCommand):
    help = "Delete accounts never confirmed in time and erase addresses of confirmed or expired letters."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule", action="store_true", help="Queue the sweep on the task worker, repeating every 24 hours."
        )

    def handle(self, *args, schedule, **options):
        if schedule:
            from openward.accounts.tasks import purge_expired_personal_data as task

            if not task.get_backend().supports_defer:
                raise CommandError(
                    "The task backend cannot run tasks later; run this command daily from cron instead of --schedule."
                )
            task.enqueue(reschedule_hours=24)
            self.stdout.write("Queued the retention sweep; it re-queues itself every 24 hours.")
            return
        counts = purge_expired_personal_data()
        self.stdout.write(
            f"Deleted {counts['unconfirmed_accounts']} unconfirmed accounts; "
            f"erased {counts['letter_addresses']} letter addresses."
        )
