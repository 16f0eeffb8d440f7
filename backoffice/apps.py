from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    """The partnership's back office: roles, the publish workflow, history, concurrent-edit
    protection, freshness, link checking, and import / export of content."""

    name = "backoffice"
    verbose_name = "Back office"

    def ready(self) -> None:
        # Background jobs are followed on their own pages (the import's progress): the
        # task queue's raw admin (arguments, tracebacks) is not offered to staff.
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)

        # Scheduled jobs (run by `manage.py worker` or cron's `run_scheduled_jobs`).
        from scheduling import schedule

        from .scheduled import import_jobs_retention, nightly_link_check

        schedule(name="backoffice.link_check", task=nightly_link_check, every="daily", at="02:00")
        schedule(
            name="backoffice.import_retention",
            task=import_jobs_retention,
            every="daily",
            at="03:45",
        )
