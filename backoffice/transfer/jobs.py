"""Import jobs: an uploaded file checked (the preview), then imported once its owner
confirms, all or nothing (``backoffice.transfer``).

A file of up to ``settings.IMPORT_BACKGROUND_ROWS`` rows is checked and imported while
the page loads. A larger one is a background job (django-tasks: the database backend,
worked by ``python manage.py db_worker``), so no request runs long enough for gunicorn
to kill it: the page shows the job's progress and then the same preview, and confirming
runs the import as a second job. Both paths run the same functions below; the rules
(every row checked, the workflow's permissions, all or nothing) are the importer's.

Progress: the import is one transaction, so the rows it writes cannot carry its
progress to the page. On PostgreSQL, a short-lived thread (its own connection, outside
the transaction) records how many rows are done about once a second. SQLite allows one
writer at a time, so there the page shows the job's stage and how long it has run.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks import task

from backoffice.models import ImportJob

from .parse import import_parse
from .schema import ParsedImport
from .write import content_import

logger = logging.getLogger(__name__)

State = ImportJob.State
PROGRESS_INTERVAL = 1.0  # seconds between progress writes
# A file nobody confirmed (it holds the file's text) is kept a week; an import's record
# (what it imported, for the lists' filter; its text is dropped on import) 90 days.
KEEP_UNCONFIRMED = timedelta(days=7)
KEEP_IMPORTED = timedelta(days=90)


def background_rows() -> int:
    return settings.IMPORT_BACKGROUND_ROWS


def progress_is_counted() -> bool:
    """Whether a running job's rows done are recorded as it goes (not on SQLite)."""
    return connection.vendor != "sqlite"


def import_jobs_prune() -> int:
    """Delete the jobs kept long enough; how many."""
    now = timezone.now()
    old = ImportJob.objects.filter(created_at__lt=now - KEEP_UNCONFIRMED).exclude(
        state=State.IMPORTED
    ) | ImportJob.objects.filter(state=State.IMPORTED, created_at__lt=now - KEEP_IMPORTED)
    return old.delete()[0]


def import_job_create(*, user, parsed: ParsedImport, text: str) -> ImportJob:
    """A job for a file that was read without file-level errors: checked at once when it
    is small, or queued for the worker when it is large."""
    import_jobs_prune()
    job = ImportJob.objects.create(
        user=user,
        filename=parsed.filename[:255],
        format=parsed.format,
        text=text,
        total=len(parsed.records),
        background=len(parsed.records) > background_rows(),
    )
    if job.background:
        check_import_job.enqueue(str(job.pk))
    else:
        import_job_run_check(job, parsed)
    return job


def import_job_run_check(job: ImportJob, parsed: ParsedImport | None = None) -> ImportJob:
    """Check the file: the real import, rolled back; the preview is what it found."""
    _started(job, State.CHECKING)
    parsed = parsed or import_parse(job.filename, job.text.encode("utf-8"))
    with _Progress(job) as progress:
        result = content_import(parsed, user=job.user, dry_run=True, progress=progress)
    job.result = result.as_data()
    job.state = State.CHECKED
    job.done = job.total = len(parsed.records)
    job.finished_at = timezone.now()
    job.save()
    return job


def import_job_confirm(job: ImportJob) -> bool:
    """Start importing a checked job without errors (its owner confirmed it). False when
    it is not waiting to be confirmed."""
    updated = ImportJob.objects.filter(pk=job.pk, state=State.CHECKED, result__ok=True).update(
        state=State.IMPORTING, done=0, started_at=None, finished_at=None, updated_at=timezone.now()
    )
    if not updated:
        return False
    job.refresh_from_db()
    if job.background:
        run_import_job.enqueue(str(job.pk))
    else:
        import_job_run_import(job)
    return True


def import_job_run_import(job: ImportJob) -> ImportJob:
    """Import the file for real, all or nothing. When a row fails now (the content changed
    since the preview), nothing is saved and the job shows the problems."""
    _started(job, State.IMPORTING)
    parsed = import_parse(job.filename, job.text.encode("utf-8"))
    with _Progress(job) as progress:
        result = content_import(parsed, user=job.user, progress=progress)
    job.result = result.as_data()
    job.done = job.total = len(parsed.records)
    job.finished_at = timezone.now()
    if result.saved:
        job.state = State.IMPORTED
        job.imported = result.imported_ids()
        job.text = ""  # saved now: the file itself is no longer needed
    else:
        job.state = State.CHECKED
        job.result["changed_since_preview"] = True
    job.save()
    return job


def _started(job: ImportJob, state: str) -> None:
    job.state = state
    job.done = 0
    job.started_at = timezone.now()
    job.save(update_fields=["state", "done", "started_at", "updated_at"])


def _run(job_id: str, step) -> None:
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None:
        return  # deleted meanwhile (its owner was removed)
    try:
        step(job)
    except Exception:
        logger.exception("Import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            state=State.FAILED, finished_at=timezone.now(), updated_at=timezone.now()
        )
        raise


@task()
def check_import_job(job_id: str) -> None:
    _run(job_id, import_job_run_check)


@task()
def run_import_job(job_id: str) -> None:
    _run(job_id, import_job_run_import)


class _Progress:
    """``progress(done, total)`` for ``content_import``: writes the count to the job row
    at most once a second, from a thread with its own database connection (outside the
    import's transaction). Does nothing on SQLite (one writer at a time)."""

    def __init__(self, job: ImportJob):
        self.job_id = job.pk
        self.enabled = progress_is_counted()
        self.last = 0.0

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < PROGRESS_INTERVAL:
            return
        self.last = now
        writer = threading.Thread(target=self._write, args=(done, total), daemon=True)
        writer.start()
        writer.join(timeout=5)

    def _write(self, done: int, total: int) -> None:
        try:
            ImportJob.objects.filter(pk=self.job_id).update(
                done=done, total=total, updated_at=timezone.now()
            )
        except Exception:  # progress is a courtesy: never fail the import for it
            logger.warning("Could not record the progress of import job %s", self.job_id)
        finally:
            connection.close()
