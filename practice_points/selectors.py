"""Reads: the published practice points and reviews, as the finder and the API see them."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from resources.models import Resource
from themes.models import Theme

from .filters import PracticePointFilter
from .models import PracticePoint, Review


def practice_point_filterset(data=None) -> PracticePointFilter:
    """The finder's FilterSet bound to ``data`` over the published points."""
    queryset = PracticePoint.objects.public()
    return PracticePointFilter(data if data is not None else {}, queryset=queryset)


def practice_point_list(*, filters=None) -> QuerySet[PracticePoint]:
    """Published points matching ``filters`` (invalid values are ignored here; the
    views report them), with what a list shows loaded in a fixed number of queries."""
    return practice_point_filterset(filters).qs.with_relations()


# How the finder can order its results. "relevance" only applies when searching.
SORTS = {
    "relevance": "Relevance",
    "newest": "Newest review first",
    "theme": "Theme (A to Z)",
}
# Sorts feature apps add (``register_sort``; alerts: "recurrent"): each orders the points
# by what it annotates, newest review first among equals.
EXTRA_SORTS: dict = {}


def register_sort(name: str, label: str, annotate) -> None:
    """Add a finder sort: ``annotate(points) -> (points, ordering)`` (from an AppConfig.ready:
    a subject app never imports a feature)."""
    SORTS[name] = label
    EXTRA_SORTS[name] = annotate


FINDER_PARAMS = (
    "q",
    "theme",
    "agency",
    "day",
    "review",
    "review_type",
    "sort",
    "page",
    "page_size",
)


def practice_point_sort(filterset: PracticePointFilter, requested: str | None) -> str:
    """The sort in force: what was asked for if it applies, else relevance when searching
    and the newest review first otherwise."""
    searching = bool(filterset.search_text)
    if requested in SORTS and (requested != "relevance" or searching):
        return requested
    return "relevance" if searching else "newest"


def practice_point_results(filterset: PracticePointFilter, *, sort: str) -> QuerySet[PracticePoint]:
    """The finder's results in order. With agencies chosen, the points meant for one of
    them (tagged with it) come first, each marked ``meant_for``; the points for every
    agency follow."""
    points = filterset.qs
    ordering: list = []
    agencies = filterset.chosen_agency_slugs
    if agencies:
        points = points.annotate(
            meant_for=Exists(
                PracticePoint.agencies.through.objects.filter(
                    practicepoint=OuterRef("pk"), agency__slug__in=agencies
                )
            )
        )
        ordering.append(F("meant_for").desc())
    if sort == "relevance" and "search_rank" in points.query.annotations:
        ordering += ["-search_rank", "pk"]
    elif sort == "theme":
        first_theme = (
            Theme.objects.public()
            .filter(practice_points=OuterRef("pk"))
            .order_by("name")
            .values("name")[:1]
        )
        points = points.annotate(first_theme=Subquery(first_theme))
        ordering += [F("first_theme").asc(nulls_last=True), "pk"]
    elif sort in EXTRA_SORTS:
        points, extra = EXTRA_SORTS[sort](points)
        ordering += [
            *extra,
            F("review__published_on").desc(nulls_last=True),
            "review__title",
            "position",
            "pk",
        ]
    else:
        ordering += [
            F("review__published_on").desc(nulls_last=True),
            "review__title",
            "position",
            "pk",
        ]
    return points.order_by(*ordering).with_relations()


def practice_point_detail_queryset(*, published_only: bool = True) -> QuerySet[PracticePoint]:
    """Points as their page shows them; ``published_only=False`` for the staff preview."""
    points = PracticePoint.objects.all()
    if published_only:
        points = points.public()
    return points.with_relations().prefetch_related(
        Prefetch("resources", queryset=Resource.objects.public())
    )


def review_list(*, published_only: bool = True) -> QuerySet[Review]:
    """Reviews with their number of published points; ``published_only=False`` for the
    staff preview."""
    reviews = Review.objects.public() if published_only else Review.objects.all()
    return reviews.annotate(
        learning_point_count=Count(
            "practice_points", filter=Q(practice_points__status="published"), distinct=True
        )
    )


def review_points(review: Review) -> QuerySet[PracticePoint]:
    return (
        review.practice_points.published()
        .order_by("position", "id")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.public()),
            "agencies",
            Prefetch("resources", queryset=Resource.objects.public()),
        )
    )


def practice_point_preview_queryset() -> QuerySet[PracticePoint]:
    """Every point, whatever its status, as the staff preview shows it."""
    return practice_point_detail_queryset(published_only=False)


def review_preview_queryset() -> QuerySet[Review]:
    """Every review, whatever its status, as the staff preview shows it."""
    return review_list(published_only=False)
