"""Export all the content, in the structure ``backoffice.transfer.parse`` reads back.

- JSON and YAML: one document with every agency, theme, resource, glossary term, review
  (with its practice points), practice point without a review, and practice week (with its
  days). Drafts included: this is the staff's full copy. Importing it into an empty
  database gives the same content.
- CSV: the practice points, one a row, in the columns the CSV import reads. Cells that a
  spreadsheet would run as a formula (starting =, +, -, @, tab or carriage return) are
  prefixed with a single quote; so is a cell already starting with a quote, so that the
  import's unescaping gives back exactly what was exported.

Not exported: database ids, created/updated times, the optimistic-locking version, search
vectors, and what the link checker last found (derived, and re-checked after an import).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

import yaml
from django.db.models import Prefetch
from django.utils import timezone

from practice_points.models import PracticePoint, Review
from resources.models import Resource
from themes.models import Agency, GlossaryTerm, PracticeWeek, PracticeWeekDay, Theme

from .schema import (
    AGENCY,
    CSV_COLUMNS,
    DAY,
    DOCUMENT_FORMAT,
    FORMULA_TRIGGERS,
    GLOSSARY,
    LIST_SEPARATOR,
    POINT,
    RESOURCE,
    REVIEW,
    THEME,
    WEEK,
    Kind,
)

DOCUMENT_VERSION = 1
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "yaml": "application/yaml; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _slugs(objs) -> list[str]:
    return sorted(obj.slug for obj in objs)


def _item(kind: Kind, obj) -> dict[str, Any]:
    item = {name: _plain(getattr(obj, name)) for name in kind.fields}
    for name in kind.m2m:
        item[name] = _slugs(getattr(obj, name).all())
    for name in kind.links:
        target = getattr(obj, name)
        item[name] = target.slug if target else None
    return item


def _points():
    return PracticePoint.objects.order_by("position", "slug").prefetch_related(
        "themes", "agencies", "resources"
    )


def content_export_data() -> dict[str, Any]:
    """Every piece of content as plain data (strings, numbers, booleans, lists, dicts)."""
    reviews = (
        Review.objects.order_by("slug")
        .select_related("summary_of")
        .prefetch_related(Prefetch("practice_points", queryset=_points()))
    )
    weeks = PracticeWeek.objects.order_by("slug").prefetch_related(
        Prefetch(
            "days",
            queryset=PracticeWeekDay.objects.order_by("weekday_order").prefetch_related("themes"),
        )
    )
    return {
        "format": DOCUMENT_FORMAT,
        "version": DOCUMENT_VERSION,
        "exported_at": _plain(timezone.now()),
        AGENCY.key: [_item(AGENCY, obj) for obj in Agency.objects.order_by("slug")],
        THEME.key: [_item(THEME, obj) for obj in Theme.objects.order_by("position", "slug")],
        RESOURCE.key: [
            _item(RESOURCE, obj)
            for obj in Resource.objects.order_by("slug").prefetch_related("themes")
        ],
        GLOSSARY.key: [_item(GLOSSARY, obj) for obj in GlossaryTerm.objects.order_by("slug")],
        REVIEW.key: [
            {
                **_item(REVIEW, review),
                "points": [_item(POINT, point) for point in review.practice_points.all()],
            }
            for review in reviews
        ],
        POINT.key: [_item(POINT, point) for point in _points().filter(review__isnull=True)],
        WEEK.key: [
            {**_item(WEEK, week), "days": [_item(DAY, day) for day in week.days.all()]}
            for week in weeks
        ],
    }


def content_export_json() -> str:
    return json.dumps(content_export_data(), ensure_ascii=False, indent=2) + "\n"


def content_export_yaml() -> str:
    return yaml.safe_dump(content_export_data(), allow_unicode=True, sort_keys=False, width=100)


def csv_safe(value: Any) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith((*FORMULA_TRIGGERS, "'")):
        return "'" + text
    return text


def practice_points_export_csv() -> str:
    """The practice points, one a row, in the columns the CSV import reads (UTF-8, with a
    byte order mark so that spreadsheets read the accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    points = _points().select_related("review").order_by("review__slug", "position", "slug")
    for point in points:
        review = point.review
        row = {
            "review_slug": review.slug if review else "",
            "review_title": review.title if review else "",
            "review_type": review.review_type if review else "",
            "review_url": review.source_url if review else "",
            "point_slug": point.slug,
            "position": point.position,
            "text": point.text,
            "guidance": point.guidance,
            "themes": LIST_SEPARATOR.join(_slugs(point.themes.all())),
            "agencies": LIST_SEPARATOR.join(_slugs(point.agencies.all())),
            "all_agencies": "yes" if point.all_agencies else "no",
            "resources": LIST_SEPARATOR.join(_slugs(point.resources.all())),
            "status": point.status,
        }
        writer.writerow([csv_safe(row[name]) for name in CSV_COLUMNS])
    return "\ufeff" + buffer.getvalue()


EXPORTERS = {
    "json": content_export_json,
    "yaml": content_export_yaml,
    "csv": practice_points_export_csv,
}


def export_filename(fmt: str, on: datetime.date | None = None) -> str:
    on = on or timezone.localdate()
    stem = "practice-points" if fmt == "csv" else "content"
    return f"reviews-toolkit-{stem}-{on:%Y-%m-%d}.{fmt}"


def content_export(fmt: str) -> str:
    """The export in ``fmt`` (json, yaml or csv)."""
    return EXPORTERS[fmt]()
