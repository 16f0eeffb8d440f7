"""The yearly report (Working Together 2023: the actions taken on local and national review
recommendations, their impact, where there has been little or no progress, and independent
scrutiny) as sections, as a Word document, and every action as CSV."""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter

from django.db.models import Q
from django.utils import timezone

from practice_points.models import Review

from .models import (
    CLOSING_EVIDENCE,
    Action,
    ActionStatus,
    Challenge,
    Evidence,
    Rag,
    Recommendation,
    YearlyReport,
)
from .report_sections import SECTIONS, ReportSection, ReportTable


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _d(value: datetime.date | None) -> str:
    return f"{value:%d %B %Y}".lstrip("0") if value else ""


def _recs_by(year: int):
    """Recommendations made by the end of ``year`` (the report covers what was open then)."""
    _, end = _year_bounds(year)
    return Recommendation.objects.filter(created_at__date__lte=end)


def reviews_in_year(year: int) -> tuple[list, list]:
    """(reviews started in ``year``, reviews published in ``year``) among the reviews with
    an assurance plan or recommendations."""
    start, end = _year_bounds(year)
    tracked = Review.objects.filter(
        Q(assurance_plan__isnull=False) | Q(recommendations__isnull=False)
    ).distinct()
    started = list(tracked.filter(assurance_plan__started_on__range=(start, end)).order_by("title"))
    published = list(tracked.filter(published_on__range=(start, end)).order_by("title"))
    return started, published


def section_reviews(year: int) -> ReportSection:
    started, published = reviews_in_year(year)
    rows = []
    for review in sorted({*started, *published}, key=lambda r: r.title):
        plan = getattr(review, "assurance_plan", None)
        rows.append(
            [
                review.title,
                review.get_review_type_display(),
                _d(plan.started_on if plan else None),
                _d(review.published_on),
            ]
        )
    return ReportSection(
        heading=f"Reviews started and published in {year}",
        paragraphs=[
            f"Reviews started in {year}: {len(started)}. Reviews published in {year}: "
            f"{len(published)}."
        ],
        tables=[
            ReportTable(
                caption=f"Reviews started or published in {year}",
                headers=["Review", "Type", "Started", "Published"],
                rows=rows,
            )
        ]
        if rows
        else [],
        order=10,
    )


def section_themes(year: int) -> ReportSection:
    recs = _recs_by(year).prefetch_related("themes", "actions")
    rec_counts: Counter = Counter()
    action_counts: Counter = Counter()
    for rec in recs:
        for theme in rec.themes.all():
            rec_counts[theme.name] += 1
            action_counts[theme.name] += len(rec.actions.all())
    rows = [
        [name, str(rec_counts[name]), str(action_counts[name])]
        for name in sorted(rec_counts, key=lambda n: (-rec_counts[n], n))
    ]
    return ReportSection(
        heading="Learning themes",
        paragraphs=[
            "The themes the recommendations concern, with how many recommendations and "
            "actions each has."
        ],
        tables=[
            ReportTable(
                caption="Recommendations and actions by learning theme",
                headers=["Theme", "Recommendations", "Actions"],
                rows=rows,
            )
        ]
        if rows
        else [],
        order=20,
    )


def section_recommendations(year: int) -> ReportSection:
    today = timezone.localdate()
    recs = list(
        _recs_by(year)
        .select_related("review")
        .prefetch_related("actions__owner_agency", "agencies")
        .order_by("review__title", "number")
    )
    actions = [a for rec in recs for a in rec.actions.all()]
    counts = Counter(a.status for a in actions)
    tables = []
    for rec in recs:
        response = "accepted" if rec.accepted else f"not accepted: {rec.response_reason}"
        if rec.adopted_locally:
            response += "; national, adopted locally"
        rows = [
            [
                action.description,
                action.owner_agency.name,
                _d(action.effective_due),
                f"{action.get_status_display()} ({Rag(action.rag(today)).label})",
            ]
            for action in rec.actions.all()
        ]
        tables.append(
            ReportTable(
                caption=f"{rec.review.title}, recommendation {rec.number} ({response}): {rec.text}",
                headers=["Action", "Owner", "Due", "Status (RAG)"],
                rows=rows or [["No actions yet", "", "", ""]],
            )
        )
    summary = (
        f"{len(recs)} recommendation{'s' if len(recs) != 1 else ''} "
        f"({sum(1 for r in recs if r.accepted)} accepted) with {len(actions)} "
        f"action{'s' if len(actions) != 1 else ''}: "
        + ", ".join(
            f"{label.lower()} {counts.get(value, 0)}" for value, label in ActionStatus.choices
        )
        + f". Status as at {_d(today)}."
    )
    return ReportSection(
        heading="Recommendations and the actions taken on them",
        paragraphs=[summary],
        tables=tables,
        order=30,
    )


