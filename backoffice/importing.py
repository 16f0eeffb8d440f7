"""Import content from a file: learning points from a new review (CSV, YAML or JSON),
or the full-content document ``backoffice.exporting`` writes (JSON or YAML).

Two steps, so staff see what will happen before anything is saved:

1. ``import_parse(filename, data)`` reads the bytes into records (one per CSV row, or one
   per item of a document), with the errors found in the file alone: not UTF-8, binary,
   too large, not CSV/YAML/JSON, unknown columns, missing text, duplicate slugs ...
2. ``content_import(parsed, user=..., dry_run=...)`` writes the records in ONE transaction,
   ``full_clean()`` before each save, and records every row's outcome: created, updated,
   unchanged, or its errors (unknown theme, bad URL, bad review type ...). When any row has
   an error, or for a dry run (the preview), everything is rolled back: the preview is the
   real import, undone, so what it shows is what confirming does.

Every record is keyed on a stable slug, so importing the same file twice creates nothing
the second time and reports it "unchanged". A CSV row without ``point_slug`` gets the
slug ``<review_slug>-<position>`` (position zero-padded to two digits, as the seed content
names its points, e.g. ``child-d-01``), where position is the ``position`` cell or the
row's order among the file's rows for that review. That key survives edits to the text
(fix a typo, import again: the point is updated, not duplicated); a key made from a hash of
the text would not. A row with no review either gets ``point-<first 12 hex of
sha256(text)>``: the only stable thing it has.

Status: imported content arrives as a draft unless the importing user holds the model's
publish permission (Publisher) and the file says ``published`` (or another status). Without
it, the file's status is ignored: new records are drafts, existing records keep theirs, and
a change to published or archived content is refused (an Editor cannot change live content
by import any more than they can publish it).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import reversion
import yaml
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from backoffice.workflow import (
    PUBLISHER_ONLY_TO_EDIT,
    transition_check,
    user_can_edit,
    user_can_publish,
)
from practice_points.models import PracticePoint, Review
from resources.models import Resource
from reviews_toolkit.content import Publishable, Status
from themes.models import Agency, GlossaryTerm, PracticeWeek, PracticeWeekDay, Theme

logger = logging.getLogger(__name__)

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
# What the export escapes against formula injection (see exporting.csv_safe), undone here.
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


# -- Reading the file ------------------------------------------------------------------


def detect_format(filename: str, text: str) -> str | None:
    """csv, yaml or json from the extension, else from the first characters."""
    name = (filename or "").lower()
    dot = name.rfind(".")
    extension = name[dot:] if dot >= 0 else ""
    if extension and extension not in EXTENSIONS:
        return None
    if EXTENSIONS.get(extension):
        return EXTENSIONS[extension]
    start = text.lstrip()
    if start.startswith(("{", "[")):
        return "json"
    first_line = start.split("\n", 1)[0]
    if "," in first_line and "text" in {cell.strip().lower() for cell in first_line.split(",")}:
        return "csv"
    return "yaml"


def _decode(data: bytes) -> str:
    if not data or not data.strip():
        raise ImportFileError("The file is empty.")
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(
            f"The file is too large: the limit is {MAX_IMPORT_BYTES // (1024 * 1024)} MB."
        )
    if b"\x00" in data:
        raise ImportFileError(
            "The file is not a text file (it holds binary data): upload CSV, YAML or JSON."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "The file is not UTF-8 text: save it as 'CSV UTF-8' (or UTF-8 YAML/JSON) and "
            f"upload it again (first bad byte at position {exc.start})."
        ) from exc
    return text.replace("\r\n", "\n")


def import_parse(filename: str, data: bytes) -> ParsedImport:
    """Read an uploaded file into records. Never raises for bad input: problems with the
    file as a whole land in ``errors``, problems with one row in that record's errors."""
    parsed = ParsedImport(filename=filename or "upload")
    try:
        text = _decode(data)
        fmt = detect_format(filename, text)
        if fmt is None:
            raise ImportFileError(
                "The file is not CSV, YAML or JSON: upload a .csv, .yaml, .yml or .json file."
            )
        parsed.format = fmt
        if fmt == "csv":
            parsed.records = _parse_csv(text)
        else:
            document = _load_document(text, fmt)
            parsed.records = _parse_document(document)
    except ImportFileError as exc:
        parsed.errors.append(str(exc))
        return parsed
    if not parsed.records:
        parsed.errors.append("The file holds no content to import.")
    _check_duplicates(parsed.records)
    return parsed


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases (a few aliases can expand to gigabytes)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


