from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "Evidence of use"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.apps import apps

        # The yearly report (assurance) gains "Evidence of learning into practice".
        from .report import report_section_register

        report_section_register()
        # The follow-up emails that are due, every morning.
        if apps.is_installed("scheduling"):
            from scheduling import schedule

            from .tasks import evidence_follow_ups_send

            schedule(
                name="evidence.follow_ups", task=evidence_follow_ups_send, every="daily", at="08:00"
            )