def section_impact(year: int) -> ReportSection:
    start, end = _year_bounds(year)
    items = list(
        Evidence.objects.filter(kind__in=CLOSING_EVIDENCE, date__range=(start, end))
        .select_related("action__recommendation__review", "action__owner_agency")
        .order_by("date", "id")
    )
    rows = [
        [
            f"{e.action.recommendation.review.title}, recommendation "
            f"{e.action.recommendation.number}",
            e.action.description,
            e.short_kind,
            _d(e.date),
            e.description,
        ]
        for e in items
    ]
    practice = sum(1 for e in items if e.kind == "practice_change")
    return ReportSection(
        heading="Evidence of impact",
        paragraphs=[
            f"{len(items)} evidence item{'s' if len(items) != 1 else ''} of impact dated in "
            f"{year}: {practice} of practice change, {len(items) - practice} of outcomes "
            "for children."
        ],
        tables=[
            ReportTable(
                caption=f"Evidence of practice change and outcomes in {year}",
                headers=["Review", "Action", "Kind", "Date", "Evidence"],
                rows=rows,
            )
        ]
        if rows
        else [],
        order=40,
    )


def little_progress_actions():
    """Off-track actions and actions whose due date was revised (slipped), still open."""
    return (
        Action.objects.open()
        .filter(Q(status=ActionStatus.OFF_TRACK) | Q(due_changes__isnull=False))
        .distinct()
        .select_related("recommendation__review", "owner_agency")
        .prefetch_related("due_changes")
        .order_by("recommendation__review__title", "recommendation__number", "id")
    )


def section_little_progress(year: int) -> ReportSection:
    actions = list(little_progress_actions())
    rows = []
    for action in actions:
        changes = list(action.due_changes.all())
        rows.append(
            [
                f"{action.recommendation.review.title}, recommendation "
                f"{action.recommendation.number}",
                action.description,
                action.owner_agency.name,
                action.get_status_display(),
                str(len(changes)),
                changes[-1].reason if changes else "",
            ]
        )
    return ReportSection(
        heading="Areas with little or no progress",
        paragraphs=[
            f"{len(actions)} open action{'s' if len(actions) != 1 else ''} off track or with "
            "a revised due date."
        ],
        tables=[
            ReportTable(
                caption="Actions off track or slipped",
                headers=["Review", "Action", "Owner", "Status", "Revisions", "Reason"],
                rows=rows,
            )
        ]
        if rows
        else [],
        order=50,
    )


def section_challenges(year: int) -> ReportSection:
    start, end = _year_bounds(year)
    challenges = list(
        Challenge.objects.filter(raised_at__date__range=(start, end))
        .select_related("action__recommendation__review", "recommendation__review")
        .prefetch_related("messages")
        .order_by("raised_at", "id")
    )
    rows = []
    for challenge in challenges:
        messages = list(challenge.messages.all())
        subject = challenge.subject
        where = (
            f"Action: {subject.description}"
            if challenge.action_id
            else f"Recommendation {subject.number}"
        )
        rows.append(
            [
                f"{challenge.review.title}. {where}",
                messages[0].text if messages else "",
                " / ".join(m.text for m in messages[1:] if m.is_reply) or "No answer yet",
                challenge.get_state_display(),
            ]
        )
    open_count = sum(1 for c in challenges if c.state == "open")
    return ReportSection(
        heading="Scrutiny challenges and their answers",
        paragraphs=[
            f"{len(challenges)} challenge{'s' if len(challenges) != 1 else ''} raised in "
            f"{year}; {open_count} still waiting for a reply."
        ],
        tables=[
            ReportTable(
                caption=f"Challenges raised in {year}",
                headers=["On", "Challenge", "Answer", "State"],
                rows=rows,
            )
        ]
        if rows
        else [],
        order=60,
    )


OWN_SECTIONS = (
    section_reviews,
    section_themes,
    section_recommendations,
    section_impact,
    section_little_progress,
    section_challenges,
)


