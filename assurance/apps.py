from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assurance"
    verbose_name = "Learning into practice: recommendations, actions and assurance"

    def ready(self):
        # Imported here: the scheduler's registry and the reminders need the apps loaded.
        from scheduling import schedule

        from .reminders import send_weekly_reminders

        # Mondays 07:00: agencies' due and overdue actions, leads' sign-offs. Each reminder
        # is claimed once per ISO week (ReminderSent), so a rerun, a retry or cron's
        # `send_action_reminders` in the same week never sends it twice.
        schedule(
            name="assurance.reminders",
            task=send_weekly_reminders,
            every="weekly",
            weekday=0,
            at="07:00",
            description="Weekly assurance reminders (actions due or overdue; sign-offs)",
        )
