"""``manage.py worker``: the background worker, i.e. django-tasks-db's ``db_worker`` with the
scheduler beside it (a thread that runs the scheduled jobs that are due every
``--schedule-interval`` seconds). One process for ``make run`` and the worker container;
cron with ``run_scheduled_jobs`` is the alternative."""

import logging
import threading

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from scheduling import run_due_jobs

logger = logging.getLogger("scheduling")


def _scheduler(interval: float, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            run_due_jobs()
        except Exception:  # noqa: BLE001 - e.g. the database restarting: try again later
            logger.exception("The scheduler's check failed; trying again in %s s", interval)
        finally:
            connection.close()
        stop.wait(interval)


class Command(DBWorkerCommand):
    help = "Run background tasks (db_worker) and the scheduled jobs that fall due."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--schedule-interval",
            type=float,
            default=30.0,
            help="Seconds between checks for scheduled jobs that are due (default 30).",
        )
        parser.add_argument("--no-schedule", action="store_true", help="Do not run scheduled jobs.")

    def handle(self, *args, **options):
        interval = options.pop("schedule_interval")
        if not options.pop("no_schedule"):
            stop = threading.Event()
            threading.Thread(
                target=_scheduler, args=(interval, stop), name="scheduler", daemon=True
            ).start()
        return super().handle(*args, **options)
