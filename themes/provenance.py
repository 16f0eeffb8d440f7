"""Where each paragraph of a theme or practice week text comes from.

Every paragraph of a theme's body (and of the practice week's introductions) ends with
one provenance line, on a line of its own:

- ``[Source: child-d]`` (or several, ``[Source: llr-learning-from-reviews; child-d]``):
  the paragraph quotes or closely paraphrases those sources, and every statement in it
  is in them;
- ``[Partnership, drawing on: llr-learning-from-reviews]``: the partnership's own
  words, summarising those sources;
- ``[Partnership]``: written by the partnership.

A source is the slug of a review or of a resource (e.g. ``hscp-practice-week-2024``).
Public pages show the line as "Source: <title>" or "Written by the partnership", with a
link to the source; the marker itself is never shown.
"""

from __future__ import annotations

import dataclasses
import re

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from content.richtext import render_markdown
from practice_points.models import Review
from resources.models import Resource

MARKER = re.compile(
    r"^\s*\[(?P<kind>Source|Partnership)(?:\s*(?:,\s*drawing on)?\s*:\s*(?P<keys>[^\]]*))?\]\s*$",
    re.IGNORECASE,
)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclasses.dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str  # "source", "partnership" or "" (no mark)
    keys: tuple[str, ...] = ()

    @property
    def marked(self) -> bool:
        return bool(self.kind) and (self.kind == "partnership" or bool(self.keys))


def paragraphs(text: str | None) -> list[Paragraph]:
    """The text's paragraphs, each with its provenance mark (if it has one)."""
    result = []
    for block in PARAGRAPH_BREAK.split((text or "").strip()):
        if not block.strip():
            continue
        lines = block.rstrip().split("\n")
        match = MARKER.match(lines[-1])
        if match is None:
            result.append(Paragraph(block.strip(), ""))
            continue
        keys = tuple(k.strip() for k in (match.group("keys") or "").split(";") if k.strip())
        body = "\n".join(lines[:-1]).strip()
        result.append(Paragraph(body, match.group("kind").lower(), keys))
    return result


def unmarked(text: str | None) -> list[str]:
    """Paragraphs with no provenance mark (a source mark must name a source)."""
    return [p.text for p in paragraphs(text) if not p.marked]


def source_keys(text: str | None) -> set[str]:
    return {key for p in paragraphs(text) for key in p.keys}


def strip_marks(text: str | None) -> str:
    """The text without its provenance lines (for excerpts and plain-text uses)."""
    return "\n\n".join(p.text for p in paragraphs(text) if p.text)


def _sources(keys: set[str]) -> dict[str, tuple[str, str]]:
    """slug -> (title, url) for the reviews and resources named."""
    if not keys:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for resource in Resource.objects.public().filter(slug__in=keys).only("slug", "title", "url"):
        found[resource.slug] = (resource.title, resource.url)
    for review in Review.objects.public().filter(slug__in=keys).only("slug", "title"):
        found[review.slug] = (review.title, reverse("reviews:detail", args=[review.slug]))
    return found


def _cite(keys: tuple[str, ...], sources) -> SafeString:
    parts = []
    for key in keys:
        if key in sources:
            title, url = sources[key]
            parts.append(format_html('<a class="govuk-link" href="{}">{}</a>', url, title))
        else:
            parts.append(format_html("{}", key.replace("-", " ")))
    return format_html_join("; ", "{}", ((part,) for part in parts))


def render(text: str | None) -> SafeString:
    """The text as GOV.UK HTML, each paragraph followed by where it comes from."""
    items = paragraphs(text)
    sources = _sources({key for p in items for key in p.keys})
    html = []
    for paragraph in items:
        body = render_markdown(paragraph.text)
        if paragraph.kind == "source" and paragraph.keys:
            note = format_html(
                '<p class="govuk-body-s app-provenance">Source: {}</p>',
                _cite(paragraph.keys, sources),
            )
        elif paragraph.kind == "partnership" and paragraph.keys:
            note = format_html(
                '<p class="govuk-body-s app-provenance">Written by the partnership, '
                "drawing on: {}</p>",
                _cite(paragraph.keys, sources),
            )
        elif paragraph.kind == "partnership":
            note = format_html(
                '<p class="govuk-body-s app-provenance">{}</p>', "Written by the partnership"
            )
        else:
            note = ""
        html.append(format_html('<div class="app-provenanced">{}{}</div>', body, note))
    return format_html_join("", "{}", ((h,) for h in html))


def with_inline_sources(text: str | None) -> str:
    """The text with each provenance line turned into words at the end of its paragraph
    ("… (Source: Child D)", "… (Written by the partnership)"), for plain-text and
    document exports."""
    items = paragraphs(text)
    sources = _sources({key for p in items for key in p.keys})

    def titles(keys):
        return "; ".join(sources[key][0] if key in sources else key for key in keys)

    out = []
    for paragraph in items:
        if paragraph.kind == "source" and paragraph.keys:
            note = f"(Source: {titles(paragraph.keys)})"
        elif paragraph.kind == "partnership" and paragraph.keys:
            note = f"(Written by the partnership, drawing on: {titles(paragraph.keys)})"
        elif paragraph.kind == "partnership":
            note = "(Written by the partnership)"
        else:
            note = ""
        out.append(f"{paragraph.text} {note}".strip())
    return "\n\n".join(out)
