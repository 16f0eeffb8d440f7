"""The resources page (/resources/): only public resources, its filters (type, theme,
where from, search) and pages, how each resource's link and area are labelled. Every
expected answer is worked out here from the resources the test makes, not read back
from the code under test."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from content.models import Status
from resources.models import LinkKind, Resource, ResourceType
from tests.factories import ResourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db

LIST = reverse("resources:list")
ITEM = re.compile(r'<li class="app-resource" id="resource-(\d+)">(.*?)\n</li>', re.S)


def shown(response) -> dict[int, str]:
    """The resources on the page: {pk: the HTML of its list item}, in page order."""
    assert response.status_code == 200
    return {int(pk): body for pk, body in ITEM.findall(response.content.decode())}


@pytest.fixture
def only_ours(db):
    """No resources but the ones the test makes (the migrations load the seed's)."""
    Resource.objects.all().delete()


@pytest.fixture
def library(settings, only_ours):
    """Resources of several types, areas, themes and statuses."""
    settings.PARTNERSHIP_AREA = "Hampshire"
    neglect = ThemeFactory(name="Neglect of resources", slug="res-neglect")
    sleep = ThemeFactory(name="Safer sleeping places", slug="res-sleep")
    draft_theme = ThemeFactory(name="Unfinished theme", slug="res-unfinished", status=Status.DRAFT)
    rows = [
        # (title, type, area, status, themes, link kind)
        ("Hampshire neglect procedure", ResourceType.PROCEDURE, "Hampshire", Status.PUBLISHED, [neglect], LinkKind.DOCUMENT),
        ("Leeds neglect procedure", ResourceType.PROCEDURE, "Leeds", Status.PUBLISHED, [neglect], LinkKind.PUBLISHER_WEBSITE),
        ("National sleep briefing", ResourceType.SEVEN_MINUTE_BRIEFING, "National", Status.PUBLISHED, [sleep], LinkKind.DOCUMENT),
        ("Leeds sleep briefing", ResourceType.SEVEN_MINUTE_BRIEFING, "Leeds", Status.PUBLISHED, [sleep, neglect], LinkKind.DOCUMENT),
        ("Training with no area", ResourceType.TRAINING_COURSE, "", Status.PUBLISHED, [draft_theme], LinkKind.PUBLISHER_WEBSITE),
        ("Draft neglect procedure", ResourceType.PROCEDURE, "Hampshire", Status.DRAFT, [neglect], LinkKind.DOCUMENT),
        ("Neglect procedure in review", ResourceType.PROCEDURE, "Hampshire", Status.IN_REVIEW, [neglect], LinkKind.DOCUMENT),
        ("Archived sleep briefing", ResourceType.SEVEN_MINUTE_BRIEFING, "National", Status.ARCHIVED, [sleep], LinkKind.DOCUMENT),
    ]  # fmt: skip
    made = []
    for title, kind, area, status, themes, link_kind in rows:
        resource = ResourceFactory(
            title=title, resource_type=kind, area=area, status=status, link_kind=link_kind
        )
        resource.themes.set(themes)
        made.append(
            {
                "pk": resource.pk,
                "title": title,
                "type": kind,
                "area": area,
                "public": status == Status.PUBLISHED,
                "themes": {theme.slug for theme in themes},
                "website": link_kind == LinkKind.PUBLISHER_WEBSITE,
            }
        )
    return made


def public(library, **where) -> list[int]:
    """The public resources for which every condition holds, A to Z (the page's order)."""
    rows = [row for row in library if row["public"] and all(f(row) for f in where.values())]
    return [row["pk"] for row in sorted(rows, key=lambda row: (row["title"], row["pk"]))]


def test_the_list_shows_every_public_resource_a_to_z_and_no_other(client, library):
    assert list(shown(client.get(LIST))) == public(library)
    response = client.get(LIST)
    for row in library:
        assert (row["title"] in response.content.decode()) == row["public"], row["title"]
    assert response.context["result_count"] == len(public(library)) == 5


def test_the_type_filter_keeps_the_chosen_types(client, library):
    for chosen in (
        [ResourceType.PROCEDURE],
        [ResourceType.SEVEN_MINUTE_BRIEFING, ResourceType.TRAINING_COURSE],
    ):
        expected = public(library, type=lambda row, chosen=chosen: row["type"] in chosen)
        assert list(shown(client.get(LIST, {"resource_type": chosen}))) == expected


def test_the_theme_filter_keeps_resources_with_any_chosen_theme(client, library):
    for chosen in (["res-neglect"], ["res-sleep"], ["res-neglect", "res-sleep"]):
        expected = public(library, theme=lambda row, chosen=chosen: row["themes"] & set(chosen))
        assert list(shown(client.get(LIST, {"theme": chosen}))) == expected


def test_where_from_follows_the_partnerships_own_area(client, library, settings):
    kinds = {
        "own": lambda area: area == settings.PARTNERSHIP_AREA,
        "national": lambda area: area == "National",
        # Not national and not ours: another area's, or one with no area recorded.
        "other": lambda area: area not in ("National", settings.PARTNERSHIP_AREA),
    }
    for partnership in ("Hampshire", "Leeds"):
        settings.PARTNERSHIP_AREA = partnership
        for value, test in kinds.items():
            expected = public(library, area=lambda row, test=test: test(row["area"]))
            assert list(shown(client.get(LIST, {"area": value}))) == expected, (
                partnership,
                value,
            )
    assert len(public(library, area=lambda row: row["area"] == "Leeds")) == 2


def test_filters_combine(client, library):
    expected = public(
        library,
        type=lambda row: row["type"] == ResourceType.PROCEDURE,
        theme=lambda row: "res-neglect" in row["themes"],
        area=lambda row: row["area"] == "Leeds",
    )
    response = client.get(
        LIST, {"resource_type": "procedure", "theme": "res-neglect", "area": "other"}
    )
    assert list(shown(response)) == expected
    assert len(expected) == 1


def test_the_search_finds_public_resources_by_title_only(client, library):
    found = shown(client.get(LIST, {"q": "neglect procedure"}))
    expected = {
        row["pk"]
        for row in library
        if row["public"] and {"neglect", "procedure"} <= set(row["title"].lower().split())
    }
    assert set(found) == expected
    assert len(expected) == 2  # the draft and the one in review are never found


def test_an_unrecognised_filter_is_reported_and_the_others_still_apply(client, library):
    response = client.get(LIST, {"area": "atlantis", "resource_type": "procedure"})
    html = response.content.decode()
    assert 'class="govuk-notification-banner"' in html
    assert "we did not recognise that value, so it was left out." in html
    expected = public(library, type=lambda row: row["type"] == ResourceType.PROCEDURE)
    assert list(shown(response)) == expected


def test_a_link_to_the_publishers_website_says_so(client, library):
    items = shown(client.get(LIST))
    for row in library:
        if row["public"]:
            says_website = "The link goes to the publisher's website" in items[row["pk"]]
            assert says_website == row["website"], row["title"]


def test_each_resource_is_labelled_with_where_it_comes_from(client, library):
    items = shown(client.get(LIST))
    own, national, other, nowhere = (
        next(row for row in library if row["public"] and test(row))
        for test in (
            lambda row: row["area"] == "Hampshire",
            lambda row: row["area"] == "National",
            lambda row: row["area"] == "Leeds" and row["type"] == ResourceType.PROCEDURE,
            lambda row: row["area"] == "",
        )
    )
    assert re.search(r'govuk-tag--turquoise app-area-tag">Hampshire<', items[own["pk"]])
    assert re.search(r'govuk-tag--blue app-area-tag">National<', items[national["pk"]])
    assert re.search(r'govuk-tag--grey app-area-tag">Another area<', items[other["pk"]])
    assert re.search(r'govuk-tag--grey app-area-tag">Area not recorded<', items[nowhere["pk"]])
    warning = "Another area's procedure: check your own."
    for row in library:
        if row["public"]:
            expected = row["area"] == "Leeds" and row["type"] == ResourceType.PROCEDURE
            assert (warning in items[row["pk"]]) == expected, row["title"]
    assert "This one is Leeds's." in items[other["pk"]]


def test_a_resource_lists_only_its_public_themes(client, library):
    items = shown(client.get(LIST))
    nowhere = next(row for row in library if row["public"] and row["area"] == "")
    assert "Unfinished theme" not in items[nowhere["pk"]]
    both = next(row for row in library if row["title"] == "Leeds sleep briefing")
    assert "Safer sleeping places" in items[both["pk"]]
    assert "Neglect of resources" in items[both["pk"]]


def test_pages_of_twenty_keep_the_filters(client, settings, only_ours):
    settings.PARTNERSHIP_AREA = "Hampshire"
    made = [
        ResourceFactory(title=f"Briefing {n:02d}", resource_type=ResourceType.ONE_MINUTE_GUIDE)
        for n in range(23)
    ]
    ResourceFactory(title="A procedure, not a guide", resource_type=ResourceType.PROCEDURE)
    params = {"resource_type": "one_minute_guide"}
    first = client.get(LIST, params)
    second = client.get(LIST, {**params, "page": 2})
    by_title = [r.pk for r in sorted(made, key=lambda r: r.title)]
    assert list(shown(first)) == by_title[:20]
    assert list(shown(second)) == by_title[20:]
    assert 'href="?resource_type=one_minute_guide&amp;page=2"' in first.content.decode()
    assert list(shown(client.get(LIST, {**params, "page_size": 50}))) == by_title
    assert client.get(LIST, {**params, "page": 3}).status_code == 404
    assert client.get(LIST, {**params, "page": "last"}).status_code == 404
