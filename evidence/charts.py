"""Server-rendered bar charts: no script, the same figures in a table beside them
(the table is what a screen reader uses; the chart's title and description say what
it shows and where the figures are). Each bar's label and value are page text above
the bar (they wrap, and stay the page's size on a phone: labels inside one scaled SVG
were ~11 px at 320 px); the bar is an SVG without a viewBox, as long as a percentage of
the width."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_HEIGHT = 18  # px
MAX_LABEL = 80


def bar_chart(
    chart_id: str, title: str, rows: list[tuple[str, int]], *, unit: str, suffix: str = ""
) -> SafeString:
    """A horizontal bar chart: each row its label and value above a bar."""
    if not rows:
        return SafeString("")
    biggest = max(value for _, value in rows) or 1
    parts = []
    for label, value in rows:
        percent = round(100 * value / biggest, 2)
        parts.append(
            format_html(
                '<div class="app-chart__row"><p class="app-chart__label">{}: '
                '<span class="app-chart__value">{}</span></p>'
                '<svg class="app-chart__track" width="100%" height="{}" '
                'xmlns="http://www.w3.org/2000/svg" focusable="false" aria-hidden="true">'
                '<rect x="0" y="0" width="{}%" height="{}" class="app-chart__bar"></rect>'
                "</svg></div>",
                label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…",
                f"{value}{suffix}",
                BAR_HEIGHT,
                max(percent, 0.5) if value else 0,
                BAR_HEIGHT,
            )
        )
    return format_html(
        '<figure class="app-chart" id="{}" role="img" aria-labelledby="{}-title {}-desc">'
        '<span class="govuk-visually-hidden" id="{}-title">{}</span>'
        '<span class="govuk-visually-hidden" id="{}-desc">Bar chart of {} for {} items; '
        "the same figures are in the table {}.</span>{}</figure>",
        chart_id,
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
