from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    """The partnership's back office: roles, the publish workflow, history, concurrent-edit
    protection, freshness, link checking, and import / export of content."""

    name = "backoffice"
    verbose_name = "Back office"

    def ready(self) -> None:
        from . import signals

        # Content text is sanitised on save (nh3 allow-list), links must be http(s).
        signals.connect()

        # Background jobs are followed on their own pages (the import's progress): the
        # task queue's raw admin (arguments, tracebacks) is not offered to staff.
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
