"""A resource cited under a practice point, and found by the site search, is labelled as on
the theme and resources pages: where it comes from in its own capitals (another area's
procedure told to check your own), and a link that only reaches the publisher's website
said to be one. The expected text is built here from the area and words a reader sees,
not from the code that labels it."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from resources.models import LinkKind, ResourceType
from tests.factories import PracticePointFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited(settings):
    settings.PARTNERSHIP_AREA = "Hampshire"
    procedure = ResourceFactory(
        title="Escalation procedure for Leeds",
        resource_type=ResourceType.PROCEDURE,
        area="Leeds",
        publisher="Leeds City Council",
        link_kind=LinkKind.DOCUMENT,
    )
    guide = ResourceFactory(
        title="One minute guide to conferences",
        resource_type=ResourceType.GUIDANCE,
        area="Leeds",
        publisher="Leeds City Council",
        link_kind=LinkKind.PUBLISHER_WEBSITE,
    )
    point = PracticePointFactory()
    point.resources.add(procedure, guide)
    return point


def line_after(page: str, title: str) -> str:
    """The text of the line under the resource's link."""
    start = page.index(title)
    tail = page[start:]
    return html.unescape(tail[tail.index("<br>") + 4 : tail.index("</li>")])


def test_a_points_resources_say_where_they_come_from_in_the_readers_words(client, cited):
    page = client.get(reverse("practice_points:detail", args=[cited.pk])).content.decode()
    procedure = line_after(page, "Escalation procedure for Leeds")
    assert "Another area's procedure: check your own (Leeds)" in procedure
    assert "Leeds City Council" in procedure
    assert "publisher's website" not in procedure
    guide = line_after(page, "One minute guide to conferences")
    assert "From another area: Leeds" in guide
    assert "publisher's website, search for the title there" in guide
    # Never the lower-cased label ("from another area: leeds") a reader cannot trust.
    assert "area: leeds" not in page


def test_the_site_search_labels_a_resource_the_same_way(client, cited):
    page = html.unescape(client.get(reverse("search:search"), {"q": "escalation"}).content.decode())
    assert "Escalation procedure for Leeds" in page
    assert "Another area's procedure: check your own (Leeds) · Leeds City Council" in page
    assert "area's procedure: check your own (leeds)" not in page
