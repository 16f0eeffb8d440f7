"""How often learning recurs.

A theme recurs across the public reviews whose public points carry it: "Raised in N
reviews (L local, M national) from YEAR to YEAR", with the reviews by year.

A practice point recurs where points from *other* reviews say much the same. Candidates
are found through the site's search backend (``search.backends``: PostgreSQL full-text
``ts_rank`` over the stored vector, SQLite FTS5 ``bm25``), asked for any of the point's
words and taken best first (``CANDIDATES``); each candidate is then kept when its text is
close: at least ``MIN_SHARED`` meaningful word stems in common and a cosine similarity of
the two sets of stems of at least ``MIN_SCORE``. Stems in more than ``COMMON_SHARE`` of the
public points ("child", "practition", "consid" ...) say nothing about a point and are left
out of both (once there are ``MIN_POOL`` points to tell). Pairs are stored both ways in
``SimilarPoint`` by ``recurrence_refresh`` (a job after each publication and nightly),
so pages, the API and the finder's "most recurrent" sort only read them; reads count
only points that are public now.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.defaultfilters import pluralize

from content import areas
from practice_points.models import PracticePoint, Review, ReviewType
from search.backends import get_backend
from search.kinds import KINDS
from search.query import Plan, Unit
from search.text import is_stop_word, stem, tokens

from .models import SimilarPoint

MIN_SHARED = 3
MIN_SCORE = 0.3
COMMON_SHARE = 0.25
MIN_POOL = 30
CANDIDATES = 100
MAX_WORDS = 60
NATIONAL_TYPES = frozenset({ReviewType.NATIONAL_PANEL, ReviewType.NSPCC})


# --- Points ---------------------------------------------------------------------------


def meaningful_words(text: str) -> list[str]:
    """The point's distinct words that count (no stop words, no one- or two-letter
    words), in order."""
    seen: dict[str, None] = {}
    for token in tokens(text or ""):
        if len(token) > 2 and not is_stop_word(token) and not token.isdigit():
            seen.setdefault(token, None)
    return list(seen)


def text_stems(text: str) -> frozenset[str]:
    return frozenset(stem(word) for word in meaningful_words(text))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine similarity of two sets of stems; 0 below ``MIN_SHARED`` shared stems."""
    shared = len(a & b)
    if shared < MIN_SHARED or not a or not b:
        return 0.0
    return shared / math.sqrt(len(a) * len(b))


def is_similar(a: frozenset[str], b: frozenset[str]) -> bool:
    return similarity(a, b) >= MIN_SCORE


def _public_points() -> QuerySet[PracticePoint]:
    return PracticePoint.objects.public().filter(review__isnull=False)


def candidate_ids(point: PracticePoint, pool: QuerySet[PracticePoint]) -> list[int]:
    """Points of ``pool`` sharing words with ``point``, best ranked first, by the search
    backend of the database in use."""
    words = meaningful_words(point.text)[:MAX_WORDS]
    if not words:
        return []
    units = tuple(Unit(text=word, alternatives=((word,),)) for word in words)
    plan = Plan(query=" ".join(words), clauses=(units,), had_words=True, partial=True)
    matched = get_backend().matching(KINDS["practice_points"], pool, plan)
    return list(matched.order_by("-search_rank", "pk").values_list("pk", flat=True)[:CANDIDATES])


def common_stems(texts: list[str]) -> frozenset[str]:
    """Stems in more than ``COMMON_SHARE`` of ``texts`` (none below ``MIN_POOL`` texts)."""
    if len(texts) < MIN_POOL:
        return frozenset()
    counts = Counter(s for text in texts for s in text_stems(text))
    return frozenset(s for s, n in counts.items() if n > COMMON_SHARE * len(texts))


def _similar_pairs(
    point: PracticePoint, pool: QuerySet[PracticePoint], common: frozenset[str]
) -> list[tuple[int, float]]:
    others = pool.exclude(pk=point.pk).exclude(review_id=point.review_id)
    ids = candidate_ids(point, others)
    if not ids:
        return []
    mine = text_stems(point.text) - common
    found = []
    for pk, text in PracticePoint.objects.filter(pk__in=ids).values_list("pk", "text"):
        score = similarity(mine, text_stems(text) - common)
        if score >= MIN_SCORE:
            found.append((pk, round(score, 4)))
    return found


