"""The text search port: how a subject app's list (the finder, the resource list) asks for
free-text search without importing the search feature, which sits a layer above it.

The search app installs its engine when Django starts (``SearchConfig.ready()``: the
functions of ``PORT`` taken from ``search.services`` and ``search.text``); the subject
apps' filters and views call ``textsearch.engine().<function>(...)``. The functions are
the search app's own, so their signatures are the port's (``TextSearchEngine``): the port
adds no second definition of any of them.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet


class TextSearchEngine(Protocol):
    """What the subject apps use of the search engine (``search.services``)."""

    def search_plan(self, q: Any, *, correct: bool = True) -> Any: ...

    def search_practice_points(self, queryset: QuerySet, q: Any) -> QuerySet: ...

    def search_matching(
        self, kind_key: str, queryset: QuerySet, q: Any, *, widen: bool = True
    ) -> Any: ...

    def search_resources(self, queryset: QuerySet, q: Any) -> QuerySet: ...

    def finder_results_annotate(self, *args: Any, **kwargs: Any) -> Any: ...

    def search_notes(self, *args: Any, **kwargs: Any) -> Any: ...

    def clean_query(self, q: Any) -> str: ...


# The functions an engine must have: the Protocol's.
PORT = tuple(name for name in vars(TextSearchEngine) if not name.startswith("_"))

_engine: TextSearchEngine | None = None


def install(engine: TextSearchEngine) -> None:
    """Called once by the search app when Django starts. An engine without one of the
    port's functions is refused at start-up, not at the first search."""
    global _engine
    missing = [name for name in PORT if not callable(getattr(engine, name, None))]
    if missing:
        raise ImproperlyConfigured(f"The text search engine lacks {', '.join(missing)}.")
    _engine = engine


def engine() -> TextSearchEngine:
    """The installed engine; ``ImproperlyConfigured`` if the search app is not installed."""
    if _engine is None:
        raise ImproperlyConfigured(
            "No text search engine: add 'search' to INSTALLED_APPS (it installs one)."
        )
    return _engine
