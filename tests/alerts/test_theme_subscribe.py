"""On a theme page the email and feed links name the theme, and the subscribe page they
lead to goes back to the theme (not to the finder)."""

from __future__ import annotations

import html as htmllib

import pytest

from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def back_link(page: str) -> tuple[str, str]:
    start = page.index('class="govuk-back-link')
    tag_start = page.rindex("<a ", 0, start)
    href = page[tag_start:].split('href="', 1)[1].split('"', 1)[0]
    text = page[start:].split(">", 1)[1].split("</a>", 1)[0]
    return htmllib.unescape(href), text


def test_theme_page_links_name_the_theme(client):
    theme = ThemeFactory(name="Working with fathers", slug="working-with-fathers")
    page = client.get(theme.get_absolute_url()).content.decode()
    assert "Get emails about this search" not in page
    assert "feed of this search" not in page
    assert (
        '<a class="govuk-link" href="/alerts/subscribe/?theme=working-with-fathers&amp;from=theme">'
        "Get emails about Working with fathers</a>"
    ) in page
    assert "Subscribe to a feed about Working with fathers" in page


def test_subscribe_from_a_theme_goes_back_to_the_theme(client):
    theme = ThemeFactory(name="Working with fathers", slug="working-with-fathers")
    page = client.get("/alerts/subscribe/", {"theme": theme.slug, "from": "theme"})
    text = page.content.decode()
    assert back_link(text) == (theme.get_absolute_url(), "Back to Working with fathers")
    assert '<h1 class="govuk-heading-l">Get emails about Working with fathers</h1>' in text
    # A refused form keeps the way back.
    refused = client.post(
        "/alerts/subscribe/",
        {"query": f"theme={theme.slug}", "from": "theme", "email": "nope", "frequency": "weekly"},
    )
    assert refused.status_code == 400
    assert back_link(refused.content.decode())[0] == theme.get_absolute_url()


@pytest.mark.parametrize(
    "params",
    [
        {"theme": "working-with-fathers"},  # from the finder
        {"theme": "working-with-fathers", "agency": "police", "from": "theme"},  # not one theme
        {"theme": "draft-theme", "from": "theme"},  # not public
    ],
)
def test_subscribe_otherwise_goes_back_to_the_search(client, params):
    ThemeFactory(name="Working with fathers", slug="working-with-fathers")
    ThemeFactory(name="Draft theme", slug="draft-theme", status="draft")
    page = client.get("/alerts/subscribe/", params).content.decode()
    href, text = back_link(page)
    assert text == "Back to the search" and href.startswith("/practice-points/")
    assert "Draft theme" not in page
