"""Shared expectations and helpers of the API tests."""

import re

POINT_FIELDS = {
    "id",
    "headline",
    "text",
    "guidance",
    "themes",
    "agencies",
    "all_agencies",
    "review",
    "resources",
    "url",
    "recurrence",  # alerts: similar learning in other reviews
    "updated",
    "change_note",
}
THEME_FIELDS = {"slug", "name", "kind", "summary", "days", "practice_point_count", "recurrence"}
REVIEW_FIELDS = {
    "slug",
    "title",
    "review_type",
    "partnership",
    "published_on",
    "summary",
    "source_url",
    "learning_point_count",
}
RESOURCE_FIELDS = {
    "id",
    "title",
    "url",
    "resource_type",
    "scope",
    "publisher",
    "published_on",
    "themes",
}
AGENCY_FIELDS = {"slug", "name"}

FINDER_POINT_ID = re.compile(r'id="point-(\d+)"')


def all_results(api, url, params=None):
    """Every item of a paginated list, walking the pages."""
    params = {**(params or {}), "page_size": 100}
    items, page = [], 1
    while True:
        body = api(url, {**params, "page": page})
        items += body["results"]
        if not body["next"]:
            assert len(items) == body["count"]
            return items
        page += 1
