"""The uptake and impact figures: one function computes them for a period, and the
dashboard, its CSV and the yearly report's section all show the same numbers."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.text import Truncator

from themes.models import Agency

from .models import (
    AgreedAction,
    DeliveredSession,
    Feedback,
    FollowUp,
    Source,
    briefing_label,
)

UNREACHED_MONTHS = 6
TOP = 10


def months_back(day: datetime.date, months: int) -> datetime.date:
    """``day`` ``months`` calendar months earlier (the day clipped to the month's end)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def month_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months = []
    current = start.replace(day=1)
    while current <= end:
        months.append(current)
        current = months_back(current, -1)
    return months


@dataclass
class Reach:
    label: str
    sessions: int
    people: int


@dataclass
class Usefulness:
    label: str
    kind: str
    yes: int
    no: int

    @property
    def answers(self) -> int:
        return self.yes + self.no

    @property
    def percent_yes(self) -> int:
        return round(100 * self.yes / self.answers) if self.answers else 0


@dataclass
class Figures:
    start: datetime.date
    end: datetime.date
    sessions: int = 0
    people: int = 0
    by_month: list[Reach] = field(default_factory=list)
    by_agency: list[Reach] = field(default_factory=list)
    by_theme: list[Reach] = field(default_factory=list)
    most_used: list[Reach] = field(default_factory=list)
    follow_ups_answered: int = 0
    actions_total: int = 0
    actions_done: int = 0
    actions_partly: int = 0
    confidence_answers: int = 0
    confidence_before: float | None = None
    confidence_now: float | None = None
    feedback_yes: int = 0
    feedback_no: int = 0
    usefulness: list[Usefulness] = field(default_factory=list)
    unreached: list[str] = field(default_factory=list)
    unreached_since: datetime.date | None = None
    demo_sessions: int = 0
    demo_feedback: int = 0

    @property
    def actions_done_percent(self) -> int | None:
        return round(100 * self.actions_done / self.actions_total) if self.actions_total else None

    @property
    def confidence_change(self) -> float | None:
        if self.confidence_before is None or self.confidence_now is None:
            return None
        return round(self.confidence_now - self.confidence_before, 1)

    @property
    def feedback_answers(self) -> int:
        return self.feedback_yes + self.feedback_no

    @property
    def demo_note(self) -> str:
        """How much of these figures is made-up demo data, in words ("" when none is)."""
        parts = []
        if self.demo_sessions:
            parts.append(f"{self.demo_sessions} of the {self.sessions} sessions")
        if self.demo_feedback:
            parts.append(
                f"{self.demo_feedback} of the {self.feedback_answers} 'Was this useful?' answers"
            )
        if not parts:
            return ""
        return (
            "Demo data: "
            + " and ".join(parts)
            + " are made-up examples for trying the toolkit"
            + " (manage.py generate_demo_data --remove takes them away)."
        )

    @property
    def feedback_percent_yes(self) -> int | None:
        answers = self.feedback_answers
        return round(100 * self.feedback_yes / answers) if answers else None


def _reach(rows) -> list[Reach]:
    return [Reach(label, sessions, people) for label, sessions, people in rows]


def uptake_figures(
    start: datetime.date, end: datetime.date, *, today: datetime.date | None = None
) -> Figures:
    """Every figure of the dashboard for sessions delivered from ``start`` to ``end``
    (inclusive); feedback given in those days; agencies with no session in the
    ``UNREACHED_MONTHS`` months up to ``today``."""
    today = today or timezone.localdate()
    sessions = DeliveredSession.objects.filter(delivered_on__range=(start, end))
    figures = Figures(start=start, end=end)
    totals = sessions.aggregate(n=Count("id"), people=Sum("attendees"))
    figures.sessions = totals["n"] or 0
    figures.people = totals["people"] or 0
    figures.demo_sessions = sessions.filter(is_demo=True).count()

    per_month: dict[datetime.date, list[int]] = {m: [0, 0] for m in month_starts(start, end)}
    for delivered_on, attendees in sessions.values_list("delivered_on", "attendees"):
        bucket = per_month[delivered_on.replace(day=1)]
        bucket[0] += 1
        bucket[1] += attendees
    figures.by_month = [Reach(f"{m:%b %Y}", s, p) for m, (s, p) in per_month.items()]

    figures.by_agency = _reach(
        sessions.values_list("agency__name")
        .annotate(n=Count("id"), people=Sum("attendees"))
        .order_by("-n", "-people", "agency__name")
    )
    figures.by_theme = _reach(
        sessions.filter(themes__isnull=False)
        .values_list("themes__name")
        .annotate(n=Count("id"), people=Sum("attendees"))
        .order_by("-n", "-people", "themes__name")
    )

    used: dict[tuple, list] = {}
    for source, pack_id, briefing_id, title, attendees in sessions.order_by(
        "delivered_on", "id"
    ).values_list("source", "pack_id", "briefing_id", "used_title", "attendees"):
        key = ("briefing", briefing_id) if source == Source.BRIEFING else ("pack", pack_id or title)
        label = briefing_label(title) if source == Source.BRIEFING else f"Pack: {title}"
        entry = used.setdefault(key, [label, 0, 0])
        entry[0] = label  # the latest title
        entry[1] += 1
        entry[2] += attendees
    figures.most_used = sorted(
        (Reach(*entry) for entry in used.values()), key=lambda r: (-r.sessions, -r.people, r.label)
    )[:TOP]

    answered = FollowUp.objects.answered().filter(session__in=sessions)
    figures.follow_ups_answered = answered.count()
    outcomes = Counter(
        AgreedAction.objects.filter(session__follow_up__in=answered).values_list(
            "outcome", flat=True
        )
    )
    figures.actions_total = sum(outcomes.values())
    figures.actions_done = outcomes[AgreedAction.Outcome.DONE]
    figures.actions_partly = outcomes[AgreedAction.Outcome.PARTLY]
    confidence = list(
        answered.filter(confidence_before__isnull=False, confidence_now__isnull=False).values_list(
            "confidence_before", "confidence_now"
        )
    )
    figures.confidence_answers = len(confidence)
    if confidence:
        figures.confidence_before = round(sum(b for b, _ in confidence) / len(confidence), 1)
        figures.confidence_now = round(sum(n for _, n in confidence) / len(confidence), 1)

    feedback = Feedback.objects.filter(created_at__date__range=(start, end))
    counts = feedback.aggregate(
        yes=Count("id", filter=Q(useful=True)), no=Count("id", filter=Q(useful=False))
    )
    figures.feedback_yes, figures.feedback_no = counts["yes"], counts["no"]
    figures.demo_feedback = feedback.filter(is_demo=True).count()
    per_target: dict[tuple, Usefulness] = {}
    for point_id, headline, text, theme_id, theme_name, useful in feedback.values_list(
        "practice_point_id",
        "practice_point__headline",
        "practice_point__text",
        "theme_id",
        "theme__name",
        "useful",
    ):
        key = ("point", point_id) if point_id else ("theme", theme_id)
        label = (headline.strip() or Truncator(text).chars(90)) if point_id else theme_name
        entry = per_target.setdefault(
            key, Usefulness(label, "Practice point" if point_id else "Theme", 0, 0)
        )
        if useful:
            entry.yes += 1
        else:
            entry.no += 1
    figures.usefulness = sorted(
        per_target.values(), key=lambda u: (-u.answers, -u.percent_yes, u.label)
    )[:TOP]

    since = months_back(today, UNREACHED_MONTHS)
    figures.unreached_since = since
    reached = DeliveredSession.objects.filter(delivered_on__range=(since, today)).values("agency")
    figures.unreached = list(
        Agency.objects.exclude(pk__in=reached).order_by("name").values_list("name", flat=True)
    )
    return figures


def dashboard_figures(today: datetime.date | None = None, months: int = 12) -> Figures:
    """The last ``months`` calendar months, this one included."""
    today = today or timezone.localdate()
    start = months_back(today.replace(day=1), months - 1)
    return uptake_figures(start, today, today=today)


def year_figures(year: int) -> Figures:
    end = min(datetime.date(year, 12, 31), timezone.localdate())
    return uptake_figures(datetime.date(year, 1, 1), end, today=end)


def figures_rows(figures: Figures) -> list[list]:
    """The figures as rows (section, item, measure, value): the CSV export."""
    rows: list[list] = [
        ["Period", "", "from", figures.start.isoformat()],
        ["Period", "", "to", figures.end.isoformat()],
        ["Total", "", "sessions", figures.sessions],
        ["Total", "", "people reached", figures.people],
    ]
    for section, reaches in (
        ("By month", figures.by_month),
        ("By agency", figures.by_agency),
        ("By theme", figures.by_theme),
        ("Most used", figures.most_used),
    ):
        for reach in reaches:
            rows.append([section, reach.label, "sessions", reach.sessions])
            rows.append([section, reach.label, "people reached", reach.people])
    rows += [
        ["Follow-up", "", "answered", figures.follow_ups_answered],
        ["Follow-up", "", "agreed actions", figures.actions_total],
        ["Follow-up", "", "actions done", figures.actions_done],
        ["Follow-up", "", "actions partly done", figures.actions_partly],
        ["Follow-up", "", "actions done (%)", _blank(figures.actions_done_percent)],
        ["Confidence", "", "answers", figures.confidence_answers],
        ["Confidence", "", "average before (1-5)", _blank(figures.confidence_before)],
        ["Confidence", "", "average now (1-5)", _blank(figures.confidence_now)],
        ["Confidence", "", "average change", _blank(figures.confidence_change)],
        ["Usefulness", "All answers", "yes", figures.feedback_yes],
        ["Usefulness", "All answers", "no", figures.feedback_no],
    ]
    for item in figures.usefulness:
        rows.append(["Usefulness", f"{item.kind}: {item.label}", "yes", item.yes])
        rows.append(["Usefulness", f"{item.kind}: {item.label}", "no", item.no])
    for name in figures.unreached:
        rows.append(["No recorded use since", name, "since", figures.unreached_since.isoformat()])
    return rows


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_safe(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula: text starting with
    =, +, -, @, a tab, a carriage return (or a quote) gets a quote in front. Numbers
    are written as they are (a negative number is a number, not a formula)."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _blank(value):
    return "" if value is None else value


def bar_rows(reaches: list[Reach], measure: str = "sessions") -> list[tuple[str, int]]:
    return [(r.label, getattr(r, measure)) for r in reaches]
