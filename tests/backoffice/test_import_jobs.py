"""Large imports run as background jobs (issue 15, finding 4): the request that takes the
upload does no per-row work; the worker (django-tasks' database backend, its
``db_worker`` run here in-process) checks the file, the page shows progress, then the
same preview; confirming imports it in a second job, all or nothing; and the admin import
of a full export of the seed content completes and gives back the same content."""

import csv
import io
import threading
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from backoffice.models import ImportJob
from backoffice.transfer.schema import CSV_COLUMNS
from practice_points.models import PracticePoint, Review
from resources.models import Resource
from themes.models import Agency, GlossaryTerm, PracticeWeek, PracticeWeekDay, Theme

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/content/import/"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def worker_queue(settings):
    """The production set-up: jobs wait in the database for ``db_worker``."""
    settings.TASKS = DATABASE_TASKS
    settings.IMPORT_BACKGROUND_ROWS = 20
    return settings


def run_worker() -> None:
    """The worker, in-process: runs every waiting job, then stops. (The real worker drops
    stale connections between jobs; here that would close the test's own transaction's
    connection, so that one housekeeping call is left out.)"""
    from unittest import mock

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0",
            verbosity=0,
        )


def csv_rows(count: int, review="child-big") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for index in range(1, count + 1):
        writer.writerow(
            {
                "review_slug": review,
                "review_title": "Child Big" if index == 1 else "",
                "review_type": "lcspr" if index == 1 else "",
                "position": str(index),
                "text": f"Learning point number {index}: see the child, hear the child.",
                "themes": "neglect",
                "agencies": "health",
                "status": "draft",
            }
        )
    return buffer.getvalue().encode("utf-8")


def upload(client, name, content):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})


def job_page(client, job):
    return client.get(reverse("transfer:import_job", args=[job.pk]))


