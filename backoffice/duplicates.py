"""Likely duplicates: practice points whose text is the same, or nearly the same, as
another point's (a source that repeats itself, an import run twice under new slugs).

Texts are compared as words (case, punctuation and spacing ignored): the same words in
the same order are a duplicate; otherwise two texts are "nearly the same" when their
three-word sequences overlap by at least ``NEAR`` (Jaccard similarity)."""

from __future__ import annotations

import dataclasses
import re

from content.models import Status
from practice_points.models import PracticePoint

NEAR = 0.8
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.casefold()))


def _shingles(words: tuple[str, ...]) -> frozenset:
    if len(words) < 3:
        return frozenset({words})
    return frozenset(words[i : i + 3] for i in range(len(words) - 2))


@dataclasses.dataclass(frozen=True)
class DuplicatePair:
    first: PracticePoint
    second: PracticePoint
    similarity: float  # 1.0: the same words

    @property
    def same_text(self) -> bool:
        return self.similarity >= 1.0


def likely_duplicate_points(queryset=None) -> list[DuplicatePair]:
    """Pairs of points (not archived) with the same or nearly the same text, most alike
    first."""
    if queryset is None:
        queryset = PracticePoint.objects.exclude(status=Status.ARCHIVED)
    points = list(queryset.select_related("review").order_by("pk"))
    words = {point.pk: _words(point.text) for point in points}
    shingles = {pk: _shingles(w) for pk, w in words.items()}
    # Candidates share at least one shingle: an index keeps this well under n².
    index: dict = {}
    for point in points:
        for shingle in shingles[point.pk]:
            index.setdefault(shingle, []).append(point)
    seen, pairs = set(), []
    for point in points:
        candidates = {other.pk: other for s in shingles[point.pk] for other in index[s]}
        for other_pk, other in candidates.items():
            if other_pk <= point.pk or (point.pk, other_pk) in seen:
                continue
            seen.add((point.pk, other_pk))
            if words[point.pk] == words[other_pk]:
                similarity = 1.0
            else:
                a, b = shingles[point.pk], shingles[other_pk]
                similarity = len(a & b) / len(a | b)
                if similarity < NEAR:
                    continue
                similarity = min(similarity, 0.99)
            pairs.append(DuplicatePair(point, other, similarity))
    pairs.sort(key=lambda pair: (-pair.similarity, pair.first.pk, pair.second.pk))
    return pairs
