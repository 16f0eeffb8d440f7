"""The glossary as the search and the pages use it: groups of words that mean the same
(an acronym, its expansion and its synonyms), read from the published
``themes.GlossaryTerm`` rows.

The groups are kept per process and re-read when the table changes (its row count or
latest ``updated_at`` differ): one small query a search, so every process sees an edit
at once and a rolled-back transaction never leaves a stale copy behind.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from django.db.models import Count, Max

from themes.models import GlossaryTerm

from .text import stems, tokens

_ACRONYM = re.compile(r"^(?:[A-Z][A-Za-z0-9&]*[A-Z0-9][a-z]?|[A-Z]\d+)$")


@dataclass(frozen=True)
class GlossaryGroup:
    slug: str
    term: str
    expansion: str
    phrases: tuple[tuple[str, ...], ...]  # each as tokens: the term, expansion, synonyms


@dataclass(frozen=True)
class Glossary:
    groups: tuple[GlossaryGroup, ...]
    # stems of a phrase -> the phrases (as tokens) that mean the same
    index: dict[tuple[str, ...], tuple[tuple[str, ...], ...]]
    longest: int
    words: frozenset[str]  # every word of the glossary (for suggestions)
    stems: frozenset[str]
    acronyms: dict[str, str]  # acronym as written -> expansion (for <abbr>)

    def alternatives(self, phrase_tokens: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        return self.index.get(stems(phrase_tokens), ())


def is_acronym(term: str) -> bool:
    """ "CSE", "A&E", "ACEs", "CiC", "S47": one word, mostly capitals."""
    term = term.strip()
    if not term or " " in term:
        return False
    capitals = sum(ch.isupper() for ch in term)
    return bool(_ACRONYM.match(term)) and (capitals >= 2 or bool(re.match(r"^[A-Z]\d+$", term)))


def split_synonyms(text: str) -> list[str]:
    """Synonyms are written one a line or separated by commas or semicolons."""
    return [part.strip() for part in re.split(r"[\n,;]+", text or "") if part.strip()]


def build(rows) -> Glossary:
    """``rows``: (slug, term, expansion, synonyms) of the published terms."""
    groups = []
    members: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    acronyms: dict[str, str] = {}
    words: set[str] = set()
    for slug, term, expansion, synonyms in rows:
        phrases = []
        for text in [term, expansion, *split_synonyms(synonyms)]:
            toks = tuple(tokens(text or ""))
            if toks and toks not in phrases:
                phrases.append(toks)
        if not phrases:
            continue
        group = GlossaryGroup(slug=slug, term=term, expansion=expansion, phrases=tuple(phrases))
        groups.append(group)
        for toks in phrases:
            words.update(toks)
        for toks in phrases:
            members.setdefault(stems(toks), set()).update(phrases)
        if is_acronym(term) and expansion:
            acronyms.setdefault(term.strip(), expansion.strip())
    index = {key: tuple(sorted(value)) for key, value in members.items()}
    return Glossary(
        groups=tuple(groups),
        index=index,
        longest=max((len(key) for key in index), default=0),
        words=frozenset(w for w in words if w.isalpha() and len(w) >= 3),
        stems=frozenset(stems(words)),
        acronyms=acronyms,
    )


_lock = threading.Lock()
_cache: dict[str, object] = {"version": None, "glossary": None}


def current_glossary() -> Glossary:
    """The published glossary, re-read only when it changed."""
    published = GlossaryTerm.objects.public()
    version = tuple(published.aggregate(n=Count("id"), latest=Max("updated_at")).values())
    with _lock:
        if _cache["version"] == version and _cache["glossary"] is not None:
            return _cache["glossary"]  # type: ignore[return-value]
    glossary = build(published.values_list("slug", "term", "expansion", "synonyms"))
    with _lock:
        _cache["version"] = version
        _cache["glossary"] = glossary
    return glossary
