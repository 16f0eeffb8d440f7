"""A theme page lists its first 10 resources and links to the resources page filtered by
the theme, which finds exactly the resources the page counts (QA: the Resources list of
Information exchange ran to ~11,000 px on a phone). Expected answers are worked out here
from the rows the test makes."""

import datetime
import re

import pytest
from django.urls import reverse

from content.models import Status
from tests.factories import (
    PracticePointFactory,
    ResourceFactory,
    ReviewFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

ITEM = re.compile(r'<li class="app-resource" id="resource-(\d+)">')


@pytest.fixture
def theme_with_resources():
    theme = ThemeFactory(name="Lots of resources", slug="lots-of-resources")
    other = ThemeFactory()
    public = []
    # 22 tagged with the theme, dated one month apart (newest last made).
    for n in range(22):
        resource = ResourceFactory(
            published_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=31 * n)
        )
        resource.themes.set([theme])
        public.append(resource)
    # 3 reached only through a published point on the theme.
    point = PracticePointFactory(themes=[theme])
    for _ in range(3):
        resource = ResourceFactory()
        resource.themes.set([other])
        point.resources.add(resource)
        public.append(resource)
    # Never counted: 3 drafts tagged with it, one on a draft point, one on a draft review's
    # point, one on another theme only.
    for _ in range(3):
        ResourceFactory(status=Status.DRAFT).themes.set([theme])
    draft_point = PracticePointFactory(themes=[theme], status=Status.DRAFT)
    draft_point.resources.add(ResourceFactory())
    hidden_review_point = PracticePointFactory(
        themes=[theme], review=ReviewFactory(status=Status.DRAFT)
    )
    hidden_review_point.resources.add(ResourceFactory())
    ResourceFactory().themes.set([other])
    return theme, public


def test_the_theme_page_shows_ten_and_counts_them_all(client, theme_with_resources):
    theme, public = theme_with_resources
    assert len(public) == 25
    html = client.get(theme.get_absolute_url()).content.decode()
    section = html.split('id="resources"', 1)[1]
    titles = re.findall(
        r'<li[^>]*><a class="govuk-link" href="https://example.org/resource/\d+"', section
    )
    assert len(titles) == 10
    # The newest tagged ones first.
    newest = sorted(public[:22], key=lambda r: r.published_on, reverse=True)[:10]
    shown_urls = re.findall(r'href="(https://example.org/resource/\d+)"', section)
    assert shown_urls == [r.url for r in newest]
    assert "See all 25 resources on this theme" in section
    assert f'href="{reverse("resources:list")}?theme=lots-of-resources"' in section


def test_the_link_finds_exactly_those_resources(client, theme_with_resources):
    theme, public = theme_with_resources
    response = client.get(reverse("resources:list"), {"theme": theme.slug, "page_size": 100})
    assert response.status_code == 200
    found = {int(pk) for pk in ITEM.findall(response.content.decode())}
    assert found == {r.pk for r in public}
    assert response.context["result_count"] == 25


def test_the_api_keeps_its_contract(client, theme_with_resources):
    """The API's theme filter still means "tagged with it" (each result lists the theme)."""
    theme, public = theme_with_resources
    response = client.get("/api/resources/", {"theme": theme.slug, "page_size": 100})
    assert response.status_code == 200
    body = response.json()
    assert {row["id"] for row in body["results"]} == {r.pk for r in public[:22]}