@transaction.atomic
def recurrence_refresh(point_ids: list[int] | None = None) -> int:
    """Find again the similar points of ``point_ids`` (``None``: every public point) and
    store the pairs both ways. Returns how many pairs (one way) are stored for them."""
    pool = _public_points()
    if point_ids is None:
        SimilarPoint.objects.all().delete()
        points = list(pool.only("pk", "text", "review_id"))
    else:
        SimilarPoint.objects.filter(point_id__in=point_ids).delete()
        SimilarPoint.objects.filter(other_id__in=point_ids).delete()
        points = list(pool.filter(pk__in=point_ids).only("pk", "text", "review_id"))
    common = common_stems(list(pool.values_list("text", flat=True)))
    pairs: dict[tuple[int, int], float] = {}
    for point in points:
        for other, score in _similar_pairs(point, pool, common):
            pairs[(point.pk, other)] = score
            pairs[(other, point.pk)] = score
    SimilarPoint.objects.bulk_create(
        [SimilarPoint(point_id=a, other_id=b, score=s) for (a, b), s in pairs.items()],
        ignore_conflicts=True,
    )
    return len(pairs) // 2


def similar_points(point: PracticePoint) -> QuerySet[PracticePoint]:
    """Public points from other reviews that say much the same as ``point``, closest
    first."""
    score = SimilarPoint.objects.filter(point_id=point.pk, other_id=OuterRef("pk")).values("score")[
        :1
    ]
    return (
        _public_points()
        .filter(pk__in=SimilarPoint.objects.filter(point_id=point.pk).values("other_id"))
        .exclude(review_id=point.review_id)
        .annotate(similarity=Subquery(score))
        .select_related("review")
        .order_by("-similarity", "pk")
    )


