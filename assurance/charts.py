"""Server-rendered bar charts (no script) for templates/assurance/includes/chart.html,
each beside a table of the same figures. Each bar's label is HTML above it (it wraps, and
keeps the page's text size on a phone: labels inside one scaled SVG were ~11 px at
320 px); the bar is an SVG with no viewBox, its parts placed in percentages of the width,
so the counts on it stay 15 px at every width."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Rag

BAR = 22  # px
LABEL_CHARS = 80
# A part of a stacked bar shows its letter and count ("R 12", ~35 px at 15 px bold) only
# when at least this wide (per cent of the bar: 14% is ~40 px on a 320 px phone).
TEXT_MIN_PERCENT = 14

COLOURS = {
    Rag.RED: ("#d4351c", "#ffffff"),
    Rag.AMBER: ("#b35900", "#ffffff"),
    Rag.GREEN: ("#00703c", "#ffffff"),
    Rag.BLUE: ("#1d70b8", "#ffffff"),
}
GREY = ("#505a5f", "#ffffff")
RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)


@dataclass
class Segment:
    x: float  # per cent of the bar's width
    width: float  # per cent
    fill: str
    text_fill: str
    text: str


@dataclass
class Bar:
    label: str
    value: int
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Chart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    bar_height: int = BAR


def _label(text: str, value: int) -> str:
    text = text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"
    return f"{text}: {value}"


def bar_chart(id: str, title: str, description: str, items, *, rag: bool = False) -> Chart:
    """items: (label, value) or (rag value, label, value) when ``rag``."""
    rows = [(i[1], i[2], COLOURS[Rag(i[0])]) if rag else (i[0], i[1], GREY) for i in items]
    top = max((value for _, value, _ in rows), default=0) or 1
    bars = []
    for label, value, (fill, text_fill) in rows:
        bar = Bar(_label(label, value), value)
        if value:
            bar.segments.append(Segment(0, round(100 * value / top, 2), fill, text_fill, ""))
        bars.append(bar)
    return Chart(id, title, description, bars)


def stacked_chart(id: str, title: str, description: str, rows) -> Chart:
    """rows: selectors.RagRow (label, counts by RAG); each bar is as long as the largest
    row's total, split by RAG, each part marked with its letter and count."""
    top = max((row.total for row in rows), default=0) or 1
    bars = []
    for row in rows:
        bar = Bar(_label(row.label, row.total), row.total)
        x = 0.0
        for rag in RAG_ORDER:
            count = row.counts.get(rag, 0)
            if not count:
                continue
            width = 100 * count / top
            fill, text_fill = COLOURS[rag]
            text = f"{rag.label[0]} {count}" if width >= TEXT_MIN_PERCENT else ""
            bar.segments.append(Segment(round(x, 2), round(width, 2), fill, text_fill, text))
            x += width
        bars.append(bar)
    return Chart(id, title, description, bars)
