"""The API's contract, on the seed content: every endpoint, every field."""

import datetime

import pytest
from django.db.models import F
from rest_framework.fields import DateTimeField

from alerts.models import SimilarPoint
from practice_points.models import PracticePoint, Review
from resources.models import Resource
from themes.models import Agency, Theme

from .support import (
    AGENCY_FIELDS,
    POINT_FIELDS,
    RESOURCE_FIELDS,
    REVIEW_FIELDS,
    THEME_FIELDS,
    all_results,
)

pytestmark = pytest.mark.django_db


def public_points():
    """Published points whose review is published or absent: what the public sees."""
    return PracticePoint.objects.public()


def test_the_api_root_links_every_list(seed, api):
    body = api("/api/")
    assert body == {
        name: f"http://testserver/api/{name}/"
        for name in ("practice-points", "themes", "reviews", "resources", "agencies")
    }


def test_lists_are_paginated_with_count_next_previous_and_results(seed, api):
    body = api("/api/resources/", {"page_size": 10})
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == Resource.objects.published().count() > 10
    assert len(body["results"]) == 10
    assert body["previous"] is None
    assert body["next"] == "http://testserver/api/resources/?page=2&page_size=10"
    second = api("/api/resources/", {"page_size": 10, "page": 2})
    assert second["previous"] == "http://testserver/api/resources/?page_size=10"
    assert {r["id"] for r in body["results"]}.isdisjoint(r["id"] for r in second["results"])


def test_the_default_page_size_is_20(seed, api):
    assert len(api("/api/resources/")["results"]) == 20


def test_practice_points_have_every_field(seed, api):
    points = all_results(api, "/api/practice-points/")
    # The finder's order: the newest review first (undated reviews last), then by title.
    newest_first = public_points().order_by(
        F("review__published_on").desc(nulls_last=True), "review__title", "position", "pk"
    )
    assert [point["id"] for point in points] == list(newest_first.values_list("id", flat=True))
    assert points
    for point in points:
        assert set(point) == POINT_FIELDS
        assert point["url"] == f"http://testserver/practice-points/{point['id']}/"
    child_d = [point for point in points if point["review"] == "child-d"]
    assert child_d
    assert any(point["themes"] for point in child_d)
    assert any(point["agencies"] or point["all_agencies"] for point in child_d)


def test_a_practice_point_in_full(seed, api):
    child_d = public_points().filter(review__slug="child-d")
    point = child_d.filter(themes__isnull=False, resources__isnull=False).first() or (
        child_d.filter(themes__isnull=False).first()
    )
    body = api(f"/api/practice-points/{point.pk}/")
    assert body == {
        "id": point.pk,
        "headline": point.headline,
        "text": point.text,
        "guidance": point.guidance,
        "themes": [theme.slug for theme in point.themes.published()],
        "agencies": [agency.slug for agency in point.agencies.all()],
        "all_agencies": point.all_agencies,
        "review": "child-d",
        "resources": [resource.pk for resource in point.resources.published()],
        "url": f"http://testserver/practice-points/{point.pk}/",
        # alerts: no change published since the seed was loaded, no similar pairs found yet.
        "recurrence": SimilarPoint.objects.filter(point=point).count(),
        "updated": DateTimeField().to_representation(point.published_at),
        "change_note": None,
    }
    # The same point, as the list gives it.
    assert body in all_results(api, "/api/practice-points/", {"review": "child-d"})


def test_points_filter_by_theme_agency_day_review_and_type(seed, api):
    curiosity = all_results(api, "/api/practice-points/", {"theme": "professional-curiosity"})
    assert curiosity
    assert all("professional-curiosity" in point["themes"] for point in curiosity)

    police = all_results(api, "/api/practice-points/", {"agency": "police"})
    assert police
    assert all("police" in point["agencies"] or point["all_agencies"] for point in police)

    thursday = all_results(api, "/api/practice-points/", {"day": "thursday"})
    thursday_themes = {"resolution", "disproportionality", "supervision"}
    assert thursday
    assert all(thursday_themes & set(point["themes"]) for point in thursday)

    child_d = all_results(api, "/api/practice-points/", {"review": "child-d"})
    assert child_d
    assert {point["review"] for point in child_d} == {"child-d"}

    lcspr = all_results(api, "/api/practice-points/", {"review_type": "lcspr"})
    lcspr_reviews = set(Review.objects.filter(review_type="lcspr").values_list("slug", flat=True))
    assert lcspr
    assert {point["review"] for point in lcspr} <= lcspr_reviews
    assert "child-d" in {point["review"] for point in lcspr}


def test_several_themes_give_points_with_any_of_them(seed, api):
    def ids(**params):
        return {p["id"] for p in all_results(api, "/api/practice-points/", params)}

    supervision, resolution = ids(theme="supervision"), ids(theme="resolution")
    assert ids(theme=["supervision", "resolution"]) == supervision | resolution


def test_points_search(seed, api):
    found = all_results(api, "/api/practice-points/", {"q": "curiosity"})
    assert found
    for point in found:
        haystack = " ".join(
            [point["text"], point["guidance"], *point["themes"], point["review"] or ""]
        ).lower()
        db_point = PracticePoint.objects.get(pk=point["id"])
        haystack += " ".join(t.name for t in db_point.themes.all()).lower()
        haystack += (db_point.review.title if db_point.review else "").lower()
        haystack += " ".join(a.name for a in db_point.agencies.all()).lower()
        assert "curiosity" in haystack


