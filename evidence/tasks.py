"""Background jobs: the follow-up emails that are due, daily (the scheduling app runs
it; ``manage.py send_evidence_follow_ups`` does the same from cron)."""

from django_tasks import task

from .services import follow_ups_send_due, one_time_codes_delete_old


@task()
def evidence_follow_ups_send(period: str = "") -> str:
    try:
        from scheduling import effect_once
    except ImportError:  # pragma: no cover - scheduling is part of the project
        effect_once = None
    sent = follow_ups_send_due(once=effect_once)
    deleted = one_time_codes_delete_old()
    return f"{sent} follow-up emails sent, {deleted} old codes deleted"