def recurrence_annotation():
    """The number of public points from other reviews similar to each point (for the
    finder's "most recurrent" sort and the API)."""
    counted = (
        SimilarPoint.objects.filter(point_id=OuterRef("pk"))
        .filter(other_id__in=_public_points().values("pk"))
        .order_by()
        .values("point_id")
        .annotate(n=Count("other_id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def point_recurrence(point: PracticePoint) -> dict:
    similar = list(similar_points(point))
    reviews = {p.review_id for p in similar}
    return {"similar_points": len(similar), "other_reviews": len(reviews)}


# --- Themes ---------------------------------------------------------------------------


@dataclass
class ThemeRecurrence:
    reviews: int = 0
    local: int = 0
    national: int = 0
    first_year: int | None = None
    last_year: int | None = None
    by_year: list[dict] = field(default_factory=list)
    # Reviews with a publication date (the years above count only these) and without.
    dated: int = 0
    undated: int = 0
    undated_width: int = 0

    @property
    def span(self) -> str:
        """The dated reviews' years: "in 2024", "from 2019 to 2024", or ""."""
        if self.first_year is None:
            return ""
        if self.first_year == self.last_year:
            return f"in {self.first_year}"
        return f"from {self.first_year} to {self.last_year}"

    @property
    def summary(self) -> str:
        """ "Raised in 3 reviews (2 local, 1 national) from 2019 to 2024." The years are
        said only of the reviews that have a date; those without one are counted apart."""
        text = (
            f"Raised in {self.reviews} review{pluralize(self.reviews)} "
            f"({self.local} local, {self.national} national)"
        )
        if not self.undated:
            return f"{text} {self.span}." if self.span else f"{text}."
        if not self.dated:
            return f"{text}, none of them with a publication date."
        return f"{text}: {self.dated} published {self.span} and {self.undated} with no date."

    @property
    def years_text(self) -> str:
        """The staff table's "Years": "2019 to 2024", or with the undated counted apart
        ("1 in 2024; 2 with no date")."""
        if not self.undated:
            return self.span.removeprefix("in ").removeprefix("from ")
        if not self.dated:
            return f"{self.undated} with no date"
        return f"{self.dated} {self.span}; {self.undated} with no date"

    def as_api(self) -> dict:
        return {
            "reviews": self.reviews,
            "local": self.local,
            "national": self.national,
            "first_year": self.first_year,
            "last_year": self.last_year,
        }


def theme_reviews(theme) -> QuerySet[Review]:
    """Public reviews with public points on ``theme``."""
    points = PracticePoint.objects.public().filter(themes=theme)
    return Review.objects.public().filter(pk__in=points.values("review_id"))


def _recurrence_of(reviews: list[tuple[str, str, object]]) -> ThemeRecurrence:
    """``reviews``: (review type, area, published on) of each review, once."""
    national = sum(
        1 for kind, area, _ in reviews if kind in NATIONAL_TYPES or areas.is_national(area)
    )
    years = Counter(day.year for _, _, day in reviews if day)
    dated = sum(years.values())
    result = ThemeRecurrence(
        reviews=len(reviews),
        local=len(reviews) - national,
        national=national,
        dated=dated,
        undated=len(reviews) - dated,
    )
    if years:
        result.first_year, result.last_year = min(years), max(years)
        top = max(*years.values(), result.undated)
        result.undated_width = round(100 * result.undated / top)
        result.by_year = [
            {
                "year": year,
                "count": years.get(year, 0),
                "width": round(100 * years.get(year, 0) / top),
            }
            for year in range(result.first_year, result.last_year + 1)
        ]
    return result


def theme_recurrence_map(theme_ids=None) -> dict[int, ThemeRecurrence]:
    """Each theme's recurrence (``None``: every theme with public points), in one query:
    the public reviews of its public points. A theme missing from the answer has none."""
    rows = PracticePoint.objects.public().filter(review__isnull=False, themes__isnull=False)
    if theme_ids is not None:
        rows = rows.filter(themes__in=list(theme_ids))
    rows = rows.values_list(
        "themes__id", "review_id", "review__review_type", "review__area", "review__published_on"
    ).distinct()
    per_theme: dict[int, dict[int, tuple]] = {}
    for theme_id, review_id, kind, area, day in rows:
        per_theme.setdefault(theme_id, {})[review_id] = (kind, area, day)
    wanted = per_theme.keys() if theme_ids is None else theme_ids
    return {pk: _recurrence_of(list(per_theme.get(pk, {}).values())) for pk in wanted}


def theme_recurrence(theme) -> ThemeRecurrence:
    return theme_recurrence_map([theme.pk])[theme.pk]


# --- The staff report -----------------------------------------------------------------


@dataclass
class Finding:
    point: PracticePoint
    similar: list[PracticePoint]

    @property
    def reviews(self) -> int:
        """Reviews that raise it: the point's own and those of its similar points."""
        return len({self.point.review_id, *(p.review_id for p in self.similar)})


def recurring_findings(limit: int = 100) -> list[Finding]:
    """Public points with similar learning in other reviews, grouped: each finding is
    a point and the points like it, the one raised in most reviews first; a point already
    listed under a finding is not listed again."""
    pairs: dict[int, list[int]] = {}
    public_ids = set(_public_points().values_list("pk", flat=True))
    for a, b in SimilarPoint.objects.values_list("point_id", "other_id"):
        if a in public_ids and b in public_ids:
            pairs.setdefault(a, []).append(b)
    if not pairs:
        return []
    points = {
        p.pk: p
        for p in PracticePoint.objects.filter(
            pk__in=set(pairs) | {b for v in pairs.values() for b in v}
        ).select_related("review")
    }

    def reach(pk: int) -> int:
        return len({points[pk].review_id, *(points[o].review_id for o in pairs[pk])})

    order = sorted(pairs, key=lambda pk: (-reach(pk), -len(pairs[pk]), pk))
    listed: set[int] = set()
    findings = []
    for pk in order:
        if pk in listed:
            continue
        similar = [points[o] for o in pairs[pk] if o not in listed]
        if not similar:
            continue
        listed.add(pk)
        listed.update(p.pk for p in similar)
        findings.append(Finding(points[pk], sorted(similar, key=lambda p: p.pk)))
        if len(findings) >= limit:
            break
    findings.sort(key=lambda f: (-f.reviews, f.point.pk))
    return findings


def recurrent_sort(points):
    """The finder's "Most recurrent" sort: most similar points in other reviews first."""
    return points.annotate(recurrence=recurrence_annotation()), [F("recurrence").desc()]
