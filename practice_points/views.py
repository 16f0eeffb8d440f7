from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from content import textsearch
from content.pagination import PAGE_SIZES, page_size_from, paginate
from themes.models import Agency, Theme, ThemeKind, Weekday

from . import selectors
from .filters import PracticePointFilter
from .models import ReviewType


def practice_point_finder(request):
    filterset = selectors.practice_point_filterset(request.GET)
    problems = _filter_problems(filterset)
    sort = selectors.practice_point_sort(filterset, request.GET.get("sort"))
    points = selectors.practice_point_results(filterset, sort=sort)
    page = paginate(request, points, page_size_from(request))
    search = textsearch.engine()  # the search app's (content/textsearch.py)
    did_you_mean = search.finder_results_annotate(filterset, page, request)  # snippets, gaps
    notes = search.search_notes(
        filterset.search_plan,  # parsed once for this request
        queryset=filterset.without("q"),
        found=page.paginator.count,
        exact=filterset.exact_words,
    )
    if notes["corrected"]:
        did_you_mean = None
    counts = filterset.facet_counts()
    week = filterset.week
    result_count = page.paginator.count
    agencies = _chosen_agencies(filterset)
    meant_for_count = points.filter(meant_for=True).count() if agencies else 0
    _mark_sections(page.object_list, agencies)
    finder_query = request.GET.urlencode()
    context = {
        "nav_section": "practice_points",
        "filterset": filterset,
        "problems": problems,
        "page_obj": page,
        "points": page.object_list,
        "result_count": result_count,
        "q": filterset.search_text,
        "did_you_mean": did_you_mean,
        "search_notes": notes,
        "selected": _selected_filters(request, filterset),
        "facets": _facets(filterset, counts, week),
        "page_sizes": [
            {"value": size, "label": size, "selected": size == page_size_from(request)}
            for size in PAGE_SIZES
        ],
        "week": week,
        "sort": sort,
        "sorts": [
            {"value": value, "label": label, "selected": value == sort}
            for value, label in selectors.SORTS.items()
            if value != "relevance" or filterset.search_text
        ],
        "chosen_agencies": agencies,
        "meant_for_count": meant_for_count,
        "every_agency_count": result_count - meant_for_count,
        "finder_query": f"?{finder_query}" if finder_query else "",
    }
    return render(request, "practice_points/finder.html", context)


def _chosen_agencies(filterset: PracticePointFilter) -> list:
    slugs = filterset.chosen_agency_slugs
    return list(Agency.objects.filter(slug__in=slugs)) if slugs else []


def _mark_sections(points, agencies) -> None:
    """With agencies chosen, mark where the "meant for" and "every agency" parts of the
    results begin on this page, so the list can head each part."""
    previous = None
    for point in points:
        section = ("meant_for" if point.meant_for else "every_agency") if agencies else None
        point.section_start = section if section != previous else None
        previous = section


def _filter_problems(filterset: PracticePointFilter) -> list[dict]:
    """Clear messages for values the finder did not recognise (they are ignored)."""
    problems = []
    if not filterset.is_bound or filterset.is_valid():
        return problems
    labels = {name: f.label for name, f in filterset.filters.items()}
    for name, errors in filterset.errors.items():
        values = filterset.data.getlist(name) if hasattr(filterset.data, "getlist") else []
        shown = ", ".join(f"‘{value}’" for value in values[:3] if value)
        problems.append(
            {
                "field": name,
                "message": f"{labels.get(name, name)}: we did not recognise {shown or 'that value'}, "
                "so it was left out. Choose from the list instead.",
                "errors": errors,
            }
        )
    return problems


def _selected_filters(request, filterset: PracticePointFilter) -> list[dict]:
    """The filters in use: each with the parameter and value that its "remove" link
    takes out of the query string (``{% querystring_without %}``)."""
    if not filterset.is_bound:
        return []
    filterset.is_valid()
    cleaned = getattr(filterset.form, "cleaned_data", {})
    selected = []
    if cleaned.get("q"):
        selected.append(
            {
                "group": "Search",
                "label": filterset.search_text,
                "name": "q",
                "value": request.GET.get("q"),
            }
        )
    for name, group in (("theme", "Theme"), ("agency", "Agency")):
        for obj in cleaned.get(name) or []:
            selected.append({"group": group, "label": obj.name, "name": name, "value": obj.slug})
    if cleaned.get("day"):
        day = cleaned["day"]
        selected.append({"group": "Day", "label": Weekday(day).label, "name": "day", "value": day})
    if cleaned.get("review"):
        review = cleaned["review"]
        selected.append(
            {"group": "Review", "label": review.title, "name": "review", "value": review.slug}
        )
    if cleaned.get("review_type"):
        value = cleaned["review_type"]
        selected.append(
            {
                "group": "Type of review",
                "label": ReviewType(value).label,
                "name": "review_type",
                "value": value,
            }
        )
    return selected


# The most reviews the "Source review" list offers (the ones with the most points).
REVIEW_OPTIONS = 100


