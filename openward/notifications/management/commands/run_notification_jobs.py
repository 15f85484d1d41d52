"""The scheduled jobs (run every few minutes from cron or a systemd timer): lapse offers, send reminders,
re-queue what the ledger still owes, and (with --weekly-digest) the weekly digest."""

from django.core.management.base import BaseCommand

from openward.notifications import services, subjects


class Command(BaseCommand):
    help = (
        "Lapse unanswered place offers, send event reminders, re-queue unsent email; --weekly-digest adds the digest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--weekly-digest", action="store_true", help="Also send this week's digest (once a week).")

    def handle(self, *args, weekly_digest, **options):
        # Jobs other apps register (engagement: lapse offers, send reminders), then the ledger's own.
        done = [f"{label}: {job()}." for label, job in subjects.jobs()]
        done.append(f"Deliveries re-queued: {services.sweep_all()}.")
        self.stdout.write(" ".join(done))
        if weekly_digest:
            notice = services.send_weekly_digest()
            self.stdout.write(f"Weekly digest: {notice.key}.")
