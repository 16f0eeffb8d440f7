"""Files to start an import from: a CSV with the header and one example row, and the
same learning point as YAML, with a comment on every field. The example's theme and
agency are real ones from this toolkit, so the template imports as it is."""

from __future__ import annotations

import csv
import io
import json

from content.models import Status
from practice_points.models import ReviewType
from themes.models import Agency, Theme

from .schema import CSV_COLUMNS, LIST_SEPARATOR

TEMPLATE_TYPES = {
    "csv": ("learning-points-template.csv", "text/csv; charset=utf-8"),
    "yaml": ("learning-points-template.yaml", "application/yaml; charset=utf-8"),
}


def _example() -> dict[str, str]:
    themes = list(Theme.objects.published().order_by("position", "name")[:2])
    agency = Agency.objects.order_by("name").first()
    return {
        "review_slug": "child-a-2025",
        "review_title": "Child A: local child safeguarding practice review",
        "review_type": ReviewType.LCSPR.value,
        "review_url": "https://www.example.org.uk/reviews/child-a",
        "point_slug": "",
        "position": "1",
        "text": "Replace this with the learning point, in the review's own words.",
        "guidance": "How practitioners can enhance their practice (optional).",
        "themes": LIST_SEPARATOR.join(theme.slug for theme in themes),
        "agencies": agency.slug if agency else "",
        "all_agencies": "no",
        "resources": "",
        "status": Status.DRAFT.value,
    }


def _csv(example: dict[str, str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(example)
    return buffer.getvalue()


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


def _yaml(example: dict[str, str]) -> str:
    types = ", ".join(ReviewType.values)
    statuses = ", ".join(Status.values)
    themes = [slug for slug in example["themes"].split(LIST_SEPARATOR) if slug]
    agencies = [example["agencies"]] if example["agencies"] else []
    return f"""\
# A review and its learning points, to import at Admin > Import content.
# Replace the example values; add a point by copying the block that starts "- text:".
# Themes and agencies are slugs (or names) from this toolkit; resources are slugs or URLs.
review:
  slug: {_q(example["review_slug"])}  # stable, lowercase-with-hyphens: never change it
  title: {_q(example["review_title"])}
  review_type: {_q(example["review_type"])}  # one of: {types}
  source_url: {_q(example["review_url"])}  # the published report's own address
  status: {_q(example["status"])}  # one of: {statuses} (Editors' imports arrive as drafts)
points:
  - text: {_q(example["text"])}
    guidance: {_q(example["guidance"])}
    themes: {json.dumps(themes)}
    agencies: {json.dumps(agencies)}
    all_agencies: false  # true when the point is for every agency
    resources: []
    status: {_q(example["status"])}
    # slug: child-a-2025-01  (optional: the review's slug and the point's position)
"""


def import_template_file(fmt: str) -> tuple[str, str, str]:
    """(filename, content type, body) of the template in ``fmt`` (csv or yaml)."""
    filename, content_type = TEMPLATE_TYPES[fmt]
    example = _example()
    body = _csv(example) if fmt == "csv" else _yaml(example)
    return filename, content_type, body
