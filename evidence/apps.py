from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "Evidence of use"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from scheduling import schedule

        from .report import report_section_register
        from .tasks import evidence_follow_ups_send

        # The yearly report (assurance) gains "Evidence of learning into practice".
        report_section_register()
        # The follow-up emails that are due, every morning (the scheduler runs each once).
        schedule(
            name="evidence.follow_ups", task=evidence_follow_ups_send, every="daily", at="08:00"
        )