class BadText(str):
    """Text from a JSON or YAML escape (``"\\ud800"``) that holds a lone UTF-16 surrogate:
    not text at all, so it cannot be saved, shown or encoded. It stands in the document
    with each surrogate replaced by U+FFFD (so it can be shown) and remembers them, and
    the row it is in gets an error saying so."""

    surrogates: tuple[str, ...] = ()

    @classmethod
    def of(cls, value: str) -> str:
        found = tuple(dict.fromkeys(ch for ch in value if "\ud800" <= ch <= "\udfff"))
        if not found:
            return value
        text = cls("".join("\ufffd" if ch in found else ch for ch in value))
        text.surrogates = found
        return text

    def describe(self) -> str:
        codes = ", ".join(f"\\u{ord(ch):04x}" for ch in self.surrogates)
        return f"holds a lone UTF-16 surrogate ({codes}), which is not text: correct it in the file"


def _without_surrogates(value: Any) -> Any:
    """The loaded document with every string holding a lone surrogate made a ``BadText``."""
    if isinstance(value, str):
        return BadText.of(value)
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def _bad_text(value: Any) -> BadText | None:
    """The first ``BadText`` in ``value`` (a string, or a list or mapping of them)."""
    if isinstance(value, BadText):
        return value
    items = value.items() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        for part in item if isinstance(value, dict) else (item,):
            found = _bad_text(part)
            if found is not None:
                return found
    return None


def _load_document(text: str, fmt: str) -> Any:
    return _without_surrogates(_read_document(text, fmt))


def _read_document(text: str, fmt: str) -> Any:
    try:
        if fmt == "json":
            return json.loads(text)
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 (a SafeLoader)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"The file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or "it could not be read"
        raise ImportFileError(f"The file is not valid YAML: {problem}{where}.") from exc
    except (RecursionError, ValueError) as exc:
        raise ImportFileError(f"The file could not be read as {fmt.upper()}.") from exc


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, datetime.date)):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    if not isinstance(value, str):
        raise ValueError("should be text")
    return value.strip()


def _refs(value: Any) -> list[str]:
    """A list of slugs: a YAML/JSON list, or one string separated by ';'."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        items = value.split(LIST_SEPARATOR)
    elif isinstance(value, list):
        items = value
    else:
        raise ValueError(f"should be a list or text separated by '{LIST_SEPARATOR}'")
    result = []
    for item in items:
        if not isinstance(item, (str, int)):
            raise ValueError("should be a list of slugs or names")
        item = str(item).strip()
        if item and item not in result:
            result.append(item)
    return result


def csv_unescape(value: str) -> str:
    """Undo the export's formula escaping: a quote before =, +, -, @, tab, CR or a quote."""
    if len(value) > 1 and value[0] == "'" and value[1] in (*FORMULA_TRIGGERS, "'"):
        return value[1:]
    return value


