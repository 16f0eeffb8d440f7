"""Background jobs (django-tasks), registered with the scheduler (``scheduling``) in
``AlertsConfig.ready``; ``manage.py alerts_jobs`` runs the same services from cron.

Digests are idempotent on their own: each (subscription, change) is claimed by a unique
``Delivery`` row, committed before the email goes, so a rerun of a period (after a crash
or a retry) never sends a change twice."""

from __future__ import annotations

from django_tasks import task

from . import recurrence, services
from .models import Frequency


@task()
def send_alert_digests(frequency: str | None = None, period: str = "") -> dict:
    return services.alerts_send_digests(frequency)


@task()
def send_immediate_digests(period: str = "") -> dict:
    return services.alerts_send_digests(Frequency.IMMEDIATELY)


@task()
def send_daily_digests(period: str = "") -> dict:
    return services.alerts_send_digests(Frequency.DAILY)


@task()
def send_weekly_digests(period: str = "") -> dict:
    return services.alerts_send_digests(Frequency.WEEKLY)


@task()
def apply_alert_retention(period: str = "") -> dict:
    return services.alerts_apply_retention()


@task()
def refresh_recurrence(point_ids: list[int] | None = None, period: str = "") -> int:
    return recurrence.recurrence_refresh(point_ids)
