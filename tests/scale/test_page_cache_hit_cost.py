"""A page served from the page cache costs no database work: a cached anonymous GET of
the finder (plain and filtered), a theme page, a point page, the site search and the API
runs no query at all (the middleware answers before the session, authentication and the
view). And the public pages set no cookie on an anonymous visitor, so a browser (or a
load test's client, which keeps cookies) is never pushed off the cache by its own
visit."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from tests.factories import PracticePointFactory, ThemeFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def page_cache():
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True):
        yield
    cache.clear()


@pytest.fixture
def paths():
    theme = ThemeFactory(slug="hit-cost")
    point = PracticePointFactory(themes=[theme], text="Supervision that asks about neglect.")
    return [
        "/practice-points/",
        "/practice-points/?q=neglect&theme=hit-cost&day=thursday",
        "/themes/hit-cost/",
        f"/practice-points/{point.pk}/",
        "/search/?q=supervision",
        "/api/practice-points/?theme=hit-cost",
    ]


def test_a_cached_anonymous_get_runs_no_query(client, paths, django_assert_num_queries):
    for path in paths:
        first = client.get(path)
        assert first.status_code == 200 and first["X-Page-Cache"] == "miss", path
        with django_assert_num_queries(0):
            again = client.get(path)
        assert again.status_code == 200 and again["X-Page-Cache"] == "hit", path
        assert len(again.content) == len(first.content), path


def test_public_pages_set_no_cookie_on_an_anonymous_visitor(client, paths):
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.cookies, (path, list(response.cookies))
        assert settings.SESSION_COOKIE_NAME not in client.cookies, path
