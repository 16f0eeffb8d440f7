"""Import and export pages of the back office (inside the admin: see transfer_urls).

Import is two steps. The upload is read and imported for real in a transaction that is
rolled back (``content_import(dry_run=True)``), and the preview shows every row with what
will happen or its errors. Only a file without errors can be confirmed: its text is kept
in the (server-side) session under its SHA-256, the confirm form carries that hash, and
confirming reads the text back from the session, parses and validates it again and imports
it: nothing from the browser but the hash is trusted, and nothing needs uploading twice.
"""

from __future__ import annotations

import hashlib
import hmac

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .exporting import CONTENT_TYPES, content_export, export_filename
from .importing import MAX_IMPORT_BYTES, content_import, import_parse

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
SESSION_KEY = "backoffice_content_import"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        allow_empty_file=True,  # importing.import_parse says why it cannot be imported
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


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require(request, IMPORT_PERMISSION)
    title = "Import content"
    if request.method == "GET":
        return _render(request, "backoffice/import.html", title=title, form=ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, "backoffice/import.html", 400, title=title, form=form)
    upload = form.cleaned_data["file"]
    data = _read_upload(upload)
    if data is None:
        form.add_error(
            "file",
            f"The file is too large: the limit is {MAX_IMPORT_BYTES // (1024 * 1024)} MB.",
        )
        return _render(request, "backoffice/import.html", 400, title=title, form=form)
    parsed = import_parse(upload.name, data)
    if parsed.errors:
        for error in parsed.errors:
            form.add_error("file", error)
        return _render(request, "backoffice/import.html", 400, title=title, form=form)
    result = content_import(parsed, user=request.user, dry_run=True)
    token = ""
    if result.ok:
        text = data.decode("utf-8-sig")
        token = _digest(text)
        request.session[SESSION_KEY] = {"token": token, "name": upload.name, "text": text}
    else:
        request.session.pop(SESSION_KEY, None)
    return _render(
        request,
        "backoffice/import_preview.html",
        title="Check the import",
        result=result,
        token=token,
    )


@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    _require(request, IMPORT_PERMISSION)
    stored = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    if (
        not isinstance(stored, dict)
        or not isinstance(stored.get("text"), str)
        or not hmac.compare_digest(str(stored.get("token", "")), token)
        or _digest(stored["text"]) != token
    ):
        messages.error(
            request,
            "That import is no longer waiting to be confirmed (it was confirmed already, or "
            "another file was uploaded since). Upload the file again.",
        )
        return redirect("transfer:import")
    parsed = import_parse(stored["name"], stored["text"].encode("utf-8"))
    result = content_import(parsed, user=request.user)
    if not result.saved:
        request.session.pop(SESSION_KEY, None)
        messages.error(
            request, "Nothing was imported: the content changed since the preview. See below."
        )
        return _render(
            request,
            "backoffice/import_preview.html",
            409,
            title="Check the import",
            result=result,
            token="",
        )
    request.session.pop(SESSION_KEY, None)
    messages.success(request, f"Imported {result.filename}: {result.summary()}.")
    return redirect(reverse("admin:practice_points_practicepoint_changelist"))


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
