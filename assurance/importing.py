"""Import recommendations and actions from CSV, as the content import does: the file is
checked and every row shown with what it will do or every problem it has; confirming
saves all rows or none; importing the same file again changes nothing.

One row per action (a recommendation without actions: leave the action columns empty).
Rows with the same review and number are one recommendation.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from practice_points.models import Review
from themes.models import Agency, Theme

from . import access
from .models import Recommendation, Scope
from .report import FORMULA_TRIGGERS
from .services import action_create, recommendation_create

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000

COLUMNS = [
    "review_slug",
    "recommendation_number",
    "recommendation",
    "scope",
    "addressed_to",
    "themes",
    "accepted",
    "response_reason",
    "action",
    "owner_agency",
    "lead_role",
    "due_date",
    "reaudit_date",
    "public_summary",
]
REQUIRED = {"review_slug", "recommendation_number", "recommendation"}
NOTES = {
    "review_slug": "the review's slug, as in its address /reviews/<slug>/",
    "recommendation_number": "1, 2, 3 ... within the review",
    "recommendation": "the recommendation's text (the same on every row of it)",
    "scope": "multi-agency, single agency or national (empty: multi-agency)",
    "addressed_to": "agencies, by name or slug, separated by ;",
    "themes": "themes, by name or slug, separated by ;",
    "accepted": "yes or no (empty: yes)",
    "response_reason": "why it was not accepted (needed when accepted is no)",
    "action": "what will be done (empty: a recommendation without actions yet)",
    "owner_agency": "the agency that owns the action, by name or slug",
    "lead_role": "the lead, as a role (e.g. Designated nurse)",
    "due_date": "YYYY-MM-DD",
    "reaudit_date": "YYYY-MM-DD (optional)",
    "public_summary": "one public line (optional, at most 200 characters)",
}
EXAMPLE = {
    "review_slug": "child-a",
    "recommendation_number": "1",
    "recommendation": "Partners should make sure strategy discussions include the police.",
    "scope": "multi-agency",
    "addressed_to": "Police; Children's social care",
    "themes": "information-sharing",
    "accepted": "yes",
    "response_reason": "",
    "action": "Update the strategy discussion procedure and audit its use.",
    "owner_agency": "Children's social care",
    "lead_role": "Head of service, assessment",
    "due_date": "2027-03-31",
    "reaudit_date": "2027-09-30",
    "public_summary": "Strategy discussions now include the police.",
}
SCOPES = {
    "multi-agency": Scope.MULTI_AGENCY,
    "multi agency": Scope.MULTI_AGENCY,
    "": Scope.MULTI_AGENCY,
    "single agency": Scope.SINGLE_AGENCY,
    "single-agency": Scope.SINGLE_AGENCY,
    "national": Scope.NATIONAL,
}


class ImportFileError(ValueError):
    pass


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(EXAMPLE)
    return out.getvalue()


def _unescape(value: str) -> str:
    """Undo the export's formula escaping (a quote before = + - @)."""
    if len(value) > 1 and value[0] == "'" and value[1] in (*FORMULA_TRIGGERS, "'"):
        return value[1:]
    return value


def decode(data: bytes) -> str:
    if not data or not data.strip():
        raise ImportFileError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            f"The file is too large: the limit is {MAX_BYTES // 1024 // 1024} MB."
        )
    if b"\x00" in data:
        raise ImportFileError("The file is not a text file: upload a CSV file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "The file is not UTF-8 text: save it as ‘CSV UTF-8’ and upload it again."
        ) from exc


