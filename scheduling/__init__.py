"""Scheduled jobs (the ground floor).

``schedule(...)`` from an ``AppConfig.ready`` declares a job; ``effect_once(key, fn)``
inside a job does an effect once; ``run_due_jobs()`` runs what is due (the worker and
``manage.py run_scheduled_jobs`` call it). See scheduling/registry.py and runner.py.
"""

from .registry import Job, get_job, jobs, period_key, schedule, unschedule

__all__ = [
    "Job",
    "current_run",
    "effect_done",
    "effect_once",
    "get_job",
    "jobs",
    "period_key",
    "run_due_jobs",
    "schedule",
    "unschedule",
]

_RUNNER = {"current_run", "effect_done", "effect_once", "run_due_jobs"}


def __getattr__(name: str):
    # The runner uses the models, which exist only once the apps are loaded; schedule()
    # is called while they load, so the runner's names are looked up when first used.
    if name in _RUNNER:
        from . import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'scheduling' has no attribute {name!r}")
