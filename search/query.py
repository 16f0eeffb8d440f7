"""What a query means, whichever database answers it.

A practitioner's words become a :class:`Plan`: clauses that must all match, each a
choice of units (``or`` between words makes a choice), and units to exclude (``-word``).
A unit is one idea with the ways it may be written: a word, a "quoted phrase", a glossary
group (an acronym, its expansion and synonyms: "WNB" = "was not brought" = "missed
appointment"), or a misspelt word with its likely spellings. Each backend compiles the
same plan: to a ``tsquery`` of ``websearch_to_tsquery`` parts on PostgreSQL, to an FTS5
``MATCH`` expression of quoted tokens on SQLite. Whatever was typed, parsing never fails:
unbalanced quotes end at the end, stray operators and symbols are separators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .glossary import Glossary
from .text import clean_query, is_stop_word, stem, stems, tokens

MAX_UNITS = 16
MAX_EXCLUDED = 8
MIN_CORRECTABLE = 4

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})


@dataclass(frozen=True)
class Unit:
    text: str
    alternatives: tuple[tuple[str, ...], ...]
    glossary: bool = False
    quoted: bool = False
    corrections: tuple[str, ...] = ()

    @property
    def typed(self) -> tuple[tuple[str, ...], ...]:
        """What was typed (and its likely spellings), without the glossary's words."""
        return (self.alternatives[0], *((word,) for word in self.corrections))

    @property
    def single_word(self) -> str | None:
        first = self.alternatives[0]
        return first[0] if len(first) == 1 else None


@dataclass(frozen=True)
class Plan:
    query: str
    clauses: tuple[tuple[Unit, ...], ...] = ()
    excluded: tuple[Unit, ...] = ()
    had_words: bool = False
    partial: bool = False  # "any of the words": the fallback when all of them found nothing
    # The glossary it was parsed with: what comes after (snippets, "did you mean", best
    # bets, the words as typed) reuses it instead of reading it again.
    glossary: Glossary | None = field(default=None, compare=False, repr=False)

    @property
    def is_blank(self) -> bool:
        """Nothing to search for: the list is left as it is."""
        return not self.had_words

    @property
    def finds_nothing(self) -> bool:
        """Words, but none that can be searched for (only "the", "and" ...)."""
        return self.had_words and not self.clauses and not self.excluded

    @property
    def units(self) -> list[Unit]:
        return [unit for clause in self.clauses for unit in clause]

    def any_of(self) -> Plan:
        return replace(self, clauses=(tuple(self.units),), partial=True)

    @property
    def can_widen(self) -> bool:
        return len(self.clauses) > 1

    def highlight_stems(self) -> frozenset[tuple[str, ...]]:
        """Each alternative as the stems of its words that count (no stop words)."""
        found = set()
        for unit in self.units:
            for alternative in unit.alternatives:
                key = tuple(stem(token) for token in alternative if not is_stop_word(token))
                if key:
                    found.add(key)
        return frozenset(found)

    def suggestion(self) -> str | None:
        """The query with each misspelt word replaced by its likeliest spelling."""
        text = self.query
        changed = False
        for unit in self.units:
            if unit.corrections and unit.single_word:
                pattern = re.compile(rf"(?<![^\W_]){re.escape(unit.text)}(?![^\W_])", re.I)
                text, n = pattern.subn(unit.corrections[0], text, count=1)
                changed = changed or bool(n)
        return text if changed else None


@dataclass
class _Item:
    tokens: tuple[str, ...]
    quoted: bool = False
    negated: bool = False
    is_or: bool = False
    text: str = ""


def _lex(text: str) -> list[_Item]:
    items: list[_Item] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = False
        while i < n and text[i] == "-" and i + 1 < n and not text[i + 1].isspace():
            negated = True
            i += 1
        if text[i] == '"':
            end = text.find('"', i + 1)
            end = n if end == -1 else end
            phrase = text[i + 1 : end]
            i = end + 1
            toks = tuple(tokens(phrase))
            if toks:
                items.append(_Item(toks, quoted=True, negated=negated, text=phrase.strip()))
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] != '"':
            end += 1
        chunk = text[i:end]
        i = end
        if chunk.casefold() == "or" and not negated:
            items.append(_Item((), is_or=True, text=chunk))
            continue
        toks = tuple(tokens(chunk))
        if toks:
            items.append(_Item(toks, negated=negated, text=chunk))
    return items


def _meaningful(toks: tuple[str, ...]) -> bool:
    return any(not is_stop_word(token) for token in toks)


def _plain_unit(item: _Item, glossary: Glossary) -> Unit | None:
    alternatives = [item.tokens]
    matched = glossary.alternatives(item.tokens)
    alternatives += [alt for alt in matched if alt != item.tokens]
    if not matched and not _meaningful(item.tokens):
        return None
    return Unit(
        text=item.text.strip("\"'-") or " ".join(item.tokens),
        alternatives=tuple(alternatives),
        glossary=bool(matched),
        quoted=item.quoted,
    )


