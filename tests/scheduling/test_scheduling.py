"""Scheduled jobs: once per period, retried with backoff, taken over after a crash
without doing an effect twice."""

import datetime as dt
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks import task

import scheduling
from scheduling.models import JobEffect, JobRun

LONDON = ZoneInfo("Europe/London")
calls: list[str] = []
fail_times = {"n": 0}


@task()
def _record(period: str) -> str:
    calls.append(period)
    for recipient in ("a", "b", "c"):
        scheduling.effect_once(
            f"test.job:{period}:{recipient}", lambda r=recipient: calls.append(r)
        )
    return "ok"


@task()
def _flaky(period: str) -> None:
    calls.append(period)
    if fail_times["n"] > 0:
        fail_times["n"] -= 1
        raise RuntimeError("the mail server said no")


@pytest.fixture
def job():
    calls.clear()
    scheduling.schedule(name="test.weekly", task=_record, every="weekly", weekday=0, at="07:00")
    yield scheduling.get_job("test.weekly")
    scheduling.unschedule("test.weekly")


@pytest.fixture
def flaky():
    calls.clear()
    scheduling.schedule(
        name="test.flaky",
        task=_flaky,
        every="daily",
        at="06:00",
        max_attempts=3,
        backoff=dt.timedelta(minutes=2),
    )
    yield scheduling.get_job("test.flaky")
    scheduling.unschedule("test.flaky")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def test_due_periods():
    daily = scheduling.schedule(name="test.p", task=_record, every="daily", at="02:00")
    try:
        assert scheduling.period_key(daily.due_period(at(2026, 11, 30, 1, 59))) == (
            "2026-11-29T02:00"
        )
        assert scheduling.period_key(daily.due_period(at(2026, 11, 30, 2, 0))) == (
            "2026-11-30T02:00"
        )
    finally:
        scheduling.unschedule("test.p")
    weekly = scheduling.Job("w", _record, "weekly", dt.time(7), weekday=0)
    # Monday 30 November 2026 07:00 is the period from then until the next Monday.
    assert scheduling.period_key(weekly.due_period(at(2026, 11, 30, 6, 59))) == ("2026-11-23T07:00")
    assert scheduling.period_key(weekly.due_period(at(2026, 12, 6, 23, 0))) == ("2026-11-30T07:00")
    # Across the clock change (29 March 2026): still 07:00 local time.
    assert weekly.due_period(at(2026, 3, 31, 12, 0)).hour == 7
    hourly = scheduling.Job("h", _record, "hourly", dt.time(0, 15))
    assert scheduling.period_key(hourly.due_period(at(2026, 11, 30, 10, 14))) == (
        "2026-11-30T09:15"
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"every": "monthly"},
        {"every": "weekly"},
        {"every": "daily", "weekday": 2},
        {"every": "daily", "at": "7 o'clock"},
        {"every": "daily", "max_attempts": 0},
    ],
)
def test_bad_declarations_are_refused(kwargs):
    with pytest.raises(ValueError):
        scheduling.schedule(name="test.bad", task=_record, **kwargs)
    assert "test.bad" not in {job.name for job in scheduling.jobs()}


def test_existing_jobs_are_declared():
    names = {job.name for job in scheduling.jobs()}
    assert {"backoffice.link_check", "scheduling.retention"} <= names
    assert scheduling.get_job("backoffice.link_check").every == "daily"


@pytest.mark.django_db
def test_once_per_period_however_often_it_is_run(job):
    monday = at(2026, 11, 30, 7, 30)
    first = scheduling.run_due_jobs(monday, only=["test.weekly"])
    again = scheduling.run_due_jobs(monday + dt.timedelta(days=3), only=["test.weekly"])
    assert [run.state for run in first] == ["succeeded"]
    assert again == []
    assert calls == ["2026-11-30T07:00", "a", "b", "c"]
    scheduling.run_due_jobs(monday + dt.timedelta(days=7), only=["test.weekly"])
    assert calls[4:] == ["2026-12-07T07:00", "a", "b", "c"]
    assert JobRun.objects.filter(job="test.weekly").count() == 2
    assert JobEffect.objects.filter(job="test.weekly").count() == 6