def _parse_csv(text: str) -> list[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(
            f"The file is not valid CSV: {exc} (line {reader.line_num})."
        ) from exc
    if not rows:
        raise ImportFileError("The file is empty.")
    header = [cell.strip().lower() for cell in rows[0][1]]
    unknown = [name for name in header if name and name not in CSV_COLUMNS]
    if unknown:
        raise ImportFileError(
            f"Unknown column(s): {', '.join(unknown)}. The columns are: {', '.join(CSV_COLUMNS)}."
        )
    missing = [name for name in CSV_REQUIRED if name not in header]
    if missing:
        raise ImportFileError(
            f"The first row must name the columns, including {', '.join(missing)}. "
            f"The columns are: {', '.join(CSV_COLUMNS)}."
        )
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        raise ImportFileError(f"Column(s) named twice: {', '.join(repeated)}.")

    records: list[Record] = []
    reviews: dict[str, Record] = {}
    per_review: Counter = Counter()
    for line, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        row = {
            name: csv_unescape(cells[i]) if i < len(cells) else ""
            for i, name in enumerate(header)
            if name
        }
        where = f"Line {line}"
        review_slug = row.get("review_slug", "").strip() or None
        review_record = _csv_review(row, review_slug, where, line, reviews, records)
        point = Record(POINT, where, {}, line=line, review_slug=review_slug)
        if review_record is not None and review_record.errors and review_record.line == line:
            point.errors.extend(review_record.errors)
            review_record.errors = []
        if len(cells) > len(header):
            point.errors.append(
                f"This row has {len(cells)} cells but there are {len(header)} columns."
            )
        text = row.get("text", "").strip()
        if not text:
            point.errors.append("Missing text: every row needs the learning point's text.")
        point.values["text"] = text
        if "guidance" in row:
            point.values["guidance"] = row["guidance"].strip()
        per_review[review_slug] += 1
        position = row.get("position", "").strip()
        if position:
            try:
                point.values["position"] = int(position)
            except ValueError:
                point.errors.append(f"Position must be a whole number, not '{position}'.")
        else:
            point.values["position"] = per_review[review_slug]
        point.values["slug"] = row.get("point_slug", "").strip() or _derived_slug(
            review_slug, point.values.get("position"), text
        )
        if "all_agencies" in row:
            flag = _boolean(row["all_agencies"])
            if flag is None:
                point.errors.append(
                    f"all_agencies must be yes or no (or true/false), not '{row['all_agencies']}'."
                )
            else:
                point.values["all_agencies"] = flag
        if row.get("status", "").strip():
            point.values["status"] = row["status"].strip()
        for name in ("themes", "agencies", "resources"):
            if name in row:
                point.refs[name] = _refs(row[name])
        records.append(point)
    return records


def _csv_review(row, review_slug, where, line, reviews, records) -> Record | None:
    """The review a CSV row names: the first row naming a slug makes its record; later rows
    must agree with it (or leave the review cells blank)."""
    if review_slug is None:
        given = [name for name in ("review_title", "review_type", "review_url") if row.get(name)]
        if given:
            record = Record(REVIEW, where, {}, line=line)
            record.errors.append(
                f"{', '.join(given)} given without review_slug: name the review's slug."
            )
            return record
        return None
    values = {"slug": review_slug}
    for column, name in (
        ("review_title", "title"),
        ("review_type", "review_type"),
        ("review_url", "source_url"),
    ):
        if row.get(column, "").strip():
            values[name] = row[column].strip()
    existing = reviews.get(review_slug)
    if existing is None:
        record = Record(REVIEW, where, values, line=line)
        reviews[review_slug] = record
        records.append(record)
        return record
    conflicts = [
        name
        for name, value in values.items()
        if name in existing.values and existing.values[name] != value
    ]
    extra = {name: value for name, value in values.items() if name not in existing.values}
    existing.values.update(extra)
    if conflicts:
        record = Record(REVIEW, where, {}, line=line)
        record.errors.append(
            f"The review details ({', '.join(conflicts)}) differ from {existing.where.lower()} "
            f"for review '{review_slug}'."
        )
        return record
    return existing


def _derived_slug(review_slug: str | None, position: Any, text: str) -> str:
    if review_slug and isinstance(position, int):
        return f"{review_slug}-{position:02d}"
    digest = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:12]
    return f"point-{digest}"


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in ("", "no", "n", "false", "0"):
        return False
    if text in ("yes", "y", "true", "1"):
        return True
    return None