def test_themes_have_every_field(seed, api):
    themes = all_results(api, "/api/themes/")
    assert [theme["slug"] for theme in themes] == list(
        Theme.objects.published().order_by("position", "name").values_list("slug", flat=True)
    )
    for theme in themes:
        assert set(theme) == THEME_FIELDS


def test_a_theme_in_full(seed, api):
    theme = Theme.objects.get(slug="professional-curiosity")
    body = api("/api/themes/professional-curiosity/")
    points = all_results(api, "/api/practice-points/", {"theme": "professional-curiosity"})
    assert body == {
        "slug": "professional-curiosity",
        "name": theme.name,
        "kind": "perennial",
        "summary": theme.summary,
        "days": ["wednesday"],
        "practice_point_count": len(points),
        "recurrence": {
            "reviews": len({point["review"] for point in points if point["review"]}),
            "local": body["recurrence"]["local"],
            "national": body["recurrence"]["national"],
            "first_year": body["recurrence"]["first_year"],
            "last_year": body["recurrence"]["last_year"],
        },
    }
    recurrence = body["recurrence"]
    assert recurrence["local"] + recurrence["national"] == recurrence["reviews"]
    assert body["practice_point_count"] > 0
    assert body in all_results(api, "/api/themes/")


def test_theme_days_are_the_current_practice_weeks(seed, api):
    themes = {theme["slug"]: theme for theme in all_results(api, "/api/themes/")}
    on_thursday = {slug for slug, theme in themes.items() if "thursday" in theme["days"]}
    assert on_thursday == {"resolution", "disproportionality", "supervision"}
    assert themes["information-exchange"]["days"] == ["tuesday"]
    assert themes["neglect"]["days"] == []
    assert not any("monday" in theme["days"] for theme in themes.values())


def test_theme_counts_equal_the_points_the_api_lists(seed, api):
    for slug in ("supervision", "neglect", "domestic-abuse"):
        count = api(f"/api/themes/{slug}/")["practice_point_count"]
        assert count == api("/api/practice-points/", {"theme": slug})["count"], slug


def test_reviews_have_every_field(seed, api):
    reviews = all_results(api, "/api/reviews/")
    assert [review["slug"] for review in reviews] == list(
        Review.objects.published().order_by("title", "id").values_list("slug", flat=True)
    )
    for review in reviews:
        assert set(review) == REVIEW_FIELDS


def test_a_review_in_full(seed, api):
    review = Review.objects.get(slug="child-d")
    body = api("/api/reviews/child-d/")
    assert body == {
        "slug": "child-d",
        "title": "Child D",
        "review_type": "lcspr",
        "partnership": review.partnership,
        "published_on": review.published_on.isoformat() if review.published_on else None,
        "summary": review.summary,
        "source_url": review.source_url or None,
        "learning_point_count": api("/api/practice-points/", {"review": "child-d"})["count"],
    }
    assert body["learning_point_count"] > 0
    assert "Leeds" in body["partnership"]


def test_resources_have_every_field(seed, api):
    resources = all_results(api, "/api/resources/")
    assert [resource["id"] for resource in resources] == list(
        Resource.objects.published().order_by("title", "id").values_list("id", flat=True)
    )
    for resource in resources:
        assert set(resource) == RESOURCE_FIELDS
        assert resource["url"].startswith(("https://", "http://"))
        if resource["published_on"]:
            datetime.date.fromisoformat(resource["published_on"])


def test_a_resource_in_full(seed, api):
    resource = Resource.objects.published().filter(themes__isnull=False).first()
    body = api(f"/api/resources/{resource.pk}/")
    assert body == {
        "id": resource.pk,
        "title": resource.title,
        "url": resource.url,
        "resource_type": resource.resource_type,
        "scope": resource.scope,
        "publisher": resource.publisher,
        "published_on": resource.published_on.isoformat() if resource.published_on else None,
        "themes": [theme.slug for theme in resource.themes.published()],
    }
    assert body["themes"]


def test_resources_filter_by_scope_type_theme_and_words(seed, api):
    national = all_results(api, "/api/resources/", {"scope": "national"})
    local = all_results(api, "/api/resources/", {"scope": "local"})
    assert national and local
    assert {r["scope"] for r in national} == {"national"}
    assert len(national) + len(local) == Resource.objects.published().count()

    kinds = all_results(
        api, "/api/resources/", {"resource_type": ["training_video", "national_report"]}
    )
    assert kinds
    assert {r["resource_type"] for r in kinds} <= {"training_video", "national_report"}

    neglect = all_results(api, "/api/resources/", {"theme": "neglect"})
    assert neglect
    assert all("neglect" in r["themes"] for r in neglect)

    word = all_results(api, "/api/resources/", {"q": "briefing"})
    assert word
    for r in word:
        resource = Resource.objects.get(pk=r["id"])
        assert "briefing" in f"{resource.title} {resource.summary} {resource.publisher}".lower()


def test_agencies(seed, api):
    agencies = all_results(api, "/api/agencies/")
    assert [a["slug"] for a in agencies] == list(Agency.objects.values_list("slug", flat=True))
    for agency in agencies:
        assert set(agency) == AGENCY_FIELDS
    assert api("/api/agencies/police/") == {"slug": "police", "name": "Police"}
