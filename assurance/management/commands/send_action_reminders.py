"""Send this week's assurance reminders (for cron; the scheduler runs the same weekly).
Running it again in the same week sends nothing twice."""

from django.core.management.base import BaseCommand

from assurance.reminders import reminders_send, site_url


class Command(BaseCommand):
    help = "Email agencies' action owners about actions due in 14 days or overdue, and "
    help += "assurance leads about evidence waiting for sign-off (once a week each)."

    def handle(self, *args, **options):
        result = reminders_send(site_url=site_url())
        self.stdout.write(str(result))