def _parse_document(document: Any) -> list[Record]:
    if not isinstance(document, dict):
        raise ImportFileError(
            "The document must be a mapping: either a 'review' with its 'points', or the "
            "full content export (agencies, themes, resources, glossary, reviews, points, "
            "practice_weeks)."
        )
    if "review" in document:
        unknown = sorted(set(document) - {"review", "points"})
        if unknown:
            listed = ", ".join(map(str, unknown))
            raise ImportFileError(f"Unknown key(s) beside 'review': {listed}.")
        review = document["review"]
        if not isinstance(review, dict):
            raise ImportFileError("'review' must be a mapping with its slug, title and type.")
        document = {"reviews": [{**review, "points": document.get("points") or []}]}
    bad = _bad_text(list(document))
    if bad is not None:
        raise ImportFileError(f"A key of the document {bad.describe()}.")
    unknown = sorted(map(str, set(document) - TOP_LEVEL_KEYS))
    if unknown:
        raise ImportFileError(
            f"Unknown key(s): {', '.join(unknown)}. A document holds: "
            f"{', '.join(kind.key for kind in KINDS)} (or one 'review' with its 'points')."
        )
    if "format" in document and document["format"] != DOCUMENT_FORMAT:
        raise ImportFileError(f"'format' must be '{DOCUMENT_FORMAT}'.")
    records: list[Record] = []
    for kind in KINDS:
        items = document.get(kind.key) or []
        if not isinstance(items, list):
            raise ImportFileError(f"'{kind.key}' must be a list.")
        for index, item in enumerate(items):
            where = f"{kind.key}[{index + 1}]"
            record = _document_record(kind, item, where)
            records.append(record)
            if kind is REVIEW:
                records.extend(_nested(item, "points", POINT, where, review_slug=record.key))
            elif kind is WEEK:
                records.extend(_nested(item, "days", DAY, where, week_slug=record.key))
    return records


def _nested(item, name, kind, where, **link) -> list[Record]:
    if not isinstance(item, dict):
        return []
    children = item.get(name) or []
    if not isinstance(children, list):
        return [Record(kind, f"{where}.{name}", {}, errors=[f"'{name}' must be a list."])]
    records = []
    for index, child in enumerate(children):
        position = index + 1 if kind is POINT else None
        records.append(
            _document_record(kind, child, f"{where}.{name}[{index + 1}]", position, **link)
        )
    return records


