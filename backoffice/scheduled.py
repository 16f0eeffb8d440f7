"""The back office's scheduled jobs (declared in BackofficeConfig.ready via scheduling)."""

from django_tasks import task

from .linkcheck import links_check
from .transfer.jobs import import_jobs_prune


@task()
def nightly_link_check(period: str) -> str:
    """Check every resource and review link and record what was found (as
    ``manage.py check_links``). Idempotent: a rerun checks again and records the newer
    result on the same rows, so nothing is done twice."""
    report = links_check()
    return f"{report.count()} checked, {len(report.broken)} broken"


@task()
def import_jobs_retention(period: str) -> str:
    """Delete import jobs kept long enough (backoffice.transfer.jobs.KEEP_*)."""
    return f"{import_jobs_prune()} import jobs deleted"
