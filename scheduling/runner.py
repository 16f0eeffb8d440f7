"""Running scheduled jobs: claim a (job, period) once, run it, retry with backoff, take
over a run whose worker died; record each effect by its unique key (``effect_once``)."""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import os
import socket
import time
import traceback
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import JobEffect, JobRun
from .registry import Job, jobs, period_key

logger = logging.getLogger("scheduling")
State = JobRun.State

_current: contextvars.ContextVar[JobRun | None] = contextvars.ContextVar(
    "scheduling_current_run", default=None
)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _claim(job: Job, period: str, now: dt.datetime) -> JobRun | None:
    """Take the (job, period) run if it is ours to run now; None if it is not."""
    lease = now + job.timeout
    claim = {
        "state": State.RUNNING,
        "worker": worker_id(),
        "started_at": now,
        "lease_expires_at": lease,
        "next_attempt_at": None,
    }
    with transaction.atomic():
        try:
            with transaction.atomic():
                return JobRun.objects.create(job=job.name, period=period, attempts=1, **claim)
        except IntegrityError:
            pass  # somebody has (or had) this period: see whether it is ours to take over
        run = JobRun.objects.select_for_update().get(job=job.name, period=period)
        if run.state in (State.SUCCEEDED, State.GAVE_UP):
            return None
        if run.state == State.RUNNING and run.lease_expires_at and run.lease_expires_at > now:
            return None  # running elsewhere
        if run.state == State.FAILED and run.next_attempt_at and run.next_attempt_at > now:
            return None  # its retry is not due yet
        if run.state == State.RUNNING:
            logger.warning(
                "Job %s for %s: taken over after its lease ran out (worker %s)",
                job.name,
                period,
                run.worker,
            )
        if run.attempts >= job.max_attempts:
            run.state = State.GAVE_UP
            run.finished_at = now
            run.save(update_fields=["state", "finished_at"])
            logger.error("Job %s for %s: gave up after %s attempts", job.name, period, run.attempts)
            return None
        for field, value in claim.items():
            setattr(run, field, value)
        run.attempts += 1
        run.save()
        return run


def run_job(job: Job, period: str, run: JobRun, now: dt.datetime | None = None) -> JobRun:
    """Run a claimed job and record how it went (times counted from ``now``)."""
    now = now or timezone.now()
    began = time.monotonic()
    token = _current.set(run)
    try:
        result = job.call(period)
    except Exception as error:  # noqa: BLE001 - any failure is recorded and retried
        run.state = State.FAILED if run.attempts < job.max_attempts else State.GAVE_UP
        run.last_error = "".join(traceback.format_exception(error))[-4000:]
        run.finished_at = now + dt.timedelta(seconds=time.monotonic() - began)
        run.next_attempt_at = (
            run.finished_at + job.retry_delay(run.attempts) if run.state == State.FAILED else None
        )
        log = logger.warning if run.state == State.FAILED else logger.error
        log("Job %s for %s failed (attempt %s): %s", job.name, period, run.attempts, error)
    else:
        run.state = State.SUCCEEDED
        run.finished_at = now + dt.timedelta(seconds=time.monotonic() - began)
        run.result = "" if result is None else str(result)[:2000]
        logger.info("Job %s for %s done (attempt %s)", job.name, period, run.attempts)
    finally:
        _current.reset(token)
    run.lease_expires_at = None
    run.save(
        update_fields=[
            "state",
            "finished_at",
            "next_attempt_at",
            "last_error",
            "result",
            "lease_expires_at",
        ]
    )
    return run


def run_due_jobs(now: dt.datetime | None = None, only: list[str] | None = None) -> list[JobRun]:
    """Run every declared job whose period is due and not yet done (or whose retry is due,
    or whose runner died); returns the runs made. Safe to call from several processes at
    once: each (job, period) is claimed by one of them."""
    now = now or timezone.now()
    done = []
    for job in jobs():
        if only and job.name not in only:
            continue
        period = period_key(job.due_period(now))
        run = _claim(job, period, now)
        if run is not None:
            done.append(run_job(job, period, run, now))
    return done


def current_run() -> JobRun | None:
    """The run in progress in this thread (inside a scheduled job), or None."""
    return _current.get()


def effect_once(key: str, effect: Callable[[], Any]) -> bool:
    """Do ``effect`` unless an effect with ``key`` was done before; True if it ran now.

    The key is recorded in the same transaction as the effect's own database writes, so
    both are kept or neither: a job killed before the commit does the effect again on its
    rerun, a job killed after it finds the key and skips it. Build keys from what makes
    the effect unique, e.g. ``f"assurance.reminder:{period}:{user.pk}"``. An effect
    outside the database (an email) is done inside the transaction: only if the process
    dies between the mail server accepting it and the commit can it be sent twice."""
    if len(key) > 255:
        raise ValueError("effect_once(): a key of at most 255 characters")
    run = current_run()
    with transaction.atomic():
        try:
            with transaction.atomic():
                JobEffect.objects.create(
                    key=key, job=run.job if run else "", period=run.period if run else ""
                )
        except IntegrityError:
            return False
        effect()
    return True


def effect_done(key: str) -> bool:
    """Whether an effect with ``key`` has been recorded."""
    return JobEffect.objects.filter(key=key).exists()