def status(client, job) -> dict:
    response = client.get(reverse("transfer:import_job_status", args=[job.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.json()


def test_a_large_import_runs_in_the_background_with_progress(publisher_client, worker_queue):
    response = upload(publisher_client, "big.csv", csv_rows(60))

    # The upload only stores the file and queues the check: nothing is checked yet.
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("transfer:import_job", args=[job.pk])
    assert job.background and job.state == ImportJob.State.CHECKING
    assert job.total == 61  # the review and its 60 points
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    page = job_page(publisher_client, job).content.decode()
    assert "Checking every row" in page
    if connection.vendor == "sqlite":  # one writer at a time: no counts as it goes
        assert "cannot count the rows as they go" in page
    else:
        assert 'max="61" value="0"' in page
    assert "import_progress.js" in page
    assert status(publisher_client, job) == {
        "state": "checking",
        "label": "Checking",
        "running": True,
        "done": 0,
        "total": 61,
        "waiting": False,
        "counted": connection.vendor != "sqlite",
    }

    run_worker()

    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKED and job.started_at is not None
    assert status(publisher_client, job)["running"] is False
    preview = job_page(publisher_client, job)
    assert "61 created, 0 updated, 0 unchanged" in preview.content.decode()
    assert "Confirm the import" in preview.content.decode()
    assert not Review.objects.filter(slug="child-big").exists()  # the check saved nothing

    confirmed = publisher_client.post(reverse("transfer:import_confirm", args=[job.pk]))
    assert confirmed["Location"] == reverse("transfer:import_job", args=[job.pk])
    job.refresh_from_db()
    assert job.state == ImportJob.State.IMPORTING
    assert "Importing" in job_page(publisher_client, job).content.decode()
    assert not Review.objects.filter(slug="child-big").exists()

    run_worker()

    job.refresh_from_db()
    assert job.state == ImportJob.State.IMPORTED
    assert PracticePoint.objects.filter(review__slug="child-big").count() == 60
    done = job_page(publisher_client, job).content.decode()
    filtered = reverse("admin:practice_points_practicepoint_changelist") + f"?import={job.pk}"
    assert filtered in done
    listing = publisher_client.get(filtered)
    assert listing.context["cl"].result_count == 60
    assert set(listing.context["cl"].queryset.values_list("slug", flat=True)) == {
        f"child-big-{index:02d}" for index in range(1, 61)
    }


def test_a_5000_row_upload_does_no_per_row_work_in_the_request(
    publisher_client, settings, django_assert_max_num_queries
):
    settings.TASKS = DATABASE_TASKS
    content = csv_rows(5000)
    assert len(content) < 5 * 1024 * 1024

    with django_assert_max_num_queries(25):
        response = upload(publisher_client, "5000.csv", content)

    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.background and job.total == 5001 and job.state == ImportJob.State.CHECKING
    assert not Review.objects.filter(slug="child-big").exists()


def test_a_job_no_worker_takes_up_says_so(publisher_client, worker_queue):
    upload(publisher_client, "big.csv", csv_rows(30))
    job = ImportJob.objects.get()
    assert status(publisher_client, job)["waiting"] is False
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=1))
    assert status(publisher_client, job)["waiting"] is True
    page = job_page(publisher_client, job).content.decode()
    assert "No background worker has taken this job up yet" in page
    assert "python manage.py db_worker" in page


def test_a_job_that_breaks_says_so_and_saves_nothing(publisher_client, worker_queue, monkeypatch):
    upload(publisher_client, "big.csv", csv_rows(30))
    job = ImportJob.objects.get()

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("backoffice.transfer.jobs.content_import", broken)
    run_worker()

    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    page = job_page(publisher_client, job)
    assert page.status_code == 200
    assert "stopped before it finished" in page.content.decode()
    assert "the database went away" not in page.content.decode()
    assert not Review.objects.filter(slug="child-big").exists()


def test_only_its_owner_sees_or_confirms_a_job(publisher_client, editor, client, worker_queue):
    upload(publisher_client, "big.csv", csv_rows(30))
    run_worker()
    job = ImportJob.objects.get()
    from tests.roles import admin_login

    other = admin_login(client, editor)
    for name in ("transfer:import_job", "transfer:import_job_status"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    assert other.post(reverse("transfer:import_confirm", args=[job.pk])).status_code == 404
    assert other.get(reverse("transfer:import_job", args=[uuid.uuid4()])).status_code == 404
    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKED


CONTENT = (Agency, Theme, Resource, GlossaryTerm, Review, PracticePoint, PracticeWeek)


def snapshot() -> dict:
    """The content, independently of the import code: what each item says and tags."""
    return {
        "agencies": set(Agency.objects.values_list("slug", "name", "description")),
        "themes": set(Theme.objects.values_list("slug", "name", "kind", "summary", "body")),
        "resources": {
            (r.slug, r.title, r.url, r.summary, tuple(sorted(t.slug for t in r.themes.all())))
            for r in Resource.objects.prefetch_related("themes")
        },
        "glossary": set(GlossaryTerm.objects.values_list("slug", "term", "definition")),
        "reviews": set(Review.objects.values_list("slug", "title", "review_type", "status")),
        "points": {
            (
                p.slug,
                p.review.slug if p.review else None,
                p.position,
                p.text,
                p.guidance,
                p.status,
                tuple(sorted(t.slug for t in p.themes.all())),
                tuple(sorted(a.slug for a in p.agencies.all())),
                tuple(sorted(r.slug for r in p.resources.all())),
            )
            for p in PracticePoint.objects.select_related("review").prefetch_related(
                "themes", "agencies", "resources"
            )
        },
        "days": {
            (d.week.slug, d.weekday, d.title, tuple(sorted(t.slug for t in d.themes.all())))
            for d in PracticeWeekDay.objects.select_related("week").prefetch_related("themes")
        },
    }


def test_the_admin_import_of_a_full_export_of_the_seed_content_completes(
    publisher_client, worker_queue
):
    worker_queue.IMPORT_BACKGROUND_ROWS = 300  # the default: the seed export is larger
    before = snapshot()
    assert len(before["points"]) > 100 and len(before["days"]) == 5
    exported = publisher_client.get(reverse("transfer:export_download", args=["json"]))
    assert exported.status_code == 200
    for model in reversed(CONTENT):
        model.objects.all().delete()
    assert not PracticePoint.objects.exists() and not Theme.objects.exists()

    response = upload(publisher_client, "content.json", exported.content)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.background and job.total > 300
    run_worker()
    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKED
    assert job.result["ok"], [r for r in job.result["records"] if r["errors"]][:3]
    assert set(job.result["counts"]) == {"created"}
    publisher_client.post(reverse("transfer:import_confirm", args=[job.pk]))
    run_worker()

    job.refresh_from_db()
    assert job.state == ImportJob.State.IMPORTED
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_to_the_page_while_the_import_runs(seed, monkeypatch):
    """The import is one transaction; its progress is written from outside it, so the job
    page (another connection) sees rows done while the import is still running. SQLite
    has one writer at a time: there nothing is counted until the end."""
    from backoffice.transfer import jobs as import_jobs
    from tests.roles import PUBLISHER, make_role_user

    monkeypatch.setattr(import_jobs, "PROGRESS_INTERVAL", 0)
    content = csv_rows(60)
    job = ImportJob.objects.create(
        user=make_role_user("progress", PUBLISHER),
        filename="big.csv",
        format="csv",
        text=content.decode(),
        total=61,
        background=True,
    )
    seen = []
    report = import_jobs._Progress.__call__

    def spy(self, done, total):
        report(self, done, total)

        def page_reads():  # what the job page would read now, on its own connection
            seen.append((done, ImportJob.objects.get(pk=job.pk).done))
            connection.close()

        reader = threading.Thread(target=page_reads)
        reader.start()
        reader.join()

    monkeypatch.setattr(import_jobs._Progress, "__call__", spy)
    import_jobs.import_job_run_check(job)

    assert [done for done, _ in seen] == [25, 50, 61]
    if connection.vendor == "sqlite":
        assert {page for _, page in seen} == {0}
    else:
        assert seen == [(25, 25), (50, 50), (61, 61)]
    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKED and job.done == 61


def test_old_jobs_are_deleted_when_a_new_file_comes_in(publisher_client, publisher):
    def old_job(state, days):
        job = ImportJob.objects.create(
            user=publisher, filename=f"{state}.csv", format="csv", text="text\nx\n", state=state
        )
        ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days))
        return job.pk

    unconfirmed = old_job(ImportJob.State.CHECKED, 8)
    recent = old_job(ImportJob.State.CHECKED, 6)
    imported = old_job(ImportJob.State.IMPORTED, 30)
    ancient = old_job(ImportJob.State.IMPORTED, 91)

    upload(publisher_client, "small.csv", csv_rows(2))

    left = set(ImportJob.objects.values_list("pk", flat=True))
    assert unconfirmed not in left and ancient not in left
    assert {recent, imported} <= left and len(left) == 3
