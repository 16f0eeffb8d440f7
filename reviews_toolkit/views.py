import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from themes.models import PracticeWeek
from themes.selectors import home_context

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


@require_safe
def accessibility(request):
    return render(request, "accessibility.html", {"nav_section": None})
