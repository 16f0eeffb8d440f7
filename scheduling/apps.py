from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    """Scheduled jobs (ground floor): declared once by each app, run once per period."""

    name = "scheduling"
    verbose_name = "Scheduled jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .maintenance import retention_clean_up
        from .registry import schedule

        schedule(
            name="scheduling.retention",
            task=retention_clean_up,
            every="daily",
            at="03:30",
        )
