"""Background jobs: the follow-up emails that are due, daily (the scheduling app runs
it; ``manage.py send_evidence_follow_ups`` does the same from cron)."""

from django_tasks import task

from scheduling import effect_once

from .services import contact_emails_forget, follow_ups_send_due, one_time_codes_delete_old


@task()
def evidence_follow_ups_send(period: str = "") -> str:
    sent = follow_ups_send_due(once=effect_once)
    deleted = one_time_codes_delete_old()
    forgotten = contact_emails_forget()
    return f"{sent} follow-up emails sent, {deleted} old codes deleted, {forgotten} addresses forgotten"
