"""Import and export pages of the back office (inside the admin: see transfer_urls).

Import is two steps, each the same for small files and large ones
(``backoffice.transfer.jobs``). The upload is read; a file that cannot be read at all gets
the form back with what is wrong. Otherwise it becomes an import job, checked for real
in a transaction that is rolled back (the preview: every row with what will happen, its
themes, agencies and status as matched, or every problem it has). Small files are
checked while the page loads; large ones by the background worker, while the job's page
shows its progress. Only its owner sees a job, and only a job without problems can be
confirmed; confirming imports it (again while the page loads, or in the background) and
ends on the admin's list filtered to exactly what was imported.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backoffice.models import ImportJob

from .admin import imported_lists
from .export import CONTENT_TYPES, content_export, export_filename
from .import_templates import TEMPLATE_TYPES, import_template_file
from .jobs import (
    background_rows,
    import_job_confirm,
    import_job_create,
    progress_is_counted,
)
from .parse import import_parse
from .schema import MAX_IMPORT_BYTES

IMPORT_PERMISSION = "practice_points.add_practicepoint"
EXPORT_PERMISSIONS = (
    "themes.view_agency",
    "themes.view_theme",
    "themes.view_glossaryterm",
    "themes.view_practiceweek",
    "themes.view_practiceweekday",
    "resources.view_resource",
    "practice_points.view_review",
    "practice_points.view_practicepoint",
)
ROWS_PER_PAGE = 100
# A background job not taken up by a worker after this long: say the worker may be down.
WORKER_PATIENCE_SECONDS = 15


class ImportForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        allow_empty_file=True,  # parse.import_parse says why it cannot be imported
        help_text=(
            "CSV (one learning point a row), YAML or JSON (a review with its points, or a "
            f"full content export). Up to {MAX_IMPORT_BYTES // (1024 * 1024)} MB, UTF-8."
        ),
    )


def _require(request: HttpRequest, *permissions: str) -> None:
    if not request.user.has_perms(permissions):
        raise PermissionDenied


def _render(request, template, status=200, **context) -> HttpResponse:
    context = {**admin.site.each_context(request), **context}
    return render(request, template, context, status=status)


def _read_upload(upload) -> bytes | None:
    """The file's bytes, or None when it is over the limit (never read past it)."""
    if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
        return None
    data = bytearray()
    for chunk in upload.chunks():
        data.extend(chunk)
        if len(data) > MAX_IMPORT_BYTES:
            return None
    return bytes(data)


def _upload_page(request, form, status=200) -> HttpResponse:
    return _render(
        request,
        "backoffice/import.html",
        status,
        title="Import content",
        form=form,
        background_rows=background_rows(),
        templates=TEMPLATE_TYPES,
    )


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require(request, IMPORT_PERMISSION)
    if request.method == "GET":
        return _upload_page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, 400)
    upload = form.cleaned_data["file"]
    data = _read_upload(upload)
    if data is None:
        form.add_error(
            "file",
            f"The file is too large: the limit is {MAX_IMPORT_BYTES // (1024 * 1024)} MB.",
        )
        return _upload_page(request, form, 400)
    parsed = import_parse(upload.name, data)
    if parsed.errors:
        for error in parsed.errors:
            form.add_error("file", error)
        return _upload_page(request, form, 400)
    text = data.decode("utf-8-sig")
    job = import_job_create(user=request.user, parsed=parsed, text=text)
    return redirect("transfer:import_job", job_id=job.pk)


