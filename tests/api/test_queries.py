"""A list costs the same number of queries whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    AgencyFactory,
    PracticePointFactory,
    ResourceFactory,
    ReviewFactory,
    ThemeFactory,
)
from themes.models import Agency, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_points(seed):
    """110 more points (and resources), all on supervision (a Thursday theme), neglect,
    for the police, with other themes, agencies and resources."""
    seeded = list(Theme.objects.filter(slug__in=["supervision", "neglect"]))
    themes = seeded + ThemeFactory.create_batch(2)
    agencies = [Agency.objects.get(slug="police"), *AgencyFactory.create_batch(2)]
    reviews = ReviewFactory.create_batch(4)
    resources = ResourceFactory.create_batch(3)
    for n in range(110):
        point = PracticePointFactory(
            review=reviews[n % 4] if n % 5 else None,
            themes=themes[: 2 + n % 3],
            agencies=agencies[: 1 + n % 3],
        )
        point.resources.set(resources[: n % 4])
    for n in range(110):
        ResourceFactory().themes.set(themes[: 2 + n % 3])


def count_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


# count + page + one query per nested list; + one per filter whose choices are checked
# (theme, agency, review), one for the current practice week (day, theme days) and the
# search's own few (glossary, vocabulary, a probe) for q.
@pytest.mark.parametrize(
    ("url", "params", "most"),
    [
        ("/api/practice-points/", {}, 5),
        ("/api/practice-points/", {"theme": "neglect", "agency": "police"}, 7),
        ("/api/practice-points/", {"q": "test learning", "day": "thursday"}, 10),
        ("/api/themes/", {}, 5),  # + one for every theme's recurrence (alerts)
        ("/api/reviews/", {}, 2),
        ("/api/resources/", {}, 3),
        ("/api/resources/", {"scope": "local", "theme": "neglect"}, 4),
        ("/api/agencies/", {}, 2),
    ],
)
def test_a_list_costs_the_same_queries_at_any_page_size(
    seed, many_points, client, django_assert_max_num_queries, url, params, most
):
    with django_assert_max_num_queries(most):
        response = client.get(url, {**params, "page_size": 10})
    assert response.status_code == 200
    with django_assert_max_num_queries(most):
        response = client.get(url, {**params, "page_size": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] > 10
    assert len(body["results"]) == min(100, body["count"])
    small = count_queries(client, url, {**params, "page_size": 10})
    assert count_queries(client, url, {**params, "page_size": 100}) == small


def test_the_big_page_is_full(seed, many_points, client):
    body = client.get("/api/practice-points/", {"page_size": 100}).json()
    assert len(body["results"]) == 100
    assert sum(bool(p["themes"]) for p in body["results"]) == 100
