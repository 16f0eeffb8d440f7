"""Keeping the index and the vocabulary in step with the content: one code path for both
databases (the PostgreSQL vector and the SQLite FTS5 tables are written here), called by
the signals on every save and by the bulk commands."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import transaction

from practice_points.models import PracticePoint
from themes.models import Agency

from .backends import get_backend
from .kinds import KINDS, Kind
from .models import VocabularyWord
from .text import stem, vocabulary_words

BATCH = 2000


def _texts(kind: Kind, queryset) -> Iterable[str]:
    fields = [*kind.fields["a"], *kind.fields["b"], *kind.fields["c"]]
    for row in queryset.values_list(*fields).iterator(chunk_size=BATCH):
        yield " ".join(value or "" for value in row)


def vocabulary_add(texts: Iterable[str]) -> None:
    """Add the new words of ``texts`` (published content only) to the vocabulary."""
    words = set()
    for text in texts:
        words |= vocabulary_words(text)
    if not words:
        return
    existing = set(VocabularyWord.objects.filter(word__in=words).values_list("word", flat=True))
    VocabularyWord.objects.bulk_create(
        [VocabularyWord(word=w, stem=stem(w)[:40], documents=1) for w in words - existing],
        ignore_conflicts=True,
        batch_size=BATCH,
    )


def _agency_texts() -> Iterable[str]:
    for name, description in Agency.objects.values_list("name", "description"):
        yield f"{name} {description}"


def vocabulary_rebuild() -> int:
    """Recount the vocabulary from all the published content: each word with the number
    of published items using it. Returns the number of words."""
    counts: Counter[str] = Counter()
    for kind in KINDS.values():
        for text in _texts(kind, kind.published()):
            counts.update(vocabulary_words(text))
    for text in _agency_texts():
        counts.update(vocabulary_words(text))
    with transaction.atomic():
        VocabularyWord.objects.all().delete()
        VocabularyWord.objects.bulk_create(
            [
                VocabularyWord(word=word, stem=stem(word)[:40], documents=n)
                for word, n in counts.items()
            ],
            batch_size=BATCH,
        )
    return len(counts)


def search_index_update(
    kind_key: str, ids: Sequence[int] | None = None, *, vocabulary: bool = True
) -> None:
    """Write the index entries of these objects (all of the kind when ``ids`` is None)
    and (unless only the names they carry changed: ``vocabulary=False``) add the words
    of the published ones to the vocabulary."""
    kind = KINDS[kind_key]
    if ids is not None:
        ids = sorted({int(pk) for pk in ids if pk is not None})
        if not ids:
            return
    get_backend().index(kind, ids)
    if ids is not None and vocabulary:
        vocabulary_add(_texts(kind, kind.published().filter(pk__in=ids)))


def search_index_remove(kind_key: str, ids: Sequence[int]) -> None:
    ids = [int(pk) for pk in ids if pk is not None]
    if ids:
        get_backend().remove(KINDS[kind_key], ids)


def search_index_rebuild() -> dict[str, int]:
    """Rewrite the whole index and recount the vocabulary, in one transaction."""
    with transaction.atomic():
        for kind in KINDS.values():
            get_backend().index(kind, None)
        words = vocabulary_rebuild()
    counts = {kind.key: kind.model.objects.count() for kind in KINDS.values()}
    counts["vocabulary words"] = words
    return counts


def search_index_themes_changed(theme_ids: Sequence[int]) -> None:
    """Themes were published or unpublished in bulk (``update()``, no signals): rewrite
    them and the points tagged with them."""
    theme_ids = list(theme_ids)
    if not theme_ids:
        return
    search_index_update("themes", theme_ids)
    points = PracticePoint.objects.filter(themes__in=theme_ids).values_list("pk", flat=True)
    search_index_update("practice_points", list(points.distinct()), vocabulary=False)
