import re

import pytest
from django.urls import reverse

from content.models import Status
from practice_points.models import PracticePoint
from tests.factories import AgencyFactory, PracticePointFactory, ReviewFactory, ThemeFactory

pytestmark = pytest.mark.django_db

FINDER = "/practice-points/"
POINT_IDS = re.compile(r'class="app-result app-point" id="point-(\d+)"')


def ids_on(response) -> list[int]:
    return [int(value) for value in POINT_IDS.findall(response.content.decode())]


def shown_count(response) -> int:
    match = re.search(r'<span id="result-count">(\d+)</span>', response.content.decode())
    return int(match.group(1))


def test_filters_combine_and_narrow(seed, client):
    everything = shown_count(client.get(FINDER))
    thursday = shown_count(client.get(FINDER, {"day": "thursday"}))
    thursday_police = client.get(FINDER, {"day": "thursday", "agency": "police"})
    thursday_police_llr = client.get(
        FINDER, {"day": "thursday", "agency": "police", "review": "llr-learning-from-reviews"}
    )
    assert (
        everything
        > thursday
        >= shown_count(thursday_police)
        >= shown_count(thursday_police_llr)
        > 0
    )
    expected = (
        PracticePoint.objects.published()
        .for_day("thursday")
        .for_agency("police")
        .filter(review__slug="llr-learning-from-reviews")
    )
    assert shown_count(thursday_police_llr) == expected.count()


def test_the_count_shown_equals_the_results(seed, client):
    response = client.get(FINDER, {"theme": "neglect", "page_size": 100})
    ids = ids_on(response)
    assert (
        shown_count(response)
        == len(ids)
        == PracticePoint.objects.published().for_theme("neglect").count()
    )
    assert len(ids) == len(set(ids))


def test_each_choice_shows_how_many_points_it_would_give(seed, client):
    response = client.get(FINDER, {"day": "thursday"})
    html = response.content.decode()
    for slug in ("police", "education"):
        match = re.search(rf'for="agency-{slug}">[^<]*<span class="app-count">\((\d+)\)', html)
        promised = int(match.group(1))
        chosen = client.get(FINDER, {"day": "thursday", "agency": slug}).content.decode()
        meant = re.search(r'app-results-section">(\d+) points? meant for', chosen)
        actual = int(meant.group(1)) if meant else 0
        assert promised == actual, slug
    match = re.search(r'for="theme-supervision">[^<]*<span class="app-count">\((\d+)\)', html)
    assert int(match.group(1)) == shown_count(
        client.get(FINDER, {"day": "thursday", "theme": "supervision"})
    )


def test_several_themes_give_points_with_any_of_them(seed, client):
    a = shown_count(client.get(FINDER, {"theme": "supervision"}))
    b = shown_count(client.get(FINDER, {"theme": "neglect"}))
    both = shown_count(client.get(FINDER, {"theme": ["supervision", "neglect"]}))
    assert max(a, b) <= both <= a + b


def test_results_are_paginated_and_the_url_holds_the_state(seed, client):
    first = client.get(FINDER, {"review": "llr-learning-from-reviews"})
    assert len(ids_on(first)) == 20
    html = first.content.decode()
    assert "?review=llr-learning-from-reviews&amp;page=2" in html
    second = client.get(FINDER, {"review": "llr-learning-from-reviews", "page": 2})
    assert set(ids_on(first)).isdisjoint(ids_on(second))


def test_removing_one_filter_is_one_link(seed, client):
    response = client.get(FINDER, {"day": "thursday", "agency": "police"})
    html = response.content.decode()
    assert 'href="?day=thursday"' in html  # removes the agency, keeps the day
    assert 'href="?agency=police"' in html  # removes the day, keeps the agency
    assert "Clear all filters" in html


def test_unknown_filter_values_get_a_clear_message_not_an_error(seed, client):
    response = client.get(FINDER, {"theme": "no-such-theme", "day": "sunday", "agency": "police"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters were not recognised" in html
    assert "no-such-theme" in html
    # the filters that were understood still apply
    assert shown_count(response) == shown_count(client.get(FINDER, {"agency": "police"}))


@pytest.mark.parametrize("page", ["999", "abc", "-1", "0"])
def test_a_page_that_does_not_exist_is_a_clear_404(seed, client, page):
    response = client.get(FINDER, {"page": page})
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_what_is_typed_is_never_reflected_unescaped(seed, client):
    payload = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
    response = client.get(FINDER, {"q": payload, "theme": payload, "review": payload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html


def test_drafts_never_appear_in_the_finder_or_its_counts(client):
    theme = ThemeFactory(slug="draft-test-theme")
    draft_review = ReviewFactory(status=Status.DRAFT, slug="draft-review")
    published = PracticePointFactory(themes=[theme], all_agencies=True)
    hidden = [
        PracticePointFactory(themes=[theme], status=Status.DRAFT),
        PracticePointFactory(themes=[theme], status=Status.ARCHIVED),
        PracticePointFactory(themes=[theme], review=draft_review),
    ]
    response = client.get(FINDER, {"theme": "draft-test-theme"})
    assert ids_on(response) == [published.pk]
    assert shown_count(response) == 1
    assert "draft-review" not in response.content.decode()
    for point in hidden:
        assert client.get(reverse("practice_points:detail", args=[point.pk])).status_code == 404


@pytest.mark.parametrize("results", [10, 100])
def test_a_finder_page_issues_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, results
):
    theme = ThemeFactory(slug="query-count-theme")
    agencies = [AgencyFactory() for _ in range(3)]
    review = ReviewFactory()
    for _ in range(results):
        PracticePointFactory(themes=[theme, ThemeFactory()], agencies=agencies, review=review)
    with django_assert_max_num_queries(20):
        response = client.get(FINDER, {"theme": "query-count-theme", "page_size": 100})
    assert len(ids_on(response)) == results
