from __future__ import annotations

import datetime
import string
from itertools import groupby

from django.db.models import Count, Prefetch, Q, QuerySet

from content.models import today
from practice_points.models import PracticePoint, Review
from resources.models import Resource

from .models import GlossaryTerm, PracticeWeek, PracticeWeekDay, Theme


def theme_list() -> QuerySet[Theme]:
    """Public themes with the number of public points tagged with each (the points'
    rule is ``PracticePoint.objects.public()``, used here as a subquery)."""
    public_points = Q(practice_points__in=PracticePoint.objects.public().values("pk"))
    return Theme.objects.public().annotate(
        practice_point_count=Count("practice_points", filter=public_points, distinct=True)
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


def home_context(week: PracticeWeek | None, today: datetime.date) -> dict:
    """The home page's context with ``week`` as the practice week (the staff preview
    shows an unpublished week with it)."""
    days = week_days(week)
    today_day = None
    if week and week.start_date <= today <= week.end_date:
        today_day = next((day for day in days if day.date == today), None)
    counts = {
        "points": PracticePoint.objects.public().count(),
        "themes": Theme.objects.public().count(),
        "reviews": Review.objects.public().count(),
        "resources": Resource.objects.public().count(),
    }
    return {
        "nav_section": "home",
        "week": week,
        "days": days,
        "today_day": today_day,
        "today": today,
        "counts": counts,
    }


def practice_week_preview_context(week: PracticeWeek) -> dict:
    """The staff preview of a week: the home page as it would show ``week`` today."""
    return home_context(week, today())


def glossary_context(terms) -> dict:
    """The glossary page's context for ``terms`` (in order); the staff preview renders
    one unpublished term with it."""
    terms = list(terms)
    letters = [
        {"letter": letter, "terms": list(items)}
        for letter, items in groupby(terms, key=lambda term: term.letter)
    ]
    present = {group["letter"] for group in letters}
    alphabet = [
        {"letter": letter, "has_terms": letter in present} for letter in string.ascii_uppercase
    ]
    alphabet += [
        {"letter": letter, "has_terms": True}
        for letter in sorted(present - set(string.ascii_uppercase))
    ]
    return {
        "nav_section": "glossary",
        "letters": letters,
        "alphabet": alphabet,
        "term_count": len(terms),
    }


def glossary_preview_context(term: GlossaryTerm) -> dict:
    """The staff preview of one term: the glossary page with only that term."""
    return glossary_context([term])