@require_GET
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    _require(request, IMPORT_PERMISSION)
    if fmt not in TEMPLATE_TYPES:
        raise Http404("No such template.")
    filename, content_type, body = import_template_file(fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _own_job(request: HttpRequest, job_id) -> ImportJob:
    """The job, if it is the requesting person's (anyone else's is 404)."""
    _require(request, IMPORT_PERMISSION)
    return get_object_or_404(ImportJob.objects.select_related("user"), pk=job_id, user=request.user)


def _waiting(job: ImportJob) -> bool:
    """A background job no worker has taken up for a while."""
    if not job.background or job.started_at is not None:
        return False
    return (timezone.now() - job.updated_at).total_seconds() > WORKER_PATIENCE_SECONDS


def _status(job: ImportJob) -> dict:
    running = job.state in (ImportJob.State.CHECKING, ImportJob.State.IMPORTING)
    return {
        "state": job.state,
        "label": job.get_state_display(),
        "running": running,
        "done": job.done,
        "total": job.total,
        "waiting": _waiting(job),
        "counted": progress_is_counted(),
    }


@require_GET
def import_job(request: HttpRequest, job_id) -> HttpResponse:
    job = _own_job(request, job_id)
    context = {"job": job, "job_status": _status(job)}
    if job.state in (ImportJob.State.CHECKING, ImportJob.State.IMPORTING):
        title = "Checking the file" if job.state == ImportJob.State.CHECKING else "Importing"
        return _render(request, "backoffice/import_progress.html", title=title, **context)
    if job.state == ImportJob.State.FAILED:
        return _render(
            request, "backoffice/import_progress.html", title="The import stopped", **context
        )
    result = job.result or {}
    records = result.get("records", [])
    page = Paginator(records, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context.update(
        result=result,
        page=page,
        problems=[record for record in records if record["errors"]][:ROWS_PER_PAGE],
    )
    if job.state == ImportJob.State.IMPORTED:
        context["lists"] = imported_lists(job)
        return _render(request, "backoffice/import_done.html", title="Imported", **context)
    return _render(request, "backoffice/import_preview.html", title="Check the import", **context)


@require_GET
def import_job_status(request: HttpRequest, job_id) -> JsonResponse:
    job = _own_job(request, job_id)
    response = JsonResponse(_status(job))
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def import_job_confirm_view(request: HttpRequest, job_id) -> HttpResponse:
    job = _own_job(request, job_id)
    if not import_job_confirm(job):
        messages.error(
            request,
            "That import is not waiting to be confirmed (it was confirmed already, or it has "
            "problems). Upload the file again if you need to.",
        )
        return redirect("transfer:import_job", job_id=job.pk)
    job.refresh_from_db()
    if job.state != ImportJob.State.IMPORTED:
        return redirect("transfer:import_job", job_id=job.pk)  # running, or it changed
    lists = imported_lists(job)
    message = f"Imported {job.filename}: {job.result['summary']}."
    if lists:
        message += " The list shows only what it imported (“Clear all filters” shows the rest)."
    if len(lists) > 1:
        others = format_html_join(
            ", ", '<a href="{}">{}</a>', ((item["url"], item["label"]) for item in lists[1:])
        )
        messages.success(request, format_html("{} Also imported: {}.", message, others))
    else:
        messages.success(request, message)
    if lists:
        return redirect(lists[0]["url"])
    return redirect("transfer:import_job", job_id=job.pk)


@require_GET
def export_page(request: HttpRequest) -> HttpResponse:
    _require(request, *EXPORT_PERMISSIONS)
    downloads = [
        (
            "JSON",
            "json",
            "Everything: agencies, themes, resources, glossary, reviews with their points, "
            "practice weeks. Imports back as it is.",
        ),
        ("YAML", "yaml", "The same as the JSON, easier to read and edit."),
        (
            "CSV",
            "csv",
            "The practice points, one a row, for a spreadsheet. Imports back as it is.",
        ),
    ]
    return _render(request, "backoffice/export.html", title="Export content", downloads=downloads)


@require_GET
def export_download(request: HttpRequest, fmt: str) -> HttpResponse:
    _require(request, *EXPORT_PERMISSIONS)
    if fmt not in CONTENT_TYPES:
        raise Http404("No such export format.")
    response = HttpResponse(content_export(fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response
