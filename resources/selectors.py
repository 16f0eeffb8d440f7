"""Reads of resources that more than one page shares."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from practice_points.models import PracticePoint
from themes.models import Theme

from .models import Resource


def resources_on_themes(queryset: QuerySet[Resource], themes: Iterable[Theme]) -> QuerySet:
    """The resources of ``queryset`` on any of ``themes``: tagged with one of them, or
    attached to a public practice point tagged with one. The theme page lists these and
    the resources page's ``theme`` filter finds the same ones, so "See all N
    resources on this theme" leads to exactly N. A subquery on the primary key keeps the
    rows distinct without DISTINCT (the search's ranking stays as it was)."""
    themes = list(themes)
    points = PracticePoint.objects.public().filter(themes__in=themes).values("pk")
    matching = Resource.objects.filter(Q(themes__in=themes) | Q(practice_points__in=points)).values(
        "pk"
    )
    return queryset.filter(pk__in=matching)
