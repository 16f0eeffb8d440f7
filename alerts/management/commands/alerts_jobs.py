"""Run the alerts' scheduled jobs now (cron, until the scheduler runs them):

manage.py alerts_jobs digests --frequency daily
manage.py alerts_jobs retention
manage.py alerts_jobs recurrence
"""

from django.core.management.base import BaseCommand

from alerts import recurrence, services
from alerts.models import Frequency


class Command(BaseCommand):
    help = "Send alert digests, apply the alerts' retention, or find recurring learning again."

    def add_arguments(self, parser):
        parser.add_argument("job", choices=["digests", "retention", "recurrence"])
        parser.add_argument("--frequency", choices=Frequency.values, default=None)

    def handle(self, *args, job, frequency=None, **options):
        if job == "digests":
            result = services.alerts_send_digests(frequency)
        elif job == "retention":
            result = services.alerts_apply_retention()
        else:
            result = {"pairs": recurrence.recurrence_refresh()}
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in result.items()))
