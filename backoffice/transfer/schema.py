"""The transfer engine's schema: the kinds of record a file holds (one per content model,
with the fields it carries in export order), the CSV columns, and the records, parsed
files and results the other steps pass along.

The engine has three steps, one module each, used alike by the admin's import pages,
``import_content``, ``export_content`` and ``load_seed_content``:

- ``schema`` (this module): what a file may hold;
- ``parse``: bytes (or the seed's YAML files) -> records, with what is wrong in the file;
- ``write``: records -> the database, all or nothing, through the workflow's transition
  table (``backoffice.workflow``);
- and ``export`` writes the document ``parse`` reads back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from practice_points.models import PracticePoint, Review
from resources.models import Resource
from reviews_toolkit.content import Publishable
from themes.models import Agency, GlossaryTerm, PracticeWeek, PracticeWeekDay, Theme

MAX_IMPORT_BYTES = 5 * 1024 * 1024
FORMATS = ("csv", "yaml", "json")
EXTENSIONS = {".csv": "csv", ".yaml": "yaml", ".yml": "yaml", ".json": "json", ".txt": None}
LIST_SEPARATOR = ";"
DOCUMENT_FORMAT = "reviews-toolkit-content"

CSV_COLUMNS = (
    "review_slug",
    "review_title",
    "review_type",
    "review_url",
    "point_slug",
    "position",
    "text",
    "guidance",
    "themes",
    "agencies",
    "all_agencies",
    "resources",
    "status",
)
CSV_REQUIRED = ("text",)
# What the export escapes against formula injection (see export.csv_safe), undone here.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

PUBLISHABLE_FIELDS = ("status", "published_at", "last_reviewed", "review_by")


@dataclass(frozen=True, eq=False)
class Kind:
    """One kind of record a document can hold, and how it maps to its model."""

    key: str  # the document's list name
    model: type[models.Model]
    fields: tuple[str, ...]  # concrete fields, in export order (slug first)
    m2m: dict[str, type[models.Model]] = field(default_factory=dict)
    # Foreign keys to another item of the same kind, by its slug (set once all are written).
    links: dict[str, type[models.Model]] = field(default_factory=dict)
    # Fields older exports have that are now derived: read and ignored.
    ignored: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def publishable(self) -> bool:
        return issubclass(self.model, Publishable)


AGENCY = Kind("agencies", Agency, ("slug", "name", "description"))
THEME = Kind(
    "themes",
    Theme,
    ("slug", "name", "kind", "summary", "body", "key_messages", "position", *PUBLISHABLE_FIELDS),
)
RESOURCE = Kind(
    "resources",
    Resource,
    (
        "slug",
        "title",
        "url",
        "resource_type",
        "link_kind",
        "area",
        "publisher",
        "published_on",
        "published_label",
        "summary",
        *PUBLISHABLE_FIELDS,
    ),
    {"themes": Theme},
    ignored=("scope",),  # set from the area
)
GLOSSARY = Kind(
    "glossary",
    GlossaryTerm,
    ("slug", "term", "expansion", "definition", "synonyms", *PUBLISHABLE_FIELDS),
)
REVIEW = Kind(
    "reviews",
    Review,
    (
        "slug",
        "title",
        "review_type",
        "partnership",
        "area",
        "published_on",
        "published_label",
        "summary",
        "source_url",
        "reuse_note",
        *PUBLISHABLE_FIELDS,
    ),
    links={"summary_of": Review},
)
POINT = Kind(
    "points",
    PracticePoint,
    ("slug", "headline", "text", "guidance", "position", "all_agencies", *PUBLISHABLE_FIELDS),
    {"themes": Theme, "agencies": Agency, "resources": Resource},
)
WEEK = Kind(
    "practice_weeks",
    PracticeWeek,
    ("slug", "title", "partnership", "start_date", "introduction", *PUBLISHABLE_FIELDS),
)
DAY = Kind("days", PracticeWeekDay, ("weekday", "title", "introduction"), {"themes": Theme})

# The order records are written in: what others refer to comes first.
KINDS = (AGENCY, THEME, RESOURCE, GLOSSARY, REVIEW, POINT, WEEK)
_KIND_OF = {kind.model: kind for kind in (*KINDS, DAY)}
TOP_LEVEL_KEYS = {"format", "version", "exported_at", *(kind.key for kind in KINDS)}


class ImportFileError(Exception):
    """The file cannot be read at all (its message is safe to show staff)."""


@dataclass
class Record:
    """One thing to write: a CSV row's point, a review, a theme, a day of a week ..."""

    kind: Kind
    where: str  # "Line 4", "reviews[2].points[3]": shown to staff
    values: dict[str, Any]  # only what the file gives; missing = keep or default
    refs: dict[str, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    bad_fields: set[str] = field(default_factory=set)  # fields holding lone surrogates
    links: dict[str, str | None] = field(default_factory=dict)  # e.g. summary_of: a slug
    review_slug: str | None = None  # points: their review (None: no review)
    week_slug: str | None = None  # days: their week
    line: int | None = None
    # Set while importing:
    action: str = ""
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tags: dict[str, list[str]] = field(default_factory=dict)  # themes, agencies ... as matched
    status: str = ""  # the status it will have (publishable content)
    pk: int | None = None  # the saved (or unchanged) row
    kept: bool = False  # already there, left as it is (``keep_existing``)

    @property
    def key(self) -> str:
        if self.kind is DAY:
            return f"{self.week_slug} {self.values.get('weekday', '')}"
        return str(self.values.get("slug", ""))

    def as_data(self) -> dict[str, Any]:
        return {
            "where": self.where,
            "kind": self.kind.label,
            "key": self.key,
            "summary": self.summary,
            "action": self.action,
            "changes": list(self.changes),
            "notes": list(self.notes),
            "errors": list(self.errors),
            "tags": [
                (str(self.kind.model._meta.get_field(name).verbose_name), self.tags[name])
                for name in self.kind.m2m
                if name in self.tags
            ],
            "status": self.status,
        }

    @property
    def summary(self) -> str:
        for name in ("title", "name", "term", "text"):
            text = self.values.get(name)
            if text:
                text = " ".join(str(text).split())
                return text if len(text) <= 90 else text[:89] + "…"
        return ""


@dataclass
class ParsedImport:
    filename: str
    format: str = ""
    records: list[Record] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the whole file

    @property
    def ok(self) -> bool:
        return not self.errors and not any(record.errors for record in self.records)


@dataclass
class ImportResult:
    filename: str
    format: str
    records: list[Record]
    errors: list[str]
    saved: bool = False
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not any(record.errors for record in self.records)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(len(record.errors) for record in self.records)

    @property
    def rows_with_errors(self) -> list[Record]:
        return [record for record in self.records if record.errors]

    @property
    def counts(self) -> Counter:
        return Counter(record.action for record in self.records if record.action)

    def counts_by_kind(self) -> dict[str, Counter]:
        result: dict[str, Counter] = {}
        for record in self.records:
            if record.action:
                name = str(record.kind.model._meta.verbose_name_plural)
                result.setdefault(name, Counter())[record.action] += 1
        return result

    def summary(self) -> str:
        counts = self.counts
        return (
            f"{counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged"
        )

    def lines(self) -> list[str]:
        return [
            f"{name}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for name, c in sorted(self.counts_by_kind().items())
        ]

    def imported_ids(self) -> dict[str, list[int]]:
        """``{"app_label.model_name": [pk, ...]}`` of every row the file holds (created,
        updated or unchanged): what the lists filtered to this import show."""
        ids: dict[str, list[int]] = {}
        for record in self.records:
            if record.pk is not None:
                ids.setdefault(record.kind.model._meta.label_lower, []).append(record.pk)
        return ids

    def as_data(self) -> dict[str, Any]:
        """The preview or outcome as plain data (JSON), for the page to show later."""
        return {
            "filename": self.filename,
            "format": self.format,
            "ok": self.ok,
            "saved": self.saved,
            "dry_run": self.dry_run,
            "errors": list(self.errors),
            "error_count": self.error_count,
            "rows_with_errors": len(self.rows_with_errors),
            "summary": self.summary(),
            "lines": self.lines(),
            "counts": dict(self.counts),
            "records": [record.as_data() for record in self.records],
        }
