import logging

from django.db import DatabaseError, connection
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from practice_points.models import PracticePoint, Review
from resources.models import Resource
from themes.models import PracticeWeek, Theme
from themes.selectors import week_days

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """200 ``ok`` after a database round trip; 503 when the database is unreachable."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database is unreachable")
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def home(request):
    """What the toolkit is, today's day of the practice week (or its programme), and
    the ways in."""
    today = timezone.localdate()
    return render(request, "home.html", home_context(PracticeWeek.objects.current(today), today))


def home_context(week: PracticeWeek | None, today) -> dict:
    """The home page's context with ``week`` as the practice week (the staff preview
    shows an unpublished week with it)."""
    days = week_days(week)
    today_day = None
    if week and week.start_date <= today <= week.end_date:
        today_day = next((day for day in days if day.date == today), None)
    counts = {
        "points": PracticePoint.objects.published()
        .filter(Q(review__isnull=True) | Q(review__status="published"))
        .count(),
        "themes": Theme.objects.published().count(),
        "reviews": Review.objects.published().count(),
        "resources": Resource.objects.published().count(),
    }
    return {
        "nav_section": "home",
        "week": week,
        "days": days,
        "today_day": today_day,
        "today": today,
        "counts": counts,
    }


@require_safe
def accessibility(request):
    return render(request, "accessibility.html", {"nav_section": None})
