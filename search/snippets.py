"""Highlighted snippets: the passage where the words matched, as safe HTML.

Everything is escaped; only the ``<mark>`` around matched words is markup. Words match
by stem ("neglected" marks "neglect", "fathers" marks "father"), including the glossary
alternatives and corrected spellings the search used.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .query import MatchTerms
from .text import token_spans

SNIPPET_LENGTH = 220
LEAD = 50


def _matches(text: str, terms: MatchTerms) -> list[tuple[int, int]]:
    spans = token_spans(text)
    marked = terms.matched([word for _, _, word in spans])
    return [(start, end) for index, (start, end, _) in enumerate(spans) if index in marked]


def _window(text: str, matches: list[tuple[int, int]], length: int) -> tuple[int, int]:
    """The stretch of ``text`` (about ``length`` long) holding the most matches."""
    if len(text) <= length:
        return 0, len(text)
    best_start, best_count = 0, -1
    for start, _ in matches:
        count = sum(1 for s, _ in matches if start <= s < start + length - LEAD)
        if count > best_count:
            best_start, best_count = start, count
    begin = max(0, best_start - LEAD)
    if begin:
        space = text.rfind(" ", 0, begin + 1)
        begin = space + 1 if space != -1 and begin - space < 25 else begin
    end = min(len(text), begin + length)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin + length // 2 else end
    return begin, end


def highlight(text: str, terms: MatchTerms, length: int = SNIPPET_LENGTH) -> SafeString:
    """``text`` around its matches, matched words in ``<mark>``; the start of the text
    when nothing matches. Safe HTML."""
    text = " ".join((text or "").split())
    if not text:
        return mark_safe("")  # noqa: S308
    matches = _matches(text, terms)
    begin, end = _window(text, matches, length) if matches else (0, min(len(text), length))
    if not matches and end < len(text):
        space = text.rfind(" ", 0, end)
        end = space if space > length // 2 else end
    parts = ["…" if begin else ""]
    cursor = begin
    for start, stop in matches:
        if start < begin or stop > end:
            continue
        parts.append(escape(text[cursor:start]))
        parts.append(f"<mark>{escape(text[start:stop])}</mark>")
        cursor = stop
    parts.append(escape(text[cursor:end]))
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(parts))  # noqa: S308


def best_highlight(texts: Sequence[str], terms: MatchTerms, length: int = SNIPPET_LENGTH):
    """The snippet of whichever text matched most (the first text when none did)."""
    texts = [t for t in texts if t and t.strip()]
    if not texts:
        return mark_safe("")  # noqa: S308
    scored = [(len(_matches(" ".join(t.split()), terms)), -i, t) for i, t in enumerate(texts)]
    count, _, text = max(scored)
    return highlight(text if count else texts[0], terms, length)


def has_match(texts: Sequence[str], terms: MatchTerms) -> bool:
    return any(_matches(t or "", terms) for t in texts)
