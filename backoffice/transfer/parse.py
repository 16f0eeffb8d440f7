"""Reading a file into records (the transfer engine's second step): learning points from
a new review (CSV, YAML or JSON), the full-content document ``backoffice.transfer.export``
writes (JSON or YAML), or the bundled seed files (``backoffice.transfer.seed`` turns them
into that document first).

Two steps, so staff see what will happen before anything is saved:

1. ``import_parse(filename, data)`` reads the bytes into records (one per CSV row, or one
   per item of a document), with the errors found in the file alone: not UTF-8, binary,
   too large, not CSV/YAML/JSON, unknown columns, missing text, duplicate slugs ...
2. ``content_import(parsed, user=..., dry_run=...)`` (``backoffice.transfer.write``) writes the records in ONE transaction,
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

Status: the file's status is a move of the workflow's transition table
(``backoffice.workflow.transitions``), made only if the table lets the importing user make
it: an Editor's new records arrive as drafts (with a note), an Editor's change to published
or archived content is refused, and a move the table has not (published -> in review) is
refused to everyone, a trusted command-line import and the seed loader included.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
from collections import Counter
from typing import Any

import yaml
from django.db import models

from .schema import (
    CSV_COLUMNS,
    CSV_REQUIRED,
    DAY,
    DOCUMENT_FORMAT,
    EXTENSIONS,
    FORMULA_TRIGGERS,
    KINDS,
    LIST_SEPARATOR,
    MAX_IMPORT_BYTES,
    POINT,
    REVIEW,
    TOP_LEVEL_KEYS,
    WEEK,
    ImportFileError,
    Kind,
    ParsedImport,
    Record,
)

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


def document_parse(filename: str, document: Any) -> ParsedImport:
    """Records from a document already read (the seed's files, gathered into one export
    document by ``backoffice.transfer.seed``): the same checks as an uploaded file."""
    parsed = ParsedImport(filename=filename, format="yaml")
    try:
        parsed.records = _parse_document(_without_surrogates(document))
    except ImportFileError as exc:
        parsed.errors.append(str(exc))
        return parsed
    if not parsed.records:
        parsed.errors.append("The file holds no content to import.")
    _check_duplicates(parsed.records)
    return parsed


def yaml_read(text: str) -> Any:
    """YAML as an upload is read: safe, without aliases (``ImportFileError`` if invalid)."""
    return _read_document(text, "yaml")


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
            f"full content export ({', '.join(kind.key for kind in KINDS)})."
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
