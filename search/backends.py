"""The two search backends behind one interface, chosen by ``connection.vendor``.

PostgreSQL: ``django.contrib.postgres.search`` with the ``english`` configuration. A
practice point's weighted ``tsvector`` is STORED in ``PracticePoint.search_vector``
(GIN-indexed) and written when the point or the names it carries change; themes,
reviews and resources are few, so their vectors are computed in the query. Each part of
a plan is a ``websearch_to_tsquery`` (quoted phrases, words), combined with ``&``, ``|``
and ``!``; ranking is ``ts_rank`` with weights A 1.0 > B 0.4 > C 0.2. Misspellings are
looked up in the vocabulary with pg_trgm's trigram similarity (GIN ``gin_trgm_ops``).

SQLite: one FTS5 table per kind (``porter unicode61`` tokenizer; rowid = the object's
id; columns a, b, c for the weighted parts), filled by the same code path that writes the
PostgreSQL vector; ``bm25`` ranks with the same column weights. The ``MATCH`` expression
is built from tokens, each quoted, so nothing typed can be read as FTS5 syntax.
Misspellings are looked up in the vocabulary with difflib.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import F, FloatField, Func, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Replace

from .kinds import Kind
from .models import VocabularyWord
from .query import Plan, Unit
from .text import is_stop_word, stem

CONFIG = "english"
# ts_rank's weights, in PostgreSQL's order: D, C, B, A.
PG_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
# bm25's column weights, in the FTS5 tables' column order: a, b, c.
FTS_WEIGHTS = (10.0, 4.0, 2.0)
CHUNK = 500
# A word is taken as a likely spelling of another when difflib's ratio reaches this.
SPELLING_CUTOFF = 0.8
MAX_CORRECTIONS = 2


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def closest_words(word: str, candidates: Iterable[str], n: int = MAX_CORRECTIONS) -> list[str]:
    """The likeliest intended words for ``word`` among ``candidates`` (best first)."""
    candidates = {c for c in candidates if c != word}
    return difflib.get_close_matches(word, sorted(candidates), n=n, cutoff=SPELLING_CUTOFF)


class SearchBackend:
    vendor = ""

    # Index ------------------------------------------------------------------

    def index(self, kind: Kind, ids: Sequence[int] | None = None) -> None:
        raise NotImplementedError

    def remove(self, kind: Kind, ids: Sequence[int]) -> None:
        raise NotImplementedError

    # Query ------------------------------------------------------------------

    def matching(self, kind: Kind, queryset: QuerySet, plan: Plan) -> QuerySet:
        """``queryset`` narrowed to what ``plan`` finds, with ``search_rank``
        annotated (higher is better). Not ordered: ``services.search`` orders."""
        raise NotImplementedError

    def spelling_candidates(self, word: str) -> list[str]:
        raise NotImplementedError

    def corrections(
        self, words: Sequence[str], extra: Iterable[str] = ()
    ) -> dict[str, tuple[list[str], bool]]:
        """For each word not in the vocabulary (nor in ``extra``, the glossary's words),
        its likeliest spellings there, and whether a word of the same stem is known (then
        the search finds it anyway: "hypervigilence" and "hypervigilance" share a stem,
        and only "did you mean" needs the spelling)."""
        if not words:
            return {}
        rows = VocabularyWord.objects.filter(stem__in={stem(w) for w in words})
        known_words, known_stems = set(), set()
        for word, word_stem in rows.values_list("word", "stem"):
            known_words.add(word)
            known_stems.add(word_stem)
        extra = set(extra)
        extra_stems = {stem(w) for w in extra}
        found = {}
        for word in words:
            if word in known_words or word in extra:
                continue
            close = [w for w in extra if abs(len(w) - len(word)) <= 3]
            candidates = self.spelling_candidates(word) + close
            best = closest_words(word, candidates)
            if best:
                found[word] = (best, stem(word) in known_stems or stem(word) in extra_stems)
        return found


# --------------------------------------------------------------------------- PostgreSQL


def _tsquery(alternative: tuple[str, ...]) -> SearchQuery:
    text = alternative[0] if len(alternative) == 1 else '"' + " ".join(alternative) + '"'
    return SearchQuery(text, config=CONFIG, search_type="websearch")


def _any(queries: list[SearchQuery]) -> SearchQuery:
    combined = queries[0]
    for query in queries[1:]:
        combined = combined | query
    return combined


def _lexemes(alternative: tuple[str, ...]) -> tuple[str, ...]:
    """What PostgreSQL keeps of an alternative: stems, stop words dropped (the english
    configuration uses the same Snowball stemmer and stop words)."""
    return tuple(stem(token) for token in alternative if not is_stop_word(token))


def distinct_alternatives(alternatives) -> list[tuple[str, ...]]:
    """The alternatives PostgreSQL tells apart: "was not brought", "were not brought"
    and "not brought" are all 'brought'; a phrase that contains a word which is itself
    an alternative adds nothing to what matches ("non-attendance" beside "attend")."""
    seen: dict[tuple[str, ...], tuple[str, ...]] = {}
    for alternative in alternatives:
        key = _lexemes(alternative)
        if key and key not in seen:
            seen[key] = alternative
    singles = {key[0] for key in seen if len(key) == 1}
    return [alt for key, alt in seen.items() if len(key) == 1 or not singles & set(key)]


def _unit_tsquery(unit: Unit) -> SearchQuery:
    alternatives = distinct_alternatives(unit.alternatives) or list(unit.alternatives)
    return _any([_tsquery(alternative) for alternative in alternatives])


def pg_tsquery(plan: Plan) -> SearchQuery | None:
    """The clauses, all required: each a choice of units."""
    combined = None
    for clause in plan.clauses:
        part = _any([_unit_tsquery(unit) for unit in clause])
        combined = part if combined is None else combined & part
    return combined


def pg_typed(plan: Plan) -> SearchQuery | None:
    """Any of the words as typed: ranks a point using the practitioner's own words above
    one matching only their synonyms."""
    typed = distinct_alternatives(alt for unit in plan.units for alt in unit.typed)
    return _any([_tsquery(alternative) for alternative in typed]) if typed else None


def plan_has_alternatives(plan: Plan) -> bool:
    """Whether any unit may match other words than those typed (glossary, spellings)."""
    return any(len(unit.alternatives) > 1 for unit in plan.units)


def pg_excluded(plan: Plan) -> SearchQuery | None:
    if not plan.excluded:
        return None
    return _any([_unit_tsquery(unit) for unit in plan.excluded])


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def index(self, kind: Kind, ids: Sequence[int] | None = None) -> None:
        if kind.key != "practice_points":
            return  # computed in the query

        def part(name: str, weight: str) -> str:
            # PostgreSQL's parser reads "fathers/male" as a file path: one token. A slash
            # separates words in this content (as it does in FTS5's tokenizer).
            text = kind.part_sql(name, self.vendor)
            return f"setweight(to_tsvector('{CONFIG}', translate({text}, '/', ' ')), '{weight}')"

        sql = (
            f"UPDATE {kind.table} AS d SET search_vector = "  # noqa: S608 - names from code
            f"{part('a', 'A')} || {part('b', 'B')} || {part('c', 'C')}"
        )
        with connection.cursor() as cursor:
            if ids is None:
                cursor.execute(sql)
            else:
                ids = list(ids)
                if ids:
                    cursor.execute(sql + " WHERE d.id = ANY(%s)", [ids])

    def remove(self, kind: Kind, ids: Sequence[int]) -> None:
        return  # the vector goes with its row

    def _vector(self, kind: Kind):
        parts = [
            SearchVector(
                *[
                    Replace(F(name), Value("/"), Value(" "), output_field=TextField())
                    for name in kind.fields[part]
                ],
                weight=weight,
                config=CONFIG,
            )
            for part, weight in (("a", "A"), ("b", "B"), ("c", "C"))
            if kind.fields[part]
        ]
        vector = parts[0]
        for part in parts[1:]:
            vector = vector + part
        return vector

    def matching(self, kind: Kind, queryset: QuerySet, plan: Plan) -> QuerySet:
        wanted = pg_tsquery(plan)
        unwanted = pg_excluded(plan)
        if kind.key == "practice_points":
            document = F("search_vector")
        else:
            queryset = queryset.alias(search_document=self._vector(kind))
            document = F("search_document")
        field = "search_vector" if kind.key == "practice_points" else "search_document"
        if kind.key == "practice_points":
            queryset = queryset.defer("search_vector")  # matched and ranked in SQL only
        if wanted is not None:
            rank = SearchRank(document, wanted, weights=PG_WEIGHTS)
            if plan_has_alternatives(plan):
                rank = rank + SearchRank(document, pg_typed(plan), weights=PG_WEIGHTS)
            queryset = queryset.filter(**{field: wanted}).annotate(search_rank=rank)
        else:
            queryset = queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
        if unwanted is not None:
            queryset = queryset.exclude(**{field: unwanted})
        return queryset

    def spelling_candidates(self, word: str) -> list[str]:
        return list(
            VocabularyWord.objects.filter(word__trigram_similar=word)
            .annotate(similarity=TrigramSimilarity("word", word))
            .order_by("-similarity", "-documents", "word")
            .values_list("word", flat=True)[:10]
        )


# --------------------------------------------------------------------------- SQLite


def _fts_phrase(alternative: tuple[str, ...]) -> str:
    # Tokens are letters and digits only; doubling quotes keeps that true regardless.
    return '"' + " ".join(token.replace('"', '""') for token in alternative) + '"'


def _fts_unit(unit: Unit) -> str:
    return "(" + " OR ".join(_fts_phrase(alt) for alt in unit.alternatives) + ")"


def fts_match(plan: Plan) -> str | None:
    if not plan.clauses:
        return None
    return " AND ".join(
        "(" + " OR ".join(_fts_unit(unit) for unit in clause) + ")" for clause in plan.clauses
    )


def fts_excluded(plan: Plan) -> str | None:
    if not plan.excluded:
        return None
    return " OR ".join(_fts_unit(unit) for unit in plan.excluded)


class Bm25Rank(Func):
    """``-bm25()`` of the row's FTS5 entry for ``match`` (higher is better).

    The matches and their scores are computed once per query, in a MATERIALIZED common
    table expression that the row's id is looked up in: asking FTS5 for one row at a
    time would run the full-text query again for every row."""

    output_field = FloatField()

    def __init__(self, table: str, match: str, weights: Sequence[float] = FTS_WEIGHTS):
        super().__init__(F("pk"))
        self.table, self.match, self.weights = table, match, tuple(weights)

    def as_sql(self, compiler, connection, **extra_context):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        weights = ", ".join(repr(float(w)) for w in self.weights)
        table = self.table
        sql = (
            f"(WITH search_match AS MATERIALIZED ("  # noqa: S608 - names from code
            f"SELECT rowid AS id, -bm25({table}, {weights}) AS score FROM {table} "
            f"WHERE {table} MATCH %s) "
            f"SELECT search_match.score FROM search_match WHERE search_match.id = {pk_sql})"
        )
        return sql, (self.match, *pk_params)


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def index(self, kind: Kind, ids: Sequence[int] | None = None) -> None:
        parts = ", ".join(kind.part_sql(part, self.vendor) for part in ("a", "b", "c"))
        insert = (
            f"INSERT INTO {kind.fts_table}(rowid, a, b, c) "  # noqa: S608 - names from code
            f"SELECT d.id, {parts} FROM {kind.table} d"
        )
        with connection.cursor() as cursor:
            if ids is None:
                cursor.execute(f"DELETE FROM {kind.fts_table}")  # noqa: S608
                cursor.execute(insert)
                return
            for chunk in _chunks(ids):
                marks = ", ".join(["%s"] * len(chunk))
                delete = f"DELETE FROM {kind.fts_table} WHERE rowid IN ({marks})"  # noqa: S608
                cursor.execute(delete, chunk)
                cursor.execute(insert + f" WHERE d.id IN ({marks})", chunk)

    def remove(self, kind: Kind, ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            for chunk in _chunks(ids):
                marks = ", ".join(["%s"] * len(chunk))
                delete = f"DELETE FROM {kind.fts_table} WHERE rowid IN ({marks})"  # noqa: S608
                cursor.execute(delete, chunk)

    def matching(self, kind: Kind, queryset: QuerySet, plan: Plan) -> QuerySet:
        table = kind.fts_table
        wanted = fts_match(plan)
        unwanted = fts_excluded(plan)
        # The MATCH expression is a parameter; the table name comes from code.
        select = f"SELECT rowid FROM {table} WHERE {table} MATCH %s"  # noqa: S608
        if wanted is not None:
            matches = RawSQL(select, [wanted])  # noqa: S611
            queryset = queryset.filter(pk__in=matches).annotate(search_rank=Bm25Rank(table, wanted))
        else:
            queryset = queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
        if unwanted is not None:
            queryset = queryset.exclude(pk__in=RawSQL(select, [unwanted]))  # noqa: S611
        return queryset

    def spelling_candidates(self, word: str) -> list[str]:
        size = len(word)
        return list(
            VocabularyWord.objects.annotate(size=Length("word"))
            .filter(size__gte=size - 2, size__lte=size + 2)
            .values_list("word", flat=True)
        )


_BACKENDS = {"postgresql": PostgresBackend(), "sqlite": SqliteBackend()}


def get_backend() -> SearchBackend:
    try:
        return _BACKENDS[connection.vendor]
    except KeyError as exc:  # pragma: no cover - only the two supported databases run
        raise RuntimeError(f"No search backend for the {connection.vendor} database") from exc
