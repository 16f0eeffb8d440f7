from urllib.parse import urlencode

from django.db.models import Exists, F, OuterRef
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from content.qr import qr_svg
from practice_points.models import PracticePoint, Review
from resources.models import Resource
from resources.selectors import resources_on_themes

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
    return render(request, "themes/theme_detail.html", theme_detail_context(theme, request))


# A theme page lists this many of its points (the newest reviews' first); the finder has
# the rest, so the page stays short when a theme has hundreds.
THEME_POINTS_SHOWN = 10
# ... and this many of the reviews its points come from (the newest); the finder has all.
THEME_REVIEWS_SHOWN = 20
# ... and this many of its resources (tagged with the theme first, the newest first); the
# resources page, filtered by the theme, has them all (the same ones: resources_on_themes).
THEME_RESOURCES_SHOWN = 10
# A printed theme handout lists this many resources (the live page has the rest): with the
# newest first, six long titles took one page too many (three A4 pages for Resolution).
THEME_RESOURCES_PRINTED = 5


def theme_detail_context(theme, request=None) -> dict:
    """What the theme page shows of ``theme``: its published points (from published
    reviews) and resources. The staff preview renders an unpublished theme with it."""
    week = PracticeWeek.objects.current()
    points = PracticePoint.objects.public().filter(themes=theme)
    shown = list(
        points.with_relations().order_by(
            F("review__published_on").desc(nulls_last=True), "review__title", "position", "id"
        )[:THEME_POINTS_SHOWN]
    )
    reviews = (
        Review.objects.public()
        .filter(practice_points__in=points.values("pk"))
        .distinct()
        .order_by(F("published_on").desc(nulls_last=True), "title")
    )
    # Tagged with the theme first (then through its points), the newest first in each.
    resources = resources_on_themes(Resource.objects.public(), [theme])
    tagged = Resource.themes.through.objects.filter(resource=OuterRef("pk"), theme=theme)
    resources_shown = list(
        resources.annotate(tagged=Exists(tagged)).order_by(
            F("tagged").desc(), F("published_on").desc(nulls_last=True), "title", "id"
        )[:THEME_RESOURCES_SHOWN]
    )
    resource_count = resources.count()
    review_count = reviews.count()
    live_url = request.build_absolute_uri(theme.get_absolute_url()) if request else ""
    return {
        "nav_section": "themes",
        "theme": theme,
        "days": days_for_theme(theme, week),
        "week": week,
        "points": shown,
        "point_count": points.count(),
        "reviews": list(reviews[:THEME_REVIEWS_SHOWN]),
        "review_count": review_count,
        "review_count_text": f"{review_count:,}",
        "resources": resources_shown,
        "resource_count": resource_count,
        "resources_printed": THEME_RESOURCES_PRINTED,
        "resources_not_printed": max(resource_count - THEME_RESOURCES_PRINTED, 0),
        "resources_url": reverse("resources:list") + "?" + urlencode({"theme": theme.slug}),
        "live_url": live_url,
        "finder_url": request.build_absolute_uri(
            reverse("practice_points:finder") + "?" + urlencode({"theme": theme.slug})
        )
        if request
        else "",
        "live_qr": qr_svg(live_url) if live_url else "",
    }
