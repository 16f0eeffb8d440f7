"""Template helpers of the search app.

``{{ text|abbreviate:request }}`` marks up the first use on the page of each glossary
acronym as ``<abbr title="expansion">``. It takes plain text (escaped first) or HTML
already made safe (e.g. the output of ``|prose``), changes only text between tags, never
inside an ``<abbr>`` already there, and escapes the expansion. The acronyms already
marked are remembered on the request, so a second use anywhere on the same page is left
as it is; without ``request`` each call starts afresh.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from search.glossary import current_glossary

register = template.Library()

SEEN_ATTR = "_glossary_abbr_seen"
GLOSSARY_ATTR = "_glossary_acronyms"
_TAG = re.compile(r"(<[^>]*>)")


def _acronyms(request) -> dict[str, str]:
    cached = getattr(request, GLOSSARY_ATTR, None) if request is not None else None
    if cached is None:
        cached = current_glossary().acronyms
        if request is not None:
            setattr(request, GLOSSARY_ATTR, cached)
    return cached


def _pattern(acronyms: dict[str, str]) -> re.Pattern | None:
    if not acronyms:
        return None
    # Longest first ("LSCP" before "SCP"); matched on the escaped text ("A&amp;E").
    alternatives = sorted((re.escape(str(escape(a))) for a in acronyms), key=len, reverse=True)
    return re.compile(r"(?<![\w&#-])(" + "|".join(alternatives) + r")(?![\w-])")


@register.filter(needs_autoescape=True)
def abbreviate(value, request=None, autoescape=True):
    if value is None or value == "":
        return value
    html = str(conditional_escape(value)) if autoescape else str(value)
    request = request or None
    acronyms = _acronyms(request)
    pattern = _pattern(acronyms)
    if pattern is None:
        return mark_safe(html)  # noqa: S308 - escaped above (or trusted with autoescape off)
    seen = getattr(request, SEEN_ATTR, None) if request is not None else None
    if seen is None:
        seen = set()
        if request is not None:
            setattr(request, SEEN_ATTR, seen)
    by_escaped = {str(escape(acronym)): acronym for acronym in acronyms}

    def mark(match: re.Match) -> str:
        escaped = match.group(1)
        acronym = by_escaped.get(escaped)
        if acronym is None or acronym in seen:
            return escaped
        seen.add(acronym)
        return f'<abbr title="{escape(acronyms[acronym])}">{escaped}</abbr>'

    parts = _TAG.split(html)
    inside_abbr = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = part[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if part else ""
            if name == "abbr":
                inside_abbr += -1 if part.startswith("</") else 1
            continue
        if inside_abbr <= 0 and part:
            parts[index] = pattern.sub(mark, part)
    return mark_safe("".join(parts))  # noqa: S308 - only escaped text and our own <abbr>
