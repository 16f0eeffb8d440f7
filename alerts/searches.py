"""A finder search as a subscription keeps it: the finder's own filters (its FilterSet,
``practice_points.selectors``), as a normalised query string, and described in words."""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse

from practice_points import selectors
from practice_points.filters import PracticePointFilter
from practice_points.models import ReviewType
from themes.models import Weekday

# The finder's filters a subscription keeps (not its sort or page).
FILTER_PARAMS = ("q", "theme", "agency", "day", "review", "review_type")


def normalise_query(data) -> str:
    """The filters of ``data`` (a QueryDict or dict) as a stable query string: only the
    finder's filters, blank values dropped, each list sorted."""
    query = QueryDict(mutable=True)
    for name in FILTER_PARAMS:
        if hasattr(data, "getlist"):
            values = data.getlist(name)
        else:
            value = data.get(name)
            values = value if isinstance(value, list | tuple) else [value]
        values = sorted({str(v).strip() for v in values if v is not None and str(v).strip()})
        if values:
            query.setlist(name, values)
    return query.urlencode()


def search_filterset(query: str) -> PracticePointFilter:
    return selectors.practice_point_filterset(QueryDict(query))


def search_is_valid(query: str) -> bool:
    filterset = search_filterset(query)
    return filterset.is_valid()


def describe_search(query: str) -> str:
    """The search in words, e.g. "Practice points on Neglect or Domestic abuse, for
    Health, matching ‘bruising’"."""
    filterset = search_filterset(query)
    if not filterset.is_valid():
        return "Practice points"
    data = filterset.form.cleaned_data
    parts = ["Practice points"]
    themes = [t.name for t in data.get("theme") or []]
    if themes:
        parts.append("on " + " or ".join(themes))
    agencies = [a.name for a in data.get("agency") or []]
    if agencies:
        parts.append("for " + " or ".join(agencies))
    if data.get("review"):
        parts.append(f"from {data['review'].title}")
    if data.get("review_type"):
        parts.append(f"from a {ReviewType(data['review_type']).label.lower()}")
    if data.get("day"):
        parts.append(f"on {Weekday(data['day']).label} of the practice week")
    text = ", ".join([parts[0] + (" " + parts[1] if len(parts) > 1 else ""), *parts[2:]])
    if data.get("q"):
        text += f", matching ‘{filterset.search_text}’"
    return text


def finder_url(query: str) -> str:
    path = reverse("practice_points:finder")
    return f"{path}?{query}" if query else path


def feed_url(query: str) -> str:
    path = reverse("alerts:points_feed")
    return f"{path}?{query}" if query else path
