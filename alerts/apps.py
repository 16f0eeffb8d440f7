from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Stay informed: change notes, feeds, email alerts and recurrence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from content.signals import content_published
        from practice_points.selectors import register_sort
        from scheduling import schedule

        from . import receivers, recurrence, tasks

        register_sort("recurrent", "Most recurrent", recurrence.recurrent_sort)
        content_published.connect(receivers.on_content_published, dispatch_uid="alerts.published")
        # "Immediately": queued after each major change, and every hour to catch up.
        schedule(
            name="alerts.digests_immediately",
            task=tasks.send_immediate_digests,
            every="hourly",
            at="00:10",
        )
        schedule(
            name="alerts.digests_daily", task=tasks.send_daily_digests, every="daily", at="07:00"
        )
        schedule(
            name="alerts.digests_weekly",
            task=tasks.send_weekly_digests,
            every="weekly",
            weekday=0,
            at="07:00",
        )
        schedule(
            name="alerts.retention", task=tasks.apply_alert_retention, every="daily", at="04:00"
        )
        schedule(name="alerts.recurrence", task=tasks.refresh_recurrence, every="daily", at="02:30")
