"""``manage.py run_scheduled_jobs``: run the scheduled jobs that are due (for cron), or keep
running them (``--loop``). Each job runs once per period however many run this."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from scheduling import jobs, run_due_jobs


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs that are due and not yet done for their period (cron: every "
        "few minutes). --loop keeps checking; --list shows the jobs declared."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep checking (a daemon).")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between checks with --loop."
        )
        parser.add_argument("--job", action="append", help="Only this job (repeatable).")
        parser.add_argument("--list", action="store_true", help="List the declared jobs.")

    def handle(self, *args, **options):
        declared = {job.name for job in jobs()}
        unknown = set(options["job"] or []) - declared
        if unknown:
            raise CommandError(f"No such job: {', '.join(sorted(unknown))}")
        if options["list"]:
            for job in jobs():
                when = job.every + (f" (day {job.weekday})" if job.weekday is not None else "")
                self.stdout.write(f"{job.name:40} {when} at {job.at:%H:%M}")
            return
        if options["interval"] <= 0:
            raise CommandError("--interval must be positive")
        while True:
            if options["loop"]:
                close_old_connections()  # a database restarted since: connect again
            for run in run_due_jobs(only=options["job"]):
                self.stdout.write(f"{run.job} {run.period}: {run.state} (attempt {run.attempts})")
            if not options["loop"]:
                return
            close_old_connections()
            time.sleep(options["interval"])