@dataclass
class Row:
    line: int
    values: dict[str, str]
    does: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Checked:
    rows: list[Row]
    file_errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(r.errors) for r in self.rows)

    @property
    def problem_rows(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def summary(self) -> str:
        recs = sum(1 for r in self.rows for d in r.does if d.startswith("New recommendation"))
        actions = sum(1 for r in self.rows for d in r.does if d.startswith("New action"))
        return (
            f"{recs} new recommendation{'s' if recs != 1 else ''}, {actions} new "
            f"action{'s' if actions != 1 else ''}"
        )


def _lookup(model, value: str):
    return model.objects.filter(Q(slug__iexact=value) | Q(name__iexact=value)).first()


def _date(value: str, label: str, errors: list[str]) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append(f"{label} “{value}” is not a date written YYYY-MM-DD.")
        return None


def check(text: str) -> Checked:
    """Read and check every row (every problem, not only the first); nothing is saved."""
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        return Checked([], [f"The file is not valid CSV: {exc}."])
    if not records:
        return Checked([], ["The file is empty."])
    header = [h.strip().lower() for h in records[0]]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    file_errors = []
    if missing:
        file_errors.append("Columns missing: " + ", ".join(sorted(missing)) + ".")
    if unknown:
        file_errors.append("Columns not known: " + ", ".join(unknown) + ".")
    if len(records) - 1 > MAX_ROWS:
        file_errors.append(f"The file has more than {MAX_ROWS} rows: split it.")
    if file_errors:
        return Checked([], file_errors)

    rows: list[Row] = []
    seen_recs: dict[tuple[str, int], str] = {}
    seen_actions: set[tuple] = set()
    for line, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        values = {
            name: _unescape(record[i].strip()) if i < len(record) else ""
            for i, name in enumerate(header)
            if name
        }
        for name in COLUMNS:
            values.setdefault(name, "")
        row = Row(line, values)
        rows.append(row)
        errors = row.errors
        review = Review.objects.filter(slug=values["review_slug"]).first()
        if review is None:
            errors.append(f"No review has the slug “{values['review_slug']}”.")
        try:
            number = int(values["recommendation_number"])
            if not 1 <= number <= 999:
                raise ValueError
        except ValueError:
            errors.append("recommendation_number must be a whole number from 1 to 999.")
            number = None
        text_value = values["recommendation"]
        if not text_value:
            errors.append("recommendation is empty.")
        scope = SCOPES.get(values["scope"].lower())
        if scope is None:
            errors.append(
                f"scope “{values['scope']}” is not multi-agency, single agency or national."
            )
        accepted_text = values["accepted"].lower()
        if accepted_text not in ("", "yes", "no"):
            errors.append("accepted must be yes or no.")
        if accepted_text == "no" and not values["response_reason"]:
            errors.append("response_reason is needed when accepted is no.")
        for name in _split(values["addressed_to"]):
            if _lookup(Agency, name) is None:
                errors.append(f"No agency is called “{name}” (addressed_to).")
        for name in _split(values["themes"]):
            if _lookup(Theme, name) is None:
                errors.append(f"No theme is called “{name}”.")
        existing = None
        if review is not None and number is not None:
            key = (review.slug, number)
            if key in seen_recs and seen_recs[key] != text_value:
                errors.append(
                    f"Recommendation {number} has different text on an earlier row of the file."
                )
            existing = Recommendation.objects.filter(review=review, number=number).first()
            if existing is not None and existing.text != text_value:
                errors.append(
                    f"{review.title} already has a recommendation {number} with other text."
                )
            if key not in seen_recs and existing is None:
                row.does.append(f"New recommendation {number} for {review.title}")
            elif key not in seen_recs:
                row.does.append(f"Recommendation {number} already there: unchanged")
            seen_recs.setdefault(key, text_value)
        if values["action"]:
            agency = _lookup(Agency, values["owner_agency"]) if values["owner_agency"] else None
            if agency is None:
                errors.append(f"No agency is called “{values['owner_agency']}” (owner_agency).")
            if not values["lead_role"]:
                errors.append("lead_role is empty.")
            due = _date(values["due_date"], "due_date", errors)
            if due is None and not values["due_date"]:
                errors.append("due_date is empty.")
            reaudit = _date(values["reaudit_date"], "reaudit_date", errors)
            if due and reaudit and reaudit < due:
                errors.append("reaudit_date is before due_date.")
            if len(values["public_summary"]) > 200:
                errors.append("public_summary is longer than 200 characters.")
            if review is not None and number is not None and agency is not None:
                akey = (review.slug, number, values["action"], agency.pk)
                if akey in seen_actions:
                    errors.append("The same action is on an earlier row of the file.")
                seen_actions.add(akey)
                if (
                    existing is not None
                    and existing.actions.filter(
                        description=values["action"], owner_agency=agency
                    ).exists()
                ):
                    row.does.append("Action already there: unchanged")
                else:
                    row.does.append(f"New action for {agency.name}")
        if errors:
            row.does = []
    if not rows:
        return Checked([], ["The file has a header but no rows."])
    return Checked(rows, [])


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def plan_import(text: str, *, by) -> Checked:
    """Check again and save every row, or nothing (if anything changed since the preview
    and a row is no longer right, nothing is saved and the problems are returned)."""
    if not access.is_lead(by):
        raise PermissionDenied
    with transaction.atomic():
        checked = check(text)
        if not checked.ok:
            return checked
        for row in checked.rows:
            v = row.values
            review = Review.objects.get(slug=v["review_slug"])
            number = int(v["recommendation_number"])
            rec = Recommendation.objects.filter(review=review, number=number).first()
            if rec is None:
                scope = SCOPES[v["scope"].lower()]
                rec = recommendation_create(
                    review,
                    by=by,
                    number=number,
                    text=v["recommendation"],
                    scope=scope,
                    agencies=[_lookup(Agency, n) for n in _split(v["addressed_to"])],
                    themes=[_lookup(Theme, n) for n in _split(v["themes"])],
                    accepted=v["accepted"].lower() != "no",
                    response_reason=v["response_reason"],
                )
            if v["action"]:
                agency = _lookup(Agency, v["owner_agency"])
                if rec.actions.filter(description=v["action"], owner_agency=agency).exists():
                    continue
                action_create(
                    rec,
                    by=by,
                    description=v["action"],
                    owner_agency=agency,
                    lead_role=v["lead_role"],
                    due_date=datetime.date.fromisoformat(v["due_date"]),
                    reaudit_date=datetime.date.fromisoformat(v["reaudit_date"])
                    if v["reaudit_date"]
                    else None,
                    public_summary=v["public_summary"],
                )
    return checked
