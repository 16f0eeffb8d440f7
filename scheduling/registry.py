"""Scheduled jobs, declared in one place and run once per period.

Each app declares its jobs from its ``AppConfig.ready``::

    from scheduling import schedule
    schedule(name="assurance.reminders", task=send_reminders, every="weekly",
             weekday=0, at="07:00")

``task`` is a django-tasks task (``@task()``) or a plain function; it is called with one
keyword argument, ``period``: the scheduled moment it runs for, as text in local time
(``"2026-11-30T07:00"``). The worker (``manage.py worker``) or cron
(``manage.py run_scheduled_jobs``) runs :func:`run_due_jobs`; see docs/deployment.md and
/work/team/notes/scheduling-api.md for the contract a task follows (each effect recorded
with a unique key through :func:`effect_once`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

EVERY = ("hourly", "daily", "weekly")


@dataclass(frozen=True)
class Job:
    name: str
    task: Any
    every: str
    at: dt.time
    weekday: int | None = None
    max_attempts: int = 5
    backoff: dt.timedelta = dt.timedelta(minutes=1)
    timeout: dt.timedelta = dt.timedelta(hours=1)
    description: str = ""

    def due_period(self, now: dt.datetime) -> dt.datetime:
        """The latest scheduled moment at or before ``now`` (aware, local time)."""
        local = timezone.localtime(now)
        if self.every == "hourly":
            moment = local.replace(minute=self.at.minute, second=0, microsecond=0)
            if moment > local:
                moment -= dt.timedelta(hours=1)
            return moment
        moment = timezone.make_aware(
            dt.datetime.combine(local.date(), self.at), timezone.get_current_timezone()
        )
        if self.every == "daily":
            if moment > local:
                moment = _same_time(moment, -1)
            return moment
        days_back = (local.weekday() - self.weekday) % 7
        moment = _same_time(moment, -days_back)
        if moment > local:
            moment = _same_time(moment, -7)
        return moment

    def retry_delay(self, attempts: int) -> dt.timedelta:
        """Exponential backoff: ``backoff`` after the first failure, doubling each time."""
        return self.backoff * (2 ** max(attempts - 1, 0))

    def call(self, period: str) -> Any:
        func = getattr(self.task, "func", self.task)  # a django-tasks Task or a function
        return func(period=period)


def _same_time(moment: dt.datetime, days: int) -> dt.datetime:
    """The same wall-clock time ``days`` later (right across a clock change)."""
    naive = timezone.make_naive(moment) + dt.timedelta(days=days)
    return timezone.make_aware(naive, timezone.get_current_timezone())


def period_key(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


_jobs: dict[str, Job] = {}


def schedule(
    *,
    name: str,
    task: Any,
    every: str,
    at: str = "00:00",
    weekday: int | None = None,
    max_attempts: int = 5,
    backoff: dt.timedelta = dt.timedelta(minutes=1),
    timeout: dt.timedelta = dt.timedelta(hours=1),
    description: str = "",
) -> Job:
    """Declare a job (from an ``AppConfig.ready``). Declaring the same name again with the
    same task replaces it (a reloaded app); with another task it is an error."""
    if every not in EVERY:
        raise ValueError(f"schedule({name!r}): every must be one of {EVERY}, not {every!r}")
    if every == "weekly" and weekday not in range(7):
        raise ValueError(f"schedule({name!r}): a weekly job needs weekday 0 (Monday) to 6")
    if every != "weekly" and weekday is not None:
        raise ValueError(f"schedule({name!r}): weekday is only for weekly jobs")
    try:
        time = dt.time.fromisoformat(at)
    except ValueError:
        raise ValueError(f"schedule({name!r}): at must be HH:MM, not {at!r}") from None
    if max_attempts < 1:
        raise ValueError(f"schedule({name!r}): max_attempts must be at least 1")
    if not callable(getattr(task, "func", task)):
        raise TypeError(f"schedule({name!r}): task must be a django-tasks task or function")
    if len(name) > 100 or not name:
        raise ValueError("schedule(): a name of 1 to 100 characters, e.g. 'app.job'")
    job = Job(name, task, every, time, weekday, max_attempts, backoff, timeout, description)
    existing = _jobs.get(name)
    if existing and getattr(existing.task, "func", existing.task) is not getattr(
        task, "func", task
    ):
        raise ValueError(f"schedule(): a job named {name!r} is already declared")
    _jobs[name] = job
    return job


def unschedule(name: str) -> None:
    """Remove a declared job (tests)."""
    _jobs.pop(name, None)


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def get_job(name: str) -> Job:
    return _jobs[name]
