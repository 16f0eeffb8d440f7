"""Reads: the published practice points and reviews, as the finder and the API see them."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from resources.models import Resource
from themes.models import Theme

from .filters import PracticePointFilter
from .models import PracticePoint, Review


def practice_point_filterset(data=None) -> PracticePointFilter:
    """The finder's FilterSet bound to ``data`` over the published points."""
    queryset = PracticePoint.objects.published().filter(
        Q(review__isnull=True) | Q(review__status="published")
    )
    return PracticePointFilter(data if data is not None else {}, queryset=queryset)


def practice_point_list(*, filters=None) -> QuerySet[PracticePoint]:
    """Published points matching ``filters`` (invalid values are ignored here; the
    views report them), with what a list shows loaded in a fixed number of queries."""
    return practice_point_filterset(filters).qs.with_relations()


def practice_point_detail_queryset(*, published_only: bool = True) -> QuerySet[PracticePoint]:
    """Points as their page shows them; ``published_only=False`` for the staff preview."""
    points = PracticePoint.objects.all()
    if published_only:
        points = points.published().filter(Q(review__isnull=True) | Q(review__status="published"))
    return points.with_relations().prefetch_related(
        Prefetch("resources", queryset=Resource.objects.published())
    )


def review_list(*, published_only: bool = True) -> QuerySet[Review]:
    """Reviews with their number of published points; ``published_only=False`` for the
    staff preview."""
    reviews = Review.objects.published() if published_only else Review.objects.all()
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
            Prefetch("themes", queryset=Theme.objects.published()),
            "agencies",
            Prefetch("resources", queryset=Resource.objects.published()),
        )
    )