def _run_units(run: list[_Item], glossary: Glossary) -> list[Unit]:
    """Plain words in a row, with glossary phrases found across them (longest first:
    "was not brought" is one unit, not three words)."""
    units: list[Unit] = []
    i = 0
    while i < len(run):
        found = None
        for size in range(min(len(run) - i, glossary.longest or 1), 1, -1):
            phrase = tuple(token for item in run[i : i + size] for token in item.tokens)
            alternatives = glossary.alternatives(phrase)
            if alternatives:
                text = " ".join(item.text for item in run[i : i + size])
                found = (
                    size,
                    Unit(
                        text=text,
                        alternatives=(phrase, *[alt for alt in alternatives if alt != phrase]),
                        glossary=True,
                    ),
                )
                break
        if found:
            size, unit = found
            units.append(unit)
            i += size
            continue
        unit = _plain_unit(run[i], glossary)
        if unit:
            units.append(unit)
        i += 1
    return units


def parse(raw: str | None, glossary: Glossary) -> Plan:
    """The plan for what was typed (no database access beyond the glossary given)."""
    query = clean_query(raw).translate(_QUOTES)
    items = _lex(query)
    had_words = any(item.tokens for item in items)

    # Runs of plain words become units (glossary phrases may span words); quoted
    # phrases and excluded words are units of their own; "or" stays a marker.
    sequence: list[Unit | str] = []
    run: list[_Item] = []

    def flush():
        sequence.extend(_run_units(run, glossary))
        run.clear()

    excluded: list[Unit] = []
    for item in items:
        if item.is_or:
            flush()
            sequence.append("or")
        elif item.negated:
            flush()
            if _meaningful(item.tokens):
                excluded.append(Unit(text=item.text, alternatives=(item.tokens,)))
        elif item.quoted:
            flush()
            unit = _plain_unit(item, glossary)
            if unit:
                sequence.append(unit)
        else:
            run.append(item)
    flush()

    clauses: list[list[Unit]] = []
    joined = False
    count = 0
    for element in sequence:
        if element == "or":
            joined = bool(clauses)
            continue
        if count >= MAX_UNITS:
            break
        count += 1
        if joined:
            clauses[-1].append(element)
        else:
            clauses.append([element])
        joined = False
    return Plan(
        query=query,
        clauses=tuple(tuple(clause) for clause in clauses),
        excluded=tuple(excluded[:MAX_EXCLUDED]),
        had_words=had_words,
        glossary=glossary,
    )


def correctable_words(plan: Plan) -> list[str]:
    """Single words (not glossary terms, not quoted) long enough to be worth checking
    against the vocabulary."""
    seen = []
    for unit in plan.units:
        word = unit.single_word
        if (
            word
            and not unit.glossary
            and not unit.quoted
            and word.isalpha()
            and len(word) >= MIN_CORRECTABLE
            and word not in seen
        ):
            seen.append(word)
    return seen


def with_corrections(plan: Plan, corrections: dict[str, tuple[list[str], bool]]) -> Plan:
    """The plan with likely spellings of misspelt words: kept for "did you mean", and
    added as alternatives unless a word of the same stem is known already (the word as
    typed is kept: it may be right, and simply not in the content yet)."""
    if not corrections:
        return plan

    def fix(unit: Unit) -> Unit:
        word = unit.single_word
        found = corrections.get(word or "") if not unit.glossary and not unit.quoted else None
        if not found:
            return unit
        spellings, stem_known = found
        if stem_known:
            return replace(unit, corrections=tuple(spellings))
        extra = tuple((w,) for w in spellings if (w,) not in unit.alternatives)
        return replace(unit, alternatives=unit.alternatives + extra, corrections=tuple(spellings))

    clauses = tuple(tuple(fix(unit) for unit in clause) for clause in plan.clauses)
    return replace(plan, clauses=clauses)


@dataclass
class MatchTerms:
    """What a snippet highlights: the plan's words, and its phrases only where the whole
    phrase is there ("male carer" marks "male carer", not every "male")."""

    phrases: frozenset[tuple[str, ...]] = field(default_factory=frozenset)

    @classmethod
    def of(cls, plan: Plan) -> MatchTerms:
        return cls(plan.highlight_stems())

    def matched(self, words: list[str]) -> set[int]:
        """The positions in ``words`` that are part of a match."""
        content = [(i, stem(w)) for i, w in enumerate(words) if not is_stop_word(w)]
        stemmed = [s for _, s in content]
        marked: set[int] = set()
        for phrase in self.phrases:
            size = len(phrase)
            for start in range(len(stemmed) - size + 1):
                if tuple(stemmed[start : start + size]) == phrase:
                    marked.update(content[k][0] for k in range(start, start + size))
        return marked


__all__ = ["Plan", "Unit", "parse", "stems"]