def _facets(filterset: PracticePointFilter, counts: dict, week) -> dict:
    data = filterset.data if filterset.is_bound else {}

    def chosen(name):
        return set(data.getlist(name)) if hasattr(data, "getlist") else set()

    themes = list(Theme.objects.public())
    theme_groups = []
    for kind in ThemeKind:
        options = [
            {
                "value": theme.slug,
                "label": theme.name,
                "count": counts["theme"].get(theme.slug, 0),
                "checked": theme.slug in chosen("theme"),
            }
            for theme in themes
            if theme.kind == kind
        ]
        if options:
            theme_groups.append({"label": kind.plural, "kind": kind.value, "options": options})
    agencies = [
        {
            "value": agency.slug,
            "label": agency.name,
            "count": counts["agency"].get(agency.slug, 0),
            "checked": agency.slug in chosen("agency"),
        }
        for agency in Agency.objects.all()
    ]
    day_titles = {}
    if week:
        day_titles = {
            day.weekday: day
            for day in week.days.prefetch_related(
                Prefetch("themes", queryset=Theme.objects.public(), to_attr="public_themes")
            )
        }
    days = [
        {
            "value": value,
            "label": label,
            "count": counts["day"].get(value, 0),
            "checked": data.get("day") == value if data else False,
            "hint": ", ".join(t.name for t in day_titles[value].public_themes)
            if value in day_titles
            else "",
        }
        for value, label in Weekday.choices
    ]
    chosen_review = data.get("review") if data else None
    reviews = [
        {
            "value": review.slug,
            "label": review.title,
            "count": counts["review"].get(review.slug, 0),
            "selected": chosen_review == review.slug,
        }
        for review in filterset.filters["review"].queryset.only("slug", "title")
    ]
    bounded = len(reviews) > REVIEW_OPTIONS
    if bounded:
        # A list of thousands of reviews is no use to choose from (and slow to send):
        # the reviews with the most points here, and the one chosen, in title order.
        most = sorted(reviews, key=lambda r: (-r["count"], r["label"]))[:REVIEW_OPTIONS]
        keep = {r["value"] for r in most} | {chosen_review}
        reviews = [r for r in reviews if r["value"] in keep]
    review_types = [
        {
            "value": value,
            "label": label,
            "count": counts["review_type"].get(value, 0),
            "selected": data.get("review_type") == value if data else False,
        }
        for value, label in ReviewType.choices
    ]
    return {
        "theme_groups": theme_groups,
        "agencies": agencies,
        "days": days,
        "any_day": not (data.get("day") if data else None),
        "reviews": reviews,
        "reviews_hint": (
            f"The {REVIEW_OPTIONS} reviews with the most points here. To find another, "
            "search for its name."
            if bounded
            else ""
        ),
        "review_types": review_types,
        "all_agencies_count": counts["all_agencies"],
        "day_open": bool(data.get("day")) if data else False,
    }


def practice_point_detail(request, pk: int):
    point = get_object_or_404(selectors.practice_point_detail_queryset(), pk=pk)
    return render(
        request, "practice_points/detail.html", practice_point_detail_context(point, request)
    )


def practice_point_detail_context(point, request=None) -> dict:
    """The point, and the finder's query it was reached from ("Back to results" keeps the
    filters): only the finder's own parameters are carried back."""
    back = None
    if request is not None:
        params = request.GET.copy()
        for key in list(params):
            if key not in selectors.FINDER_PARAMS:
                del params[key]
        back = params.urlencode()
    return {"nav_section": "practice_points", "point": point, "back_query": back}


def review_list(request):
    reviews = selectors.review_list()
    review_type = request.GET.get("review_type", "")
    partnership = request.GET.get("partnership", "")
    problems = []
    if review_type:
        if review_type in ReviewType.values:
            reviews = reviews.filter(review_type=review_type)
        else:
            problems.append("Type of review: we did not recognise that type, so it was left out.")
            review_type = ""
    partnerships = sorted(
        {p for p in selectors.review_list().values_list("partnership", flat=True) if p}
    )
    if partnership:
        if partnership in partnerships:
            reviews = reviews.filter(partnership=partnership)
        else:
            problems.append(
                "Partnership: we did not recognise that partnership, so it was left out."
            )
            partnership = ""
    return render(
        request,
        "practice_points/review_list.html",
        {
            "nav_section": "reviews",
            "reviews": reviews.order_by("-published_on", "title"),
            "review_types": ReviewType.choices,
            "review_type": review_type,
            "partnerships": partnerships,
            "partnership": partnership,
            "problems": problems,
        },
    )


def review_detail(request, slug: str):
    review = get_object_or_404(selectors.review_list(), slug=slug)
    return render(request, "practice_points/review_detail.html", review_detail_context(review))


def review_detail_context(review) -> dict:
    """``review`` (annotated as ``selectors.review_list`` does) and its published points."""
    return {"nav_section": "reviews", "review": review, "points": selectors.review_points(review)}