def report_sections(year: int) -> list[ReportSection]:
    """The report's own sections and every section other apps registered, by ``order``."""
    sections = [builder(year) for builder in (*OWN_SECTIONS, *SECTIONS)]
    return sorted(sections, key=lambda s: s.order)


# --- Word -------------------------------------------------------------------------------


def report_docx(year: int, *, site_name: str = "Safeguarding Children Partnership") -> bytes:
    # python-docx is heavy and only needed here: imported when a report is made.
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    record = YearlyReport.objects.filter(year=year).first()
    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)
    styles = document.styles
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(11)
    document.core_properties.title = f"Learning into practice: yearly report {year}"
    document.core_properties.author = site_name
    document.core_properties.language = "en-GB"

    document.add_heading(f"Learning into practice: yearly report {year}", level=0)
    document.add_paragraph(site_name)
    if record is None or not record.is_published:
        document.add_paragraph(f"Draft, made {_d(timezone.localdate())}: not yet published.").runs[
            0
        ].bold = True
    else:
        document.add_paragraph(f"Published {_d(timezone.localdate(record.published_at))}.")
    if record and record.introduction:
        for para in record.introduction.split("\n\n"):
            document.add_paragraph(para.strip())
    notes = record.notes if record else {}
    for section in report_sections(year):
        document.add_heading(section.heading, level=1)
        note = notes.get(section.heading)
        if note:
            for para in note.split("\n\n"):
                document.add_paragraph(para.strip())
        for para in section.paragraphs:
            document.add_paragraph(para)
        for table in section.tables:
            caption = document.add_paragraph(table.caption, style="Caption")
            caption.paragraph_format.space_before = Pt(12)
            caption.paragraph_format.keep_with_next = True  # never a caption alone
            grid = document.add_table(rows=1, cols=len(table.headers))
            grid.style = "Table Grid"
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            header = grid.rows[0]
            # The header row repeats on each page and is read as headers.
            tr_pr = header._tr.get_or_add_trPr()
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            tr_pr.append(repeat)
            for cell, text in zip(header.cells, table.headers, strict=True):
                cell.text = ""
                run = cell.paragraphs[0].add_run(text)
                run.bold = True
            for row in table.rows:
                cells = grid.add_row().cells
                for cell, text in zip(cells, row, strict=False):
                    cell.text = str(text)
            for row in grid.rows:
                for cell in row.cells:
                    for para in cell.paragraphs:
                        for run in para.runs:
                            run.font.size = Pt(9)
        if not section.paragraphs and not section.tables and not note:
            document.add_paragraph("Nothing to report.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- CSV --------------------------------------------------------------------------------

CSV_HEADERS = [
    "review",
    "recommendation_number",
    "recommendation",
    "scope",
    "accepted",
    "action",
    "owner_agency",
    "lead_role",
    "due_date",
    "revised_due_date",
    "revised_reason",
    "status",
    "rag",
    "reaudit_date",
    "evidence_items",
    "closing_evidence",
    "signed_off_at",
    "public_summary",
]


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula: one starting with
    = + - @ (or a tab or carriage return) gets a leading apostrophe (as the content
    export does)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def actions_csv() -> str:
    today = timezone.localdate()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    actions = (
        Action.objects.full()
        .prefetch_related("evidence")
        .order_by("recommendation__review__title", "recommendation__number", "id")
    )
    for a in actions:
        evidence = list(a.evidence.all())
        rec = a.recommendation
        row = [
            rec.review.title,
            rec.number,
            rec.text,
            rec.get_scope_display(),
            "yes" if rec.accepted else "no",
            a.description,
            a.owner_agency.name,
            a.lead_role,
            a.due_date.isoformat(),
            a.revised_due_date.isoformat() if a.revised_due_date else "",
            a.revised_reason,
            a.get_status_display(),
            Rag(a.rag(today)).label,
            a.reaudit_date.isoformat() if a.reaudit_date else "",
            len(evidence),
            sum(1 for e in evidence if e.kind in CLOSING_EVIDENCE),
            timezone.localtime(a.signed_off_at).strftime("%Y-%m-%d %H:%M")
            if a.signed_off_at
            else "",
            a.public_summary,
        ]
        writer.writerow([csv_safe(value) for value in row])
    return out.getvalue()
