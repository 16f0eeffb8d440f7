from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import PracticeWeek, PracticeWeekDay, Theme

PUBLISHED_POINTS = Q(practice_points__status="published") & (
    Q(practice_points__review__isnull=True) | Q(practice_points__review__status="published")
)


def theme_list() -> QuerySet[Theme]:
    """Published themes with the number of published points tagged with each."""
    return Theme.objects.published().annotate(
        practice_point_count=Count("practice_points", filter=PUBLISHED_POINTS, distinct=True)
    )


def week_days(week: PracticeWeek | None) -> list[PracticeWeekDay]:
    if week is None:
        return []
    return list(
        week.days.order_by("weekday_order").prefetch_related(
            Prefetch("themes", queryset=theme_list())
        )
    )


def days_for_theme(theme: Theme, week: PracticeWeek | None) -> list[PracticeWeekDay]:
    if week is None:
        return []
    return list(week.days.filter(themes=theme).order_by("weekday_order"))