def _document_record(
    kind: Kind, item: Any, where: str, position: int | None = None, **link
) -> Record:
    record = Record(kind, where, {}, **link)
    if not isinstance(item, dict):
        record.errors.append("Each item must be a mapping of field names to values.")
        return record
    allowed = {*kind.fields, *kind.m2m, *kind.links, *kind.ignored}
    nested = {REVIEW: {"points"}, WEEK: {"days"}}.get(kind, set())
    if kind is POINT:
        allowed.add("review")
    bad_key = _bad_text(list(item))
    if bad_key is not None:
        record.errors.append(f"A field name {bad_key.describe()}.")
    unknown = sorted(map(str, set(item) - allowed - nested))
    if unknown and bad_key is None:
        record.errors.append(f"Unknown field(s): {', '.join(unknown)}.")
    item = dict(item)
    for name in [*kind.fields, *kind.m2m, *kind.links, "review"]:
        bad = _bad_text(item.get(name))
        if bad is not None:
            record.errors.append(f"{name}: {bad.describe()}.")
            record.bad_fields.add(name)
            del item[name]
    for name in kind.fields:
        if name not in item:
            continue
        try:
            value = item[name]
            model_field = kind.model._meta.get_field(name)
            if isinstance(model_field, models.BooleanField):
                flag = _boolean(value)
                if flag is None:
                    raise ValueError("must be true or false")
                record.values[name] = flag
            elif isinstance(model_field, (models.IntegerField, models.DateField)) and (
                value is None
                or isinstance(value, (int, datetime.date))
                and not isinstance(value, bool)
            ):
                record.values[name] = value
            else:
                record.values[name] = _text(value)
        except ValueError as exc:
            record.errors.append(f"{name}: {exc}.")
    if kind is POINT and "review" in item and item["review"] and not link.get("review_slug"):
        try:
            record.review_slug = _text(item["review"]) or None
        except ValueError:
            record.errors.append("review: should be the review's slug.")
    for name in kind.m2m:
        if name in item:
            try:
                record.refs[name] = _refs(item[name])
            except ValueError as exc:
                record.errors.append(f"{name}: {exc}.")
    for name in kind.links:
        if name in item:
            try:
                record.links[name] = _text(item[name]) or None
            except ValueError:
                record.errors.append(f"{name}: should be a slug (or empty).")
    if kind is POINT:
        if position is not None and "position" not in record.values:
            record.values["position"] = position
        if not record.values.get("text"):
            if "text" not in record.bad_fields:
                record.errors.append("Missing text: every point needs the learning point's text.")
        elif not record.values.get("slug"):
            record.values["slug"] = _derived_slug(
                record.review_slug, record.values.get("position"), record.values["text"]
            )
    if kind is not DAY and kind is not POINT and not record.values.get("slug"):
        if "slug" not in record.bad_fields:
            record.errors.append("Missing slug: every item needs its stable slug.")
    if kind is DAY and not record.values.get("weekday") and "weekday" not in record.bad_fields:
        record.errors.append("Missing weekday.")
    return record


def _check_duplicates(records: list[Record]) -> None:
    seen: dict[tuple[str, str], Record] = {}
    for record in records:
        if not record.key.strip():
            continue
        if record.kind is REVIEW and record.line is not None:
            continue  # CSV rows share their review record
        key = (record.kind.key, record.key)
        if key in seen:
            first = seen[key]
            record.errors.append(
                f"Duplicate {record.kind.label} slug '{record.key}' in this file "
                f"(also {first.where.lower()})."
                if record.kind is not DAY
                else f"Duplicate day '{record.key}' in this file (also {first.where.lower()})."
            )
        else:
            seen[key] = record


# -- Writing ---------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def _choice(model_field, value: str) -> str:
    lowered = value.strip().lower()
    for choice_value, choice_label in model_field.choices:
        if lowered in (str(choice_value).lower(), str(choice_label).lower()):
            return choice_value
    allowed = ", ".join(str(choice_value) for choice_value, _ in model_field.choices)
    raise ValidationError(f"Unknown {model_field.verbose_name} '{value}': use one of {allowed}.")


