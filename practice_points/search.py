"""Free-text search over practice points (the finder's ``q``): the search app's service
(``search.services``), so the finder, the API and /search/ rank the same way on
PostgreSQL and SQLite."""

from __future__ import annotations

from django.db.models import QuerySet

from search import services
from search.text import MAX_QUERY_LENGTH, clean_query, tokens

__all__ = ["MAX_QUERY_LENGTH", "clean_query", "query_words", "search_practice_points"]


def query_words(q: str) -> list[str]:
    """The words of ``q``, lower-cased (kept for callers that want them)."""
    return tokens(q)


def search_practice_points(queryset: QuerySet, q: str) -> QuerySet:
    """Points of ``queryset`` matching ``q`` (their text, guidance, themes, agencies or
    review title; glossary synonyms and likely spellings included), most relevant first
    (rank, then id). A blank ``q`` leaves ``queryset`` as it is."""
    return services.search_practice_points(queryset, q)
