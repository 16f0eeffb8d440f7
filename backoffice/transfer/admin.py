"""After an import: the admin's lists filtered to exactly what it imported.

Every content list in the admin has an "import" filter (``ImportedFilter``, added by
``ImportedFilterMixin``): ``?import=<job id>`` shows only the rows that import held
(created, updated or unchanged), from the ids the job recorded. The filter offers the
person's own recent imports; another person's import id shows nothing.
"""

from __future__ import annotations

import uuid

from django.apps import apps
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from backoffice.models import ImportJob

PARAMETER = "import"
RECENT = 5
# The lists an import lands on, in order of preference (days are shown on their week).
LIST_ORDER = (
    "practice_points.practicepoint",
    "practice_points.review",
    "themes.theme",
    "resources.resource",
    "themes.glossaryterm",
    "themes.practiceweek",
    "themes.agency",
)


def _job_label(job: ImportJob) -> str:
    when = job.finished_at or job.created_at
    return f"{job.filename} ({when:%d %b %Y %H:%M})"


class ImportedFilter(admin.SimpleListFilter):
    title = "import"
    parameter_name = PARAMETER

    def _job(self, request) -> ImportJob | None:
        value = self.value()
        try:
            job_id = uuid.UUID(str(value))
        except ValueError:
            return None
        return ImportJob.objects.filter(
            pk=job_id, user=request.user, state=ImportJob.State.IMPORTED
        ).first()

    def lookups(self, request, model_admin):
        label = model_admin.model._meta.label_lower
        jobs = list(
            ImportJob.objects.filter(user=request.user, state=ImportJob.State.IMPORTED)
            .only("id", "filename", "finished_at", "created_at", "imported")
            .order_by("-finished_at")[:RECENT]
        )
        selected = self._job(request)
        if selected is not None and selected not in jobs:
            jobs.append(selected)
        choices = [(str(job.pk), _job_label(job)) for job in jobs if job.imported.get(label)]
        if self.value() is not None and selected is None:
            # Not an import of this person's: the filter stays on, and shows nothing.
            choices.append((self.value(), "An import that is not yours, or not finished"))
        return choices

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        job = self._job(request)
        ids = job.imported.get(queryset.model._meta.label_lower, []) if job else []
        return queryset.filter(pk__in=ids)


class ImportedFilterMixin:
    """Adds the "import" filter to a ModelAdmin's list."""

    def get_list_filter(self, request):
        filters = tuple(super().get_list_filter(request))
        if PARAMETER in request.GET:  # a list filtered to an import: that filter first
            return (ImportedFilter, *filters)
        return (*filters, ImportedFilter)


def imported_lists(job: ImportJob) -> list[dict]:
    """Links to each admin list filtered to what ``job`` imported, most useful first."""
    lists = []
    for label in LIST_ORDER:
        ids = job.imported.get(label)
        if not ids:
            continue
        app_label, model_name = label.split(".")
        try:
            url = reverse(f"admin:{app_label}_{model_name}_changelist")
        except NoReverseMatch:
            continue
        meta = apps.get_model(label)._meta
        noun = meta.verbose_name if len(ids) == 1 else meta.verbose_name_plural
        lists.append(
            {"label": f"{len(ids)} {str(noun).lower()}", "url": f"{url}?{PARAMETER}={job.pk}"}
        )
    return lists