@pytest.mark.django_db
def test_failures_are_retried_with_backoff_then_given_up(flaky):
    fail_times["n"] = 5
    start = at(2026, 11, 30, 6, 0)
    (run,) = scheduling.run_due_jobs(start, only=["test.flaky"])
    assert (run.state, run.attempts) == ("failed", 1)
    assert "the mail server said no" in run.last_error
    assert run.next_attempt_at - run.finished_at == dt.timedelta(minutes=2)
    # Not before its retry is due.
    assert scheduling.run_due_jobs(start + dt.timedelta(minutes=1), only=["test.flaky"]) == []
    (run,) = scheduling.run_due_jobs(start + dt.timedelta(minutes=3), only=["test.flaky"])
    assert (run.state, run.attempts) == ("failed", 2)
    assert run.next_attempt_at - run.finished_at == dt.timedelta(minutes=4)  # doubled
    assert scheduling.run_due_jobs(start + dt.timedelta(minutes=6), only=["test.flaky"]) == []
    (run,) = scheduling.run_due_jobs(start + dt.timedelta(minutes=30), only=["test.flaky"])
    assert (run.state, run.attempts) == ("gave_up", 3)
    assert scheduling.run_due_jobs(start + dt.timedelta(hours=5), only=["test.flaky"]) == []
    assert len(calls) == 3


@pytest.mark.django_db
def test_a_retry_that_succeeds(flaky):
    fail_times["n"] = 1
    start = at(2026, 11, 30, 6, 0)
    scheduling.run_due_jobs(start, only=["test.flaky"])
    (run,) = scheduling.run_due_jobs(start + dt.timedelta(minutes=3), only=["test.flaky"])
    assert (run.state, run.attempts) == ("succeeded", 2)


@pytest.mark.django_db
def test_a_run_killed_midway_is_taken_over_without_repeating_its_effects(job):
    monday = at(2026, 11, 30, 7, 30)
    period = "2026-11-30T07:00"
    # A worker claimed the period, sent "a" and died (its lease stands for an hour).
    JobRun.objects.create(
        job="test.weekly",
        period=period,
        attempts=1,
        state="running",
        worker="dead:1",
        started_at=monday,
        lease_expires_at=monday + dt.timedelta(hours=1),
    )
    JobEffect.objects.create(key=f"test.job:{period}:a", job="test.weekly", period=period)
    # While its lease stands, nobody else runs it.
    assert scheduling.run_due_jobs(monday + dt.timedelta(minutes=5), only=["test.weekly"]) == []
    (run,) = scheduling.run_due_jobs(monday + dt.timedelta(hours=2), only=["test.weekly"])
    assert (run.state, run.attempts) == ("succeeded", 2)
    assert calls == [period, "b", "c"]  # "a" was not sent again


@pytest.mark.django_db
def test_an_effect_that_fails_is_not_recorded(job):
    def boom():
        raise OSError("connection reset")

    with pytest.raises(OSError):
        scheduling.effect_once("test.effect:x", boom)
    assert not scheduling.effect_done("test.effect:x")
    assert scheduling.effect_once("test.effect:x", lambda: None) is True
    assert scheduling.effect_once("test.effect:x", lambda: None) is False


@pytest.mark.django_db
def test_command_runs_due_jobs_and_lists_them(job, capsys):
    call_command("run_scheduled_jobs", "--list")
    assert "test.weekly" in capsys.readouterr().out
    call_command("run_scheduled_jobs", "--job", "test.weekly")
    assert JobRun.objects.get(job="test.weekly").state == "succeeded"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("run_scheduled_jobs", "--job", "no.such")


@pytest.mark.django_db
def test_retention_job_runs():
    (run,) = scheduling.run_due_jobs(only=["scheduling.retention"])
    assert run.state == "succeeded", run.last_error


CLAIM_SCRIPT = """
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "reviews_toolkit.settings"
django.setup()
from django.db import connection
connection.settings_dict["NAME"] = sys.argv[1]
import scheduling
from scheduling.models import JobEffect
from django.utils import timezone
counter = []
def job(period):
    import time
    time.sleep(0.3)
    scheduling.effect_once("test.race:" + period, lambda: counter.append(1))
scheduling.schedule(name="test.race", task=job, every="daily", at="00:00")
runs = scheduling.run_due_jobs(only=["test.race"])
print("RESULT", len(runs), len(counter))
"""


@pytest.mark.postgresql  # two processes sharing one database server
@pytest.mark.django_db(transaction=True)
def test_two_processes_at_once_run_a_period_once():
    root = Path(__file__).resolve().parents[2]
    name = connection.settings_dict["NAME"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIM_SCRIPT, name],
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [
        next(
            line for line in proc.communicate(timeout=60)[0].splitlines() if "RESULT" in line
        ).split()[1:]
        for proc in procs
    ]
    assert sum(int(out[0]) for out in outputs) == 1, outputs
    assert sum(int(out[1]) for out in outputs) == 1, outputs
    assert JobRun.objects.filter(job="test.race").count() == 1
