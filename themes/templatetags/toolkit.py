"""Template helpers shared by the public pages."""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

_BULLET = re.compile(r"^\s*[-*•]\s+")


@register.filter(needs_autoescape=True)
def prose(text: str | None, autoescape: bool = True) -> str:
    """Plain content text as GOV.UK paragraphs and bulleted lists: blank lines separate
    paragraphs, lines starting with '-' or '*' are list items. Everything is escaped."""
    if not text:
        return ""
    esc = conditional_escape if autoescape else (lambda value: value)
    blocks = [block for block in re.split(r"\n\s*\n", str(text).strip()) if block.strip()]
    html = []
    for block in blocks:
        lines = [line for line in block.splitlines() if line.strip()]
        bullets = [line for line in lines if _BULLET.match(line)]
        if bullets and len(bullets) == len(lines):
            items = format_html_join(
                "", "<li>{}</li>", ((_BULLET.sub("", line),) for line in lines)
            )
            html.append(format_html('<ul class="govuk-list govuk-list--bullet">{}</ul>', items))
        elif bullets and not _BULLET.match(lines[0]) and all(_BULLET.match(x) for x in lines[1:]):
            items = format_html_join(
                "", "<li>{}</li>", ((_BULLET.sub("", line),) for line in lines[1:])
            )
            html.append(
                format_html(
                    '<p class="govuk-body">{}</p><ul class="govuk-list govuk-list--bullet">{}</ul>',
                    lines[0].strip(),
                    items,
                )
            )
        else:
            text_html = mark_safe("<br>".join(str(esc(line.strip())) for line in lines))  # noqa: S308
            html.append(format_html('<p class="govuk-body">{}</p>', text_html))
    return mark_safe("".join(str(part) for part in html))  # noqa: S308


@register.simple_tag(takes_context=True)
def url_with(context, **changes) -> str:
    """The current query string with some parameters replaced (``None`` removes one),
    always without ``page``."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