def _clean_value(kind: Kind, name: str, value: Any) -> Any:
    model_field = kind.model._meta.get_field(name)
    if isinstance(value, str):
        if "\x00" in value:
            raise ValidationError(f"{model_field.verbose_name}: holds a NUL character.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            message = f"{model_field.verbose_name}: holds invalid characters."
            raise ValidationError(message) from exc
    if model_field.choices and value not in (None, ""):
        return _choice(model_field, str(value))
    if isinstance(model_field, models.DateTimeField):
        if value in (None, ""):
            return None
        moment = parse_datetime(str(value)) if isinstance(value, str) else value
        if not isinstance(moment, datetime.datetime):
            raise ValidationError(f"{model_field.verbose_name}: '{value}' is not a date and time.")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
    if isinstance(model_field, (models.DateField, models.IntegerField)):
        if value in (None, ""):
            if model_field.null:
                return None
            raise ValidationError(f"{model_field.verbose_name}: a value is required.")
        try:
            return model_field.to_python(value)
        except ValidationError as exc:
            raise ValidationError(f"{model_field.verbose_name}: {' '.join(exc.messages)}") from exc
    if value is None:
        return None if model_field.null else ""
    return value


def _field_label(model, name: str) -> str:
    if name == "__all__":
        return ""
    try:
        label = str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        label = name
    return label[:1].upper() + label[1:] + ": "


class _RowFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__(errors)
        self.errors = errors


def _tag_label(obj) -> str:
    return str(getattr(obj, "name", None) or getattr(obj, "title", None) or obj)


ProgressCallback = Callable[[int, int], None]
PROGRESS_EVERY = 25  # rows between progress reports


class _Importer:
    """Checks and writes one record at a time, finding every problem a row has.

    The workflow's rules (``backoffice.workflow``) decide what the user may change,
    exactly as in the admin: content in a status only a Publisher handles (published,
    archived) is changed only by a Publisher (``user_can_edit``); a status change is
    made only if the transition table allows it to the user (``transition_check``,
    refused with the admin's words); a practice week's days are changed only by
    someone who may change the week (the admin edits them inline, on the week's form)."""

    def __init__(self, parsed: ParsedImport, user, progress: ProgressCallback | None = None):
        self.parsed = parsed
        self.user = user
        self.progress = progress
        self.failed: dict[str, set[str]] = {kind.key: set() for kind in (*KINDS, DAY)}
        self.matched: dict[tuple, models.Model] = {}  # (model, slug or name) -> found

    def can(self, action: str, model) -> bool:
        if self.user is None:
            return True
        meta = model._meta
        return self.user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}")

    def may_edit(self, obj) -> bool:
        return self.user is None or user_can_edit(self.user, obj)

    def refusal(self, obj, old: str, new: str) -> str | None:
        """Why the transition table refuses this move to the user (None: allowed)."""
        return transition_check(self.user, obj, old, new, trusted=self.user is None)

    def run(self) -> None:
        total = len(self.parsed.records)
        for index, record in enumerate(self.parsed.records, start=1):
            self.one(record)
            if self.progress is not None and (index % PROGRESS_EVERY == 0 or index == total):
                self.progress(index, total)
        for record in self.parsed.records:
            if record.links and record.pk is not None and not record.errors:
                self.link(record)

    def link(self, record: Record) -> None:
        """Set a record's links to other items (e.g. the review a summary summarises),
        once every item of the file is written, whatever their order."""
        kind = record.kind
        obj = kind.model.objects.get(pk=record.pk)
        changed = []
        for name, slug in record.links.items():
            target = None
            if slug:
                target = kind.links[name].objects.filter(slug=slug).first()
                if target is None:
                    label = kind.links[name]._meta.verbose_name
                    record.errors.append(
                        f"{_field_label(kind.model, name)}unknown {label} '{slug}'."
                    )
                    continue
            if getattr(obj, f"{name}_id") != (target.pk if target else None):
                setattr(obj, name, target)
                changed.append(name)
        if record.errors:
            record.action = ""
            return
        if changed and not self.may_edit(obj):
            record.errors.append(PUBLISHER_ONLY_TO_EDIT)
            record.action = ""
            return
        if changed:
            try:
                obj.full_clean()
            except ValidationError as exc:
                record.errors.extend(self.messages(kind.model, exc))
                record.action = ""
                return
            obj.save()
            if reversion.is_registered(type(obj)):
                reversion.add_to_revision(obj)
            if record.action == "unchanged":
                record.action = "updated"
            record.changes.extend(_field_label(kind.model, name)[:-2] for name in changed)

    def one(self, record: Record) -> None:
        if not record.values and record.errors:
            self.failed[record.kind.key].add(record.key)
            return  # nothing to check further (not a mapping, not a list ...)
        try:
            with transaction.atomic():
                self.write(record)
        except _RowFailed as exc:
            record.errors.extend(exc.errors)
        except DatabaseError as exc:
            logger.warning("Import row %s refused by the database: %s", record.where, exc)
            record.errors.append(f"The database refused this row: {exc.__class__.__name__}.")
        if record.errors:
            record.action = ""
            self.failed[record.kind.key].add(record.key)

    @staticmethod
    def messages(model, exc: ValidationError) -> list[str]:
        if hasattr(exc, "error_dict"):
            return [
                f"{_field_label(model, name)}{message}"
                for name, errors in exc.message_dict.items()
                for message in errors
            ]
        return list(exc.messages)

    def lookup(self, record: Record):
        model = record.kind.model
        if record.kind is DAY:
            week = PracticeWeek.objects.filter(slug=record.week_slug).first()
            if week is None:
                if record.week_slug in self.failed[WEEK.key]:
                    raise _RowFailed(
                        [f"Its practice week '{record.week_slug}' has errors (see above)."]
                    )
                raise _RowFailed([f"Its practice week '{record.week_slug}' was not imported."])
            return (
                PracticeWeekDay.objects.filter(week=week, weekday=record.values["weekday"]).first(),
                {"week": week},
            )
        slug = record.values.get("slug")
        return (model.objects.filter(slug=slug).first() if slug else None), {}

    def write(self, record: Record) -> None:
        kind = record.kind
        values: dict[str, Any] = {}
        errors: list[str] = []
        failed_fields: set[str] = set(record.bad_fields)
        for name, value in record.values.items():
            try:
                values[name] = _clean_value(kind, name, value)
            except ValidationError as exc:
                errors.extend(exc.messages)
                failed_fields.add(name)
        if kind is DAY:
            if "weekday" not in values:
                raise _RowFailed(errors)
            record.values["weekday"] = values["weekday"]
        if kind is POINT:
            values["review"] = self.review_for(record, errors)
        targets = {name: self.resolve(record, name, errors) for name in record.refs}
        record.tags = {name: [_tag_label(obj) for obj in objs] for name, objs in targets.items()}

        try:
            obj, fixed = self.lookup(record)
        except _RowFailed as exc:
            raise _RowFailed([*errors, *exc.errors]) from None
        created = obj is None
        if not self.can("add" if created else "change", kind.model):
            verb = "add" if created else "change"
            errors.append(
                f"You do not have permission to {verb} {kind.model._meta.verbose_name_plural}."
            )
            raise _RowFailed(errors)
        if created:
            obj = kind.model(**fixed)
        for name in kind.m2m:
            if name not in record.tags and not created:
                record.tags[name] = [_tag_label(o) for o in getattr(obj, name).all()]

        new_status = self.status_for(record, obj, created, values, errors)
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        m2m_changed = [
            name
            for name, objs in targets.items()
            if (objs if created else self.stored_ids(obj, name) != {o.pk for o in objs})
        ]
        if kind.publishable:
            if new_status != (Status.DRAFT if created else obj.status):
                changed.append("status")
            record.status = Status(new_status).label

        edits = [name for name in (*changed, *m2m_changed) if name != "status"]
        if not created and edits and kind.publishable and not self.may_edit(obj):
            errors.append(PUBLISHER_ONLY_TO_EDIT)
        if kind is DAY and (created or edits) and not self.may_edit(fixed["week"]):
            errors.append(PUBLISHER_ONLY_TO_EDIT)

        if not created and not changed and not m2m_changed and not errors and not record.errors:
            record.action = "unchanged"
            record.pk = obj.pk
            return
        for name in changed:
            if name != "status":
                setattr(obj, name, values[name])
        if kind.publishable:
            obj.status = new_status
        exclude = set(failed_fields)
        if not record.values.get("slug"):
            exclude.add("slug")
        try:
            obj.full_clean(exclude=exclude)
        except ValidationError as exc:
            errors.extend(self.messages(kind.model, exc))
        if errors or record.errors:
            raise _RowFailed(errors)
        obj.save()
        for name in m2m_changed:
            getattr(obj, name).set(targets[name])
        if reversion.is_registered(type(obj)):
            reversion.add_to_revision(obj)  # once, with its tags (see content_import)
        record.pk = obj.pk
        record.action = "created" if created else "updated"
        record.changes = [_field_label(kind.model, name)[:-2] for name in (*changed, *m2m_changed)]

    def status_for(self, record: Record, obj, created: bool, values: dict, errors: list) -> str:
        """The status the row's item will have, checked against the workflow; the file's
        ``status`` and (unless the user publishes) ``published_at`` leave ``values``."""
        if not record.kind.publishable:
            return ""
        requested = values.pop("status", None) or None
        if not (self.user is None or user_can_publish(self.user, record.kind.model)):
            values.pop("published_at", None)
        old = Status.DRAFT if created else Status(obj.status)
        if requested is None or requested == old:
            return old
        refusal = self.refusal(obj, old, requested)
        if refusal is None:
            return Status(requested)
        if created:
            record.notes.append(
                f"Arrives as a draft: you cannot make it {Status(requested).label.lower()}."
            )
            return Status.DRAFT
        errors.append(refusal)
        return old

    def review_for(self, record: Record, errors: list[str]):
        if not record.review_slug:
            return None
        review = Review.objects.filter(slug=record.review_slug).first()
        if review is None:
            if record.review_slug in self.failed[REVIEW.key]:
                errors.append(f"Its review '{record.review_slug}' has errors (see above).")
            else:
                errors.append(f"Unknown review '{record.review_slug}'.")
        return review

    @staticmethod
    def stored_ids(obj, name: str) -> set[int]:
        return set(getattr(obj, name).values_list("pk", flat=True))

    def resolve(self, record: Record, name: str, errors: list[str]) -> list:
        model = record.kind.m2m[name]
        label = str(model._meta.verbose_name)
        found = []
        for ref in record.refs[name]:
            cached = self.matched.get((model, ref))
            if cached is not None:  # the same theme, agency ... on many rows
                found.append(cached)
                continue
            matches = list(model.objects.filter(slug=ref)[:1])  # slugs are unique
            if not matches and model in (Theme, Agency):
                matches = list(model.objects.filter(name__iexact=ref)[:2])
            if not matches and model is Resource:
                matches = list(model.objects.filter(url=ref)[:2])
            if len(matches) > 1:
                plural = model._meta.verbose_name_plural
                errors.append(f"'{ref}' matches several {plural}: use the slug.")
            elif not matches:
                failed = ref in self.failed[_KIND_OF[model].key]
                errors.append(
                    f"Unknown {label} '{ref}'" + (" (it has errors, see above)." if failed else ".")
                )
            else:
                found.append(matches[0])
                self.matched[(model, ref)] = matches[0]
        return found


