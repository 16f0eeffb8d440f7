"""One-line includes for the content apps' pages:

- ``{% change_note item %}``: "Updated 3 March 2027: <note>" (its latest major change);
  ``{% change_notes_for items %}`` before a list's loop fetches them all in one query;
- ``{% theme_recurrence theme %}``: "Raised in N reviews ..." with the reviews by year;
- ``{% similar_learning point %}``: points from other reviews that say much the same;
- ``{% stay_informed query [theme] %}``: "Get emails about this search" (or about the
  theme, on its page) and the Atom feed;
- ``{% feed_head_link query %}``: ``<link rel="alternate" type="application/atom+xml">``.
"""

from django import template
from django.http import QueryDict
from django.urls import reverse

from alerts import recurrence
from alerts.searches import feed_url, normalise_query
from alerts.services import latest_major_note, latest_major_notes_attach

register = template.Library()


def _query(value) -> str:
    if hasattr(value, "getlist"):
        return normalise_query(value)
    if isinstance(value, dict):
        return normalise_query(value)
    return normalise_query(QueryDict((value or "").lstrip("?")))


@register.inclusion_tag("alerts/includes/change_note.html")
def change_note(item):
    return {"change": latest_major_note(item)}


@register.simple_tag
def change_notes_for(objects) -> str:
    """``{% change_notes_for resources %}`` before a list's loop: each item's note in one
    query, so ``{% change_note item %}`` in the loop asks nothing more."""
    latest_major_notes_attach(objects)
    return ""


@register.inclusion_tag("alerts/includes/theme_recurrence.html")
def theme_recurrence(theme):
    return {"theme": theme, "recurrence": recurrence.theme_recurrence(theme)}


@register.inclusion_tag("alerts/includes/similar_learning.html")
def similar_learning(point):
    return {"point": point, "similar": list(recurrence.similar_points(point))}


@register.inclusion_tag("alerts/includes/stay_informed.html")
def stay_informed(query="", theme=None):
    """On a theme page (``theme``), the links name the theme, and the subscribe page's back
    link returns to it."""
    query = _query(query)
    subscribe = reverse("alerts:subscribe")
    subscribe_query = f"{query}&from=theme" if theme is not None and query else query
    return {
        "subscribe_url": f"{subscribe}?{subscribe_query}" if subscribe_query else subscribe,
        "feed_url": feed_url(query),
        "theme": theme,
    }


@register.inclusion_tag("alerts/includes/feed_head_link.html")
def feed_head_link(query="", title="Atom feed of these practice points"):
    return {"feed_url": feed_url(_query(query)), "title": title}
