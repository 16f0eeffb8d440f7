"""The scheduler's own job: the retention clean-up of what background work leaves behind."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from .models import JobEffect, JobRun

# A finished run is kept 90 days (the admin's record of what ran); an effect's key as long
# (longer than any period, so a rerun always finds it); a finished background task 30 days.
KEEP_RUNS = dt.timedelta(days=90)
KEEP_EFFECTS = dt.timedelta(days=90)
KEEP_TASK_RESULTS = dt.timedelta(days=30)


@task()
def retention_clean_up(period: str) -> str:
    """Delete finished job runs, effect keys and task results kept long enough, and
    expired sessions. Deleting is its own idempotent effect: a rerun deletes nothing more."""
    now = timezone.now()
    runs = (
        JobRun.objects.filter(created_at__lt=now - KEEP_RUNS)
        .exclude(state=JobRun.State.RUNNING)
        .delete()[0]
    )
    effects = JobEffect.objects.filter(created_at__lt=now - KEEP_EFFECTS).delete()[0]
    results = DBTaskResult.objects.filter(finished_at__lt=now - KEEP_TASK_RESULTS).delete()[0]
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return f"{runs} runs, {effects} effect keys, {results} task results deleted"
