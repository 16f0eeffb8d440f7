"""Server-rendered SVG bar charts: no script, the same figures in a table beside them
(the table is what a screen reader uses; the chart's title and description say what
it shows and where the figures are)."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 400
LABEL_HEIGHT = 22
BAR_HEIGHT = 18
ROW_GAP = 12
MAX_LABEL = 44


def bar_chart(
    chart_id: str, title: str, rows: list[tuple[str, int]], *, unit: str, suffix: str = ""
) -> SafeString:
    """A horizontal bar chart: each row its label above a bar, the value at the bar's end."""
    if not rows:
        return SafeString("")
    biggest = max(value for _, value in rows) or 1
    row_height = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    height = row_height * len(rows)
    usable = WIDTH - 64  # room for the value after the longest bar
    parts = []
    for index, (label, value) in enumerate(rows):
        top = index * row_height
        length = max(round(usable * value / biggest), 2 if value else 0)
        parts.append(
            format_html(
                '<text x="0" y="{}" class="app-chart__label">{}</text>'
                '<rect x="0" y="{}" width="{}" height="{}" class="app-chart__bar"></rect>'
                '<text x="{}" y="{}" class="app-chart__value">{}</text>',
                top + LABEL_HEIGHT - 5,
                label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…",
                top + LABEL_HEIGHT,
                length,
                BAR_HEIGHT,
                length + 6,
                top + LABEL_HEIGHT + BAR_HEIGHT - 3,
                f"{value}{suffix}",
            )
        )
    return format_html(
        '<svg class="app-chart" id="{}" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">Bar chart of {} for {} items; '
        "the same figures are in the table {}.</desc>{}</svg>",
        chart_id,
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        unit,
        len(rows),
        "beside it",
        format_html_join("", "{}", ((part,) for part in parts)),
    )
