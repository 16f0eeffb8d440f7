"""Free-text search over practice points (the finder's ``q``)."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

MAX_QUERY_LENGTH = 200
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


def clean_query(raw: str | None) -> str:
    """What a practitioner typed, made safe to search: no control characters, no
    runaway length, single spaces."""
    if not raw:
        return ""
    text = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def query_words(q: str) -> list[str]:
    return [word.strip("'’-") for word in _WORD.findall(q) if word.strip("'’-")]


def search_practice_points(queryset: QuerySet, q: str) -> QuerySet:
    """Points matching every word of ``q`` in their text, guidance, themes, agencies
    or review title."""
    words = query_words(clean_query(q))
    if not words:
        return queryset
    for word in words:
        queryset = queryset.filter(
            Q(text__icontains=word)
            | Q(guidance__icontains=word)
            | Q(themes__name__icontains=word)
            | Q(agencies__name__icontains=word)
            | Q(review__title__icontains=word)
        )
    return queryset.distinct()
