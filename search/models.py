"""What the search keeps besides the index itself: the words of the published content
(for "did you mean" and typo correction) and the searches that found nothing."""

from django.db import models

from content.indexes import PortableGinIndex


class VocabularyWord(models.Model):
    """A word of the published content. Added to as content is indexed; recounted by
    ``manage.py rebuild_search_index``."""

    word = models.CharField(max_length=40, unique=True)
    stem = models.CharField(max_length=40, db_index=True)
    documents = models.PositiveIntegerField(
        default=1, help_text="How many published items use the word (at the last rebuild)."
    )

    class Meta:
        ordering = ["word"]
        indexes = [
            # Trigram similarity (pg_trgm) finds close spellings on PostgreSQL.
            PortableGinIndex(
                fields=["word"], name="search_vocab_word_trgm", opclasses=["gin_trgm_ops"]
            )
        ]

    def __str__(self) -> str:
        return self.word


class ZeroResultQuery(models.Model):
    """A search that found nothing, counted per day: the words only, nothing about who
    searched (no user, no address, no session). ``count``: searches, at most one per
    client per period; ``clients``: how many different clients searched for it that day
    (search.gaps, which also caps and ages out the rows)."""

    query = models.CharField(max_length=200)
    date = models.DateField(db_index=True)
    count = models.PositiveIntegerField(
        default=0, verbose_name="searches", help_text="At most one per person per hour."
    )
    clients = models.PositiveIntegerField(
        default=0,
        verbose_name="people searching",
        help_text="Different people (by their internet address) who searched for it that day.",
    )

    class Meta:
        ordering = ["-clients", "-count", "-date", "query"]
        verbose_name = "content gap (search with no results)"
        verbose_name_plural = "content gaps (searches with no results)"
        constraints = [
            models.UniqueConstraint(fields=["query", "date"], name="zeroresultquery_unique"),
            models.CheckConstraint(condition=~models.Q(query=""), name="zeroresultquery_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.query} ({self.date:%d %b %Y}: {self.count})"
