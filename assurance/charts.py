"""Server-rendered SVG bar charts (no script): each chart is geometry for
templates/assurance/includes/bar_chart.html and stacked_chart.html, and every chart sits
beside a table of the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Rag

WIDTH = 440
ROW = 52  # a label line, then the bar
BAR = 22
LABEL_CHARS = 42

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
    x: float
    width: float
    fill: str
    text_fill: str
    text: str

    @property
    def text_x(self) -> float:
        return round(self.x + 5, 1)


@dataclass
class Bar:
    label: str
    value: int
    y: int
    segments: list[Segment] = field(default_factory=list)

    @property
    def label_y(self) -> int:
        return self.y + 17

    @property
    def bar_y(self) -> int:
        return self.y + 24

    @property
    def text_y(self) -> int:
        return self.y + 41


@dataclass
class Chart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    width: int = WIDTH

    @property
    def inner_width(self) -> int:
        return self.width - 4

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW + 4


def _label(text: str, value: int) -> str:
    text = text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"
    return f"{text}: {value}"


def bar_chart(id: str, title: str, description: str, items, *, rag: bool = False) -> Chart:
    """items: (label, value) or (rag value, label, value) when ``rag``."""
    rows = [(i[1], i[2], COLOURS[Rag(i[0])]) if rag else (i[0], i[1], GREY) for i in items]
    top = max((value for _, value, _ in rows), default=0) or 1
    usable = WIDTH - 4
    bars = []
    for n, (label, value, (fill, text_fill)) in enumerate(rows):
        width = usable * value / top
        bar = Bar(_label(label, value), value, n * ROW)
        if value:
            bar.segments.append(Segment(2, round(width, 1), fill, text_fill, ""))
        bars.append(bar)
    return Chart(id, title, description, bars)


def stacked_chart(id: str, title: str, description: str, rows) -> Chart:
    """rows: selectors.RagRow (label, counts by RAG); each bar is as long as the largest
    row's total, split by RAG, each part marked with its letter and count."""
    top = max((row.total for row in rows), default=0) or 1
    usable = WIDTH - 4
    bars = []
    for n, row in enumerate(rows):
        bar = Bar(_label(row.label, row.total), row.total, n * ROW)
        x = 2.0
        for rag in RAG_ORDER:
            count = row.counts.get(rag, 0)
            if not count:
                continue
            width = usable * count / top
            fill, text_fill = COLOURS[rag]
            text = f"{rag.label[0]} {count}" if width >= 40 else ""
            bar.segments.append(Segment(round(x, 1), round(width, 1), fill, text_fill, text))
            x += width
        bars.append(bar)
    return Chart(id, title, description, bars)
