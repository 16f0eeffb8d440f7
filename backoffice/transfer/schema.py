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

from django.apps import apps
from django.db import models

from content import registry
from content.models import Publishable

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


def _kind(entry: registry.ContentType) -> Kind:
    spec = entry.transfer
    return Kind(
        spec.key,
        entry.model,
        spec.fields,
        {name: apps.get_model(label) for name, label in spec.m2m.items()},
        {name: apps.get_model(label) for name, label in spec.links.items()},
        spec.ignored,
    )


# Every kind as the content registry describes it (``content.registry``: each content type
# registers its import/export fields once, in its own app), in the registry's order: what
# others refer to comes first, which is the order records are written in.
_REGISTERED = tuple((entry, _kind(entry)) for entry in registry.transferable())
_BY_KEY = {kind.key: kind for _, kind in _REGISTERED}

# The kinds the parser and the writer treat specially (a CSV row is a review's point; a
# review holds its points and a week its days in a document).
AGENCY = _BY_KEY["agencies"]
THEME = _BY_KEY["themes"]
RESOURCE = _BY_KEY["resources"]
GLOSSARY = _BY_KEY["glossary"]
REVIEW = _BY_KEY["reviews"]
POINT = _BY_KEY["points"]
WEEK = _BY_KEY["practice_weeks"]
DAY = _BY_KEY["days"]

# A document's lists, in the order records are written (nested kinds: inside their parent).
KINDS = tuple(kind for entry, kind in _REGISTERED if not entry.transfer.nested)
_KIND_OF = {kind.model: kind for _, kind in _REGISTERED}
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