def content_import(
    parsed: ParsedImport,
    *,
    user,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Write the parsed records, all or nothing: when any row has an error, or for a dry run,
    nothing is saved. ``user`` None means a trusted command-line import (every permission).
    The saved changes are one django-reversion revision "Imported from <filename>".
    ``progress(done, total)`` is called every few rows."""
    result = ImportResult(
        filename=parsed.filename,
        format=parsed.format,
        records=parsed.records,
        errors=list(parsed.errors),
        dry_run=dry_run,
    )
    if result.errors:
        return result
    for record in parsed.records:
        record.action, record.changes, record.notes = "", [], []
        record.tags, record.status, record.pk = {}, "", None
    try:
        # One revision; each saved item is added to it once, after its tags are set
        # (reversion's own signals would serialise it again for every tag list).
        with transaction.atomic(), reversion.create_revision(manage_manually=True):
            if user is not None:
                reversion.set_user(user)
            reversion.set_comment(f"Imported from {parsed.filename}"[:500])
            _Importer(parsed, user, progress).run()
            if dry_run or not result.ok:
                raise _Rollback
    except _Rollback:
        return result
    result.saved = True
    return result


__all__ = [
    "CSV_COLUMNS",
    "MAX_IMPORT_BYTES",
    "ImportFileError",
    "ImportResult",
    "ParsedImport",
    "Record",
    "content_import",
    "csv_unescape",
    "import_parse",
]
