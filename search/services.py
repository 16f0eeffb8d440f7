"""The search service: one interface for the finder (``q`` on /practice-points/, through
the FilterSet, so the API too), /resources/, the site-wide /search/ page and "did you
mean", whichever database runs (see ``backends``).

Results come back ordered by relevance (``search_rank`` descending, then id), so callers
never re-order them. Whatever is typed (quotes, operators, symbols, emoji, NUL bytes,
10,000 characters), a search returns results or nothing: never an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from themes.models import GlossaryTerm, Theme

from .backends import get_backend
from .gaps import zero_result_record
from .glossary import Glossary, current_glossary
from .kinds import KINDS, Kind
from .query import MatchTerms, Plan, correctable_words, parse, with_corrections
from .snippets import best_highlight
from .text import normalise_query, tokens

FEW_RESULTS = 3
SITE_SEARCH_LIMIT = 5


def search_plan(q: str | None, *, correct: bool = True, glossary: Glossary | None = None) -> Plan:
    """What ``q`` asks for, with glossary groups and (unless ``correct`` is false: "search
    instead for" the words as typed) likely spellings of misspelt words. ``glossary``: one
    already read in this request (a plan's), so it is not read again."""
    glossary = glossary or current_glossary()
    plan = parse(q, glossary)
    if plan.is_blank or plan.finds_nothing or not correct:
        return plan
    words = correctable_words(plan)
    corrections = get_backend().corrections(words, extra=glossary.words) if words else {}
    return with_corrections(plan, corrections)


def _as_plan(q: str | Plan | None) -> Plan:
    return q if isinstance(q, Plan) else search_plan(q)


def _matching(
    kind: Kind, queryset: QuerySet, plan: Plan, widen: bool = True
) -> tuple[QuerySet, Plan]:
    backend = get_backend()
    found = backend.matching(kind, queryset, plan)
    if widen and plan.can_widen and not found.exists():
        # Nothing has all the words: rank what has some of them.
        plan = plan.any_of()
        found = backend.matching(kind, queryset, plan)
    return found, plan


def search(kind_key: str, queryset: QuerySet, q: str | Plan | None) -> QuerySet:
    """``queryset`` narrowed to what ``q`` finds, most relevant first. A blank ``q``
    (nothing but spaces or symbols) leaves it as it is; words that cannot be searched
    for (only "the", "and" ...) find nothing."""
    return search_matching(kind_key, queryset, q)[0]


def search_matching(kind_key: str, queryset: QuerySet, q: str | Plan | None, *, widen: bool = True):
    """As :func:`search`, with the plan the results are for: ``q``'s, or "any of the
    words" when nothing had all of them. To search other lists of the same request with
    that plan (the finder's facet counts), pass it with ``widen=False``: no further check
    whether anything has all the words."""
    plan = _as_plan(q)
    if plan.is_blank:
        return queryset, plan
    if plan.finds_nothing:
        return queryset.none(), plan
    found, used = _matching(KINDS[kind_key], queryset, plan, widen)
    return found.order_by("-search_rank", "pk"), used


def search_practice_points(queryset: QuerySet, q: str | Plan | None) -> QuerySet:
    return search("practice_points", queryset, q)


def search_resources(queryset: QuerySet, q: str | Plan | None) -> QuerySet:
    return search("resources", queryset, q)


# Snippets -------------------------------------------------------------------------------


def match_terms(q: str | Plan | None) -> MatchTerms:
    return MatchTerms.of(_as_plan(q))


def search_snippet(obj, q: str | Plan | MatchTerms | None, kind_key: str | None = None):
    """Safe HTML: where ``q`` matched in ``obj``, matched words in ``<mark>``."""
    terms = q if isinstance(q, MatchTerms) else match_terms(q)
    kind = KINDS[kind_key] if kind_key else _kind_of(obj)
    texts = [getattr(obj, name, "") or "" for name in kind.summary_fields]
    return best_highlight(texts, terms)


def _kind_of(obj) -> Kind:
    for kind in KINDS.values():
        if isinstance(obj, kind.model):
            return kind
    raise TypeError(f"{type(obj).__name__} is not searchable")


def snippets_annotate(objects, q: str | Plan | None) -> None:
    """Give each object a ``.snippet`` for ``q`` (for the finder's result cards)."""
    terms = match_terms(q)
    for obj in objects:
        obj.snippet = search_snippet(obj, terms)


# Did you mean ---------------------------------------------------------------------------


def did_you_mean(q: str | Plan | None) -> str | None:
    """The query with misspelt words replaced by the closest words of the published
    content and the glossary, when that finds something; else None."""
    plan = _as_plan(q)
    suggestion = plan.suggestion()
    if not suggestion or normalise_query(suggestion) == normalise_query(plan.query):
        return None
    better = search_plan(suggestion, glossary=plan.glossary)
    for kind in KINDS.values():
        if search(kind.key, kind.published(), better).exists():
            return suggestion
    return None


# Site-wide search -----------------------------------------------------------------------


@dataclass
class KindResults:
    kind: Kind
    count: int
    items: list
    partial: bool = False

    @property
    def key(self) -> str:
        return self.kind.key

    @property
    def more(self) -> bool:
        return self.count > len(self.items)


@dataclass
class SiteResults:
    query: str
    plan: Plan
    groups: list[KindResults] = field(default_factory=list)
    suggestion: str | None = None

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def counts(self) -> dict[str, int]:
        return {group.key: group.count for group in self.groups}

    @property
    def partial(self) -> bool:
        return any(group.partial for group in self.groups if group.count)


def site_search(q: str | None, *, limit: int = SITE_SEARCH_LIMIT, only: str | None = None):
    """Published practice points, themes, reviews and resources matching ``q``: each
    kind with its count and its first ``limit`` results (with snippets)."""
    plan = search_plan(q)
    results = SiteResults(query=plan.query, plan=plan)
    if plan.is_blank:
        return results
    terms = MatchTerms.of(plan)
    for kind in KINDS.values():
        if plan.finds_nothing:
            results.groups.append(KindResults(kind, 0, []))
            continue
        found, used = _matching(kind, kind.published(), plan)
        found = found.order_by("-search_rank", "pk")
        if kind.key == "practice_points":
            found = found.with_relations()
        elif kind.key == "resources":
            found = found.prefetch_related("themes")
        count = found.count()
        items = list(found[: (limit if only != kind.key else 100)]) if count else []
        for item in items:
            item.snippet = search_snippet(item, terms, kind.key)
        results.groups.append(KindResults(kind, count, items, partial=used.partial))
    if results.total < FEW_RESULTS:
        results.suggestion = did_you_mean(plan)
    return results


# Content gaps ---------------------------------------------------------------------------


def finder_results_annotate(filterset, page, request=None) -> str | None:
    """For a finder page searched with ``q``: a snippet on each point of the page, the
    search counted when it found nothing (and no other filter narrowed it), and the
    "did you mean" suggestion when it found fewer than three. Returns the suggestion.
    The filterset's plan (parsed once for the request) is used throughout."""
    q = filterset.search_text
    if not q:
        return None
    plan = getattr(filterset, "search_plan", None) or search_plan(q)
    snippets_annotate(page.object_list, plan)
    count = page.paginator.count
    if count == 0:
        cleaned = getattr(filterset.form, "cleaned_data", {}) or {}
        if not any(value for name, value in cleaned.items() if name != "q"):
            zero_result_record(q, request or getattr(filterset, "request", None))
    return did_you_mean(plan) if count < FEW_RESULTS else None


# What the finder's search did ----------------------------------------------------------

BEST_BETS = 2


def search_notes(q: str | Plan | None, *, queryset: QuerySet, found: int, exact: bool) -> dict:
    """For a finder searched with ``q`` over ``queryset`` (the points the other filters
    leave), what to tell the person: ``corrected``, the spelling the results are for when
    the words as typed found nothing there and their likely spellings did (unless they
    asked for ``exact`` words), and ``best_bets``, a theme or glossary entry whose name is
    what they typed (or one of its glossary words), shown first."""
    notes: dict = {"corrected": None, "best_bets": []}
    if not q or (isinstance(q, Plan) and not q.query):
        return notes
    plan = _as_plan(q)
    text = plan.query if isinstance(q, Plan) else q
    if not exact and found:
        suggestion = plan.suggestion()
        if suggestion:
            as_typed = search_plan(text, correct=False, glossary=plan.glossary)
            if not search("practice_points", queryset, as_typed).exists():
                notes["corrected"] = suggestion
    notes["best_bets"] = best_bets(notes["corrected"] or text, glossary=plan.glossary)
    return notes


def best_bets(q: str, *, glossary: Glossary | None = None) -> list[dict]:
    """Published themes and glossary terms named by ``q`` or by a word that means the same
    in the glossary ("cuckooing" -> Exploitation)."""
    glossary = glossary or current_glossary()
    typed = tuple(tokens(q))
    if not typed:
        return []
    phrases = {typed, *glossary.alternatives(typed)}
    names = {" ".join(phrase) for phrase in phrases}
    bets = []
    for theme in Theme.objects.public().order_by("name"):
        if " ".join(tokens(theme.name)) in names:
            bets.append(
                {
                    "kind": "Theme",
                    "title": theme.name,
                    "url": theme.get_absolute_url(),
                    "summary": theme.summary,
                }
            )
    slugs = [group.slug for group in glossary.groups if typed in group.phrases]
    terms = GlossaryTerm.objects.public().filter(slug__in=slugs).order_by("term")
    # The entry for what was typed first ("cuckooing": Cuckooing before County lines).
    for term in sorted(terms, key=lambda term: tuple(tokens(term.term)) != typed):
        title = f"{term.term}: {term.expansion}" if term.expansion else term.term
        bets.append(
            {
                "kind": "Glossary",
                "title": title,
                "url": f"/glossary/#{term.slug}",
                "summary": term.definition,
            }
        )
    return bets[:BEST_BETS]
