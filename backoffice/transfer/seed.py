"""Load the bundled seed content (YAML files in ``settings.SEED_CONTENT_DIR``) through the
transfer engine: the files are gathered into one export document, read by
``parse.document_parse`` and written by ``write.content_import``, exactly as an uploaded
file would be (the same checks, the same messages, the same transition table for the
status), then the sources the themes and the practice week name are checked.

The files are the partnership's documents turned into data: agencies, themes, the
practice week, reviews, resources and practice points (one file per source). Every
record has a stable slug, so loading is idempotent: a second run creates nothing and
changes nothing. Existing records are left as staff edited them unless ``update`` is
asked for, when they are brought back in line with the files. Everything the seed holds
is published (a move from draft, or back from the archive, that the table allows); nothing
here sets "last reviewed": that is a person's act (``backoffice.workflow``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from content.models import Status
from practice_points.models import Review
from resources.models import Resource
from themes.models import PracticeWeek, Theme
from themes.provenance import source_keys

from .parse import document_parse, yaml_read
from .schema import AGENCY, POINT, RESOURCE, REVIEW, THEME, WEEK, ImportFileError, ImportResult
from .write import content_import

PUBLISHED = str(Status.PUBLISHED)


class SeedContentError(Exception):
    """The seed files are missing, malformed or refer to something that does not exist."""


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SeedContentError(f"Missing seed file: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedContentError(f"{path.name} cannot be read: {exc}") from exc
    try:
        return yaml_read(text)
    except ImportFileError as exc:
        raise SeedContentError(f"{path.name}: {exc}") from exc


def _rows(path: Path) -> list:
    rows = _read(path)
    if not isinstance(rows, list):
        raise SeedContentError(f"{path.name} must be a list of items.")
    return rows


def _with(row: Any, **extra) -> Any:
    """The file's row with what the seed's layout implies (its status, its position);
    a row that is not a mapping is left for the parser to refuse."""
    return {**row, **extra} if isinstance(row, dict) else row


class _Document:
    """The seed files as one export document, remembering where each item came from."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.document: dict[str, list] = {}
        self.origins: dict[str, str] = {}  # the parser's "points[3]" -> "llr.yaml, point 3"

    def add(self, key: str, item: Any, origin: str) -> None:
        items = self.document.setdefault(key, [])
        items.append(item)
        self.origins[f"{key}[{len(items)}]"] = origin

    def build(self) -> dict[str, list]:
        d = self.directory
        for n, row in enumerate(_rows(d / "agencies.yaml"), start=1):
            self.add(AGENCY.key, row, f"agencies.yaml, item {n}")
        for n, row in enumerate(_rows(d / "themes.yaml")):
            self.add(
                THEME.key, _with(row, position=n, status=PUBLISHED), f"themes.yaml, item {n + 1}"
            )
        week = _read(d / "practice_week.yaml")
        if not isinstance(week, dict):
            raise SeedContentError("practice_week.yaml must be a mapping (the week and its days).")
        self.add(WEEK.key, _with(week, status=PUBLISHED), "practice_week.yaml")
        for n in range(len(week.get("days") or []) if isinstance(week.get("days"), list) else 0):
            self.origins[f"{WEEK.key}[1].days[{n + 1}]"] = f"practice_week.yaml, day {n + 1}"
        for n, row in enumerate(_rows(d / "reviews.yaml"), start=1):
            self.add(REVIEW.key, _with(row, status=PUBLISHED), f"reviews.yaml, item {n}")
        for n, row in enumerate(_rows(d / "resources.yaml"), start=1):
            if isinstance(row, dict) and not row.get("link_kind"):
                row = {**row, "link_kind": "document"}
            self.add(RESOURCE.key, _with(row, status=PUBLISHED), f"resources.yaml, item {n}")
        for path in sorted((d / "practice_points").glob("*.yaml")):
            self.add_points(path)
        return self.document

    def add_points(self, path: Path) -> None:
        data = _read(path)
        if not isinstance(data, dict) or not isinstance(data.get("points"), list):
            raise SeedContentError(
                f"{path.name} must be a mapping with its 'review' (a slug, or empty) and "
                "its 'points' (a list)."
            )
        review = data.get("review") or None
        for position, row in enumerate(data["points"], start=1):
            extra = {"position": position, "status": PUBLISHED}
            if review:
                extra["review"] = review
            self.add(
                POINT.key, _with(row, **extra), f"practice_points/{path.name}, point {position}"
            )


def seed_parse(directory: Path):
    """The seed files read into the engine's records (``ParsedImport``), each record's
    ``where`` naming its file."""
    gathered = _Document(Path(directory))
    parsed = document_parse("the seed content", gathered.build())
    for record in parsed.records:
        record.where = gathered.origins.get(record.where, record.where)
    return parsed


def _provenance_problems() -> list[str]:
    """Every source a theme or practice week paragraph names must exist."""
    texts = [(f"themes.yaml {theme.slug}", theme.body) for theme in Theme.objects.all()]
    for week in PracticeWeek.objects.prefetch_related("days"):
        texts.append((f"practice_week.yaml {week.slug}", week.introduction))
        for day in week.days.all():
            texts.append((f"practice_week.yaml {day.weekday}", day.introduction))
    known = set(Review.objects.values_list("slug", flat=True)) | set(
        Resource.objects.values_list("slug", flat=True)
    )
    problems = []
    for where, text in texts:
        missing = sorted(source_keys(text) - known)
        if missing:
            problems.append(
                f"{where} names unknown source(s) (no review or resource with that "
                f"slug): {', '.join(missing)}"
            )
    return problems


def seed_problems(result: ImportResult) -> list[str]:
    """Every problem, one a line, as ``import_content`` reports them."""
    lines = list(result.errors)
    for record in result.rows_with_errors:
        lines.extend(
            f"{record.where} ({record.kind.label} {record.key}): {error}" for error in record.errors
        )
    return lines


def seed_content_load(directory: Path, *, update: bool = False) -> ImportResult:
    """Load every seed file in one transaction: all of it, or nothing (``SeedContentError``
    listing every problem)."""
    result = content_import(
        seed_parse(directory),
        user=None,
        keep_existing=not update,
        revision=False,
        check=_provenance_problems,
    )
    if not result.saved:
        problems = seed_problems(result)
        raise SeedContentError(
            f"Nothing was loaded: {len(problems)} problem(s) in the seed content.\n"
            + "\n".join(problems)
        )
    return result
