from itertools import groupby

from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from practice_points.models import PracticePoint
from resources.models import Resource

from .models import PracticeWeek, ThemeKind
from .selectors import days_for_theme, theme_list, week_days


def theme_list_view(request):
    themes = list(theme_list())
    week = PracticeWeek.objects.current()
    day_of = {}
    for day in week_days(week):
        for theme in day.themes.all():
            day_of.setdefault(theme.pk, []).append(day)
    groups = []
    for kind in ThemeKind:
        members = [theme for theme in themes if theme.kind == kind]
        for theme in members:
            theme.days = day_of.get(theme.pk, [])
        if members:
            groups.append({"kind": kind, "themes": members})
    return render(
        request,
        "themes/theme_list.html",
        {"nav_section": "themes", "groups": groups, "week": week},
    )


def theme_detail(request, slug: str):
    theme = get_object_or_404(theme_list(), slug=slug)
    return render(request, "themes/theme_detail.html", theme_detail_context(theme))


def theme_detail_context(theme) -> dict:
    """What the theme page shows of ``theme``: its published points (from published
    reviews) and resources. The staff preview renders an unpublished theme with it."""
    week = PracticeWeek.objects.current()
    points = list(
        PracticePoint.objects.published()
        .filter(themes=theme)
        .filter(Q(review__isnull=True) | Q(review__status="published"))
        .select_related("review")
        .prefetch_related("agencies")
        .order_by("review__title", "position", "id")
    )
    sources = [
        {"review": review, "points": list(items)}
        for review, items in groupby(points, key=lambda point: point.review)
    ]
    reviews = [group["review"] for group in sources if group["review"] is not None]
    resources = (
        Resource.objects.published()
        .filter(Q(themes=theme) | Q(practice_points__in=[p.pk for p in points]))
        .distinct()
        .order_by("scope", "title")
    )
    return {
        "nav_section": "themes",
        "theme": theme,
        "days": days_for_theme(theme, week),
        "week": week,
        "sources": sources,
        "point_count": len(points),
        "reviews": reviews,
        "resources": resources,
    }
