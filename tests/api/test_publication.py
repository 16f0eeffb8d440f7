"""Only published content is public: drafts (and archived content) never appear in
the API's lists, details, counts, nested fields or search."""

import pytest

from content.models import Status
from tests.factories import (
    AgencyFactory,
    PracticePointFactory,
    ResourceFactory,
    ReviewFactory,
    ThemeFactory,
)

from .support import all_results

pytestmark = pytest.mark.django_db

WORD = "Zanzibarite"  # in every test item's text, found by ?q=


@pytest.fixture
def content():
    theme = ThemeFactory(slug="api-live-theme", name="Live theme")
    draft_theme = ThemeFactory(
        slug="api-draft-theme", name="Quokkaism (draft theme)", status=Status.DRAFT
    )
    archived_theme = ThemeFactory(slug="api-archived-theme", status=Status.ARCHIVED)
    agency = AgencyFactory(slug="api-agency")
    review = ReviewFactory(slug="api-live-review", title=f"{WORD} live review")
    draft_review = ReviewFactory(
        slug="api-draft-review", title=f"{WORD} draft review", status=Status.DRAFT
    )
    resource = ResourceFactory(title="Live resource")
    draft_resource = ResourceFactory(title="Draft resource", status=Status.DRAFT)
    archived_resource = ResourceFactory(title="Archived resource", status=Status.ARCHIVED)
    for item in (resource, draft_resource, archived_resource):
        item.themes.set([theme, draft_theme])

    live = PracticePointFactory(
        text=f"{WORD}: the live point.",
        review=review,
        themes=[theme, draft_theme, archived_theme],
        agencies=[agency],
    )
    live.resources.set([resource, draft_resource, archived_resource])
    draft = PracticePointFactory(
        text=f"{WORD}: a draft point.", review=review, themes=[theme], status=Status.DRAFT
    )
    archived = PracticePointFactory(
        text=f"{WORD}: an archived point.", review=review, themes=[theme], status=Status.ARCHIVED
    )
    of_draft_review = PracticePointFactory(
        text=f"{WORD}: a published point of a draft review.", review=draft_review, themes=[theme]
    )
    hidden = [draft, archived, of_draft_review]
    return {
        "theme": theme,
        "draft_theme": draft_theme,
        "archived_theme": archived_theme,
        "review": review,
        "draft_review": draft_review,
        "resource": resource,
        "draft_resources": [draft_resource, archived_resource],
        "live": live,
        "hidden": hidden,
    }


def test_hidden_points_are_not_listed_or_found(seed, api, content):
    listed = {p["id"] for p in all_results(api, "/api/practice-points/")}
    assert content["live"].pk in listed
    assert listed.isdisjoint(p.pk for p in content["hidden"])

    found = [p["id"] for p in all_results(api, "/api/practice-points/", {"q": WORD})]
    assert found == [content["live"].pk]
    by_theme = [
        p["id"] for p in all_results(api, "/api/practice-points/", {"theme": "api-live-theme"})
    ]
    assert by_theme == [content["live"].pk]


def test_hidden_points_have_no_detail(seed, api, content):
    api(f"/api/practice-points/{content['live'].pk}/")
    for point in content["hidden"]:
        body = api(f"/api/practice-points/{point.pk}/", status=404)
        assert "detail" in body


def test_nested_fields_hold_only_published_themes_and_resources(seed, api, content):
    body = api(f"/api/practice-points/{content['live'].pk}/")
    assert body["themes"] == ["api-live-theme"]
    assert body["resources"] == [content["resource"].pk]
    assert body["review"] == "api-live-review"
    listed = all_results(api, "/api/practice-points/", {"q": WORD})
    assert listed == [body]

    resource = api(f"/api/resources/{content['resource'].pk}/")
    assert resource["themes"] == ["api-live-theme"]


def test_draft_themes_reviews_and_resources_have_no_detail_and_are_not_listed(seed, api, content):
    for slug in ("api-draft-theme", "api-archived-theme"):
        api(f"/api/themes/{slug}/", status=404)
    api("/api/themes/api-live-theme/")
    themes = {t["slug"] for t in all_results(api, "/api/themes/")}
    assert "api-live-theme" in themes
    assert themes.isdisjoint({"api-draft-theme", "api-archived-theme"})

    api("/api/reviews/api-draft-review/", status=404)
    reviews = {r["slug"] for r in all_results(api, "/api/reviews/")}
    assert "api-live-review" in reviews and "api-draft-review" not in reviews

    resources = {r["id"] for r in all_results(api, "/api/resources/")}
    assert content["resource"].pk in resources
    for hidden in content["draft_resources"]:
        api(f"/api/resources/{hidden.pk}/", status=404)
        assert hidden.pk not in resources
    assert [r["id"] for r in all_results(api, "/api/resources/", {"theme": "api-live-theme"})] == [
        content["resource"].pk
    ]
    assert "Draft resource" not in {
        r["title"] for r in all_results(api, "/api/resources/", {"q": "resource"})
    }


def test_counts_leave_out_hidden_points(seed, api, content):
    assert api("/api/themes/api-live-theme/")["practice_point_count"] == 1
    assert api("/api/reviews/api-live-review/")["learning_point_count"] == 1


def test_hidden_choices_are_not_valid_filters(seed, api, content):
    for params in (
        {"theme": "api-draft-theme"},
        {"theme": "api-archived-theme"},
        {"review": "api-draft-review"},
    ):
        body = api("/api/practice-points/", params, status=400)
        assert list(body) == list(params), params
    body = api("/api/resources/", {"theme": "api-draft-theme"}, status=400)
    assert list(body) == ["theme"]


def test_a_draft_themes_name_does_not_find_points(seed, api, content):
    # The live point is tagged with the draft theme, whose name is in no published text.
    assert all_results(api, "/api/practice-points/", {"q": "Quokkaism"}) == []
