"""Atom feeds (django.contrib.syndication): the finder's results for any search, and
What's new. The points feed uses the finder's own FilterSet and order
(``practice_points.selectors``); a filter value the finder does not know is a 400 naming
it. Responses carry a strong ETag (a hash of the body) and answer ``If-None-Match`` with
304 Not Modified."""

from __future__ import annotations

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from practice_points import selectors
from practice_points.models import PracticePoint

from .models import ChangeNote
from .searches import describe_search, finder_url, normalise_query
from .selectors import whats_new

FEED_ITEMS = 50


class _Atom(Atom1Feed):
    content_type = "application/atom+xml; charset=utf-8"


class PracticePointFeed(Feed):
    feed_type = _Atom

    def get_object(self, request):
        filterset = selectors.practice_point_filterset(request.GET)
        sort = selectors.practice_point_sort(filterset, request.GET.get("sort"))
        query = normalise_query(request.GET)
        return {"filterset": filterset, "sort": sort, "query": query}

    def title(self, obj):
        return describe_search(obj["query"])

    def subtitle(self, obj):
        return "Practice points from the finder, in the finder's order."

    def link(self, obj):
        return finder_url(obj["query"])

    def feed_url(self, obj):
        return reverse("alerts:points_feed") + (f"?{obj['query']}" if obj["query"] else "")

    def items(self, obj):
        points = selectors.practice_point_results(obj["filterset"], sort=obj["sort"])
        points = list(points[:FEED_ITEMS])
        latest = latest_major_notes(points)
        for point in points:
            point.change_note = latest.get(point.pk)
        return points

    def item_title(self, item):
        return item.heading

    def item_description(self, item):
        # Atom's summary is HTML to a reader: the text is escaped so it shows as text.
        text = escape(item.text)
        if item.change_note is not None:
            date = item.change_note.created_at
            text = f"{text}<p>Updated {date.day} {date:%B %Y}: {escape(item.change_note.note)}</p>"
        return text

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.change_note.created_at if item.change_note is not None else item.updated_at

    def item_author_name(self, item):
        return item.review.partnership if item.review_id and item.review.partnership else None


def latest_major_notes(points) -> dict[int, ChangeNote]:
    if not points:
        return {}
    notes = ChangeNote.objects.major().filter(
        content_type=ContentType.objects.get_for_model(PracticePoint),
        object_id__in=[p.pk for p in points],
    )
    latest: dict[int, ChangeNote] = {}
    for note in notes.order_by("created_at", "id"):
        latest[note.object_id] = note
    return latest


class WhatsNewFeed(Feed):
    feed_type = _Atom
    title = "What's new"
    subtitle = "The latest major changes: new learning and changed guidance."

    def link(self):
        return reverse("alerts:whats_new")

    def feed_url(self):
        return reverse("alerts:whats_new_feed")

    def items(self):
        return whats_new()

    def item_title(self, change):
        return str(change.item)

    def item_description(self, change):
        return escape(change.note.note)

    def item_link(self, change):
        return change.item.get_absolute_url()

    def item_guid(self, change):
        return f"change-{change.note.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.note.created_at

    def item_updateddate(self, change):
        return change.note.created_at


def conditional(response: HttpResponse, request) -> HttpResponse:
    """A strong ETag of the body; 304 when the client has it already."""
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    if not request.user.is_authenticated:  # signed in: the site's no-store applies
        patch_cache_control(response, public=True, max_age=300)
    conditional_response = get_conditional_response(request, etag=etag, response=response)
    return conditional_response or response


def practice_point_feed(request):
    filterset = selectors.practice_point_filterset(request.GET)
    if filterset.is_bound and not filterset.is_valid():
        names = ", ".join(sorted(filterset.errors))
        return HttpResponseBadRequest(
            f"The feed's filters have values the finder does not know: {names}.",
            content_type="text/plain; charset=utf-8",
        )
    return conditional(PracticePointFeed()(request), request)


def whats_new_feed(request):
    return conditional(WhatsNewFeed()(request), request)
