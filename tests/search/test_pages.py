"""What practitioners see: /search/ grouped by kind with counts, snippets, "did you
mean", the first use of an acronym marked up, and drafts never shown or counted."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from content.models import Status
from search.query import MatchTerms
from search.services import match_terms
from search.snippets import highlight
from tests.factories import (
    PracticePointFactory,
    ResourceFactory,
    ReviewFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def count_of(html: str, kind: str) -> int:
    match = re.search(rf'data-kind="{kind}">(\d+)<', html)
    return int(match.group(1)) if match else 0


def test_search_page_groups_results_by_kind_with_counts(client, seed):
    response = client.get("/search/", {"q": "neglect"})
    assert response.status_code == 200
    html = response.content.decode()
    results = response.context["results"]
    assert response.context["nav_section"] == "search"
    counts = results.counts
    assert set(counts) == {"practice_points", "themes", "reviews", "resources"}
    assert counts["practice_points"] > 5 and counts["themes"] >= 1 and counts["resources"] >= 1
    for kind, n in counts.items():
        assert count_of(html, kind) == n
    assert f"{results.total} results for ‘neglect’" in html
    assert "See all" in html and "/practice-points/?q=neglect" in html
    assert "<mark>" in html


def test_search_page_empty_state_and_blank_query(client):
    html = client.get("/search/", {"q": "xqzvbnm"}).content.decode()
    assert "No results for ‘xqzvbnm’" in html and "check the spelling" in html
    assert "Enter some words" in client.get("/search/", {"q": "  "}).content.decode()
    html = client.get("/search/", {"q": "the and"}).content.decode()
    assert "too common to search for" in html


def test_drafts_never_appear_in_search_or_its_counts(client):
    word = "Pelargonite"
    live = PracticePointFactory(text=f"{word} seen by the live point.")
    PracticePointFactory(text=f"{word} in a draft point.", status=Status.DRAFT)
    PracticePointFactory(text=f"{word} under a draft review.", review=ReviewFactory(status="draft"))
    ThemeFactory(name=f"{word} draft theme", status=Status.DRAFT)
    ReviewFactory(title=f"{word} draft review", status=Status.DRAFT)
    ResourceFactory(title=f"{word} draft resource", status=Status.DRAFT)
    response = client.get("/search/", {"q": word})
    html = response.content.decode()
    assert response.context["results"].counts == {
        "practice_points": 1,
        "themes": 0,
        "reviews": 0,
        "resources": 0,
    }
    assert "1 result for ‘Pelargonite’" in html
    assert "draft" not in re.sub(r"<[^>]+>", " ", html).lower().split("result for")[1]
    assert live.get_absolute_url() in html
    finder = client.get("/practice-points/", {"q": word})
    assert [p.pk for p in finder.context["points"]] == [live.pk]


def test_snippets_mark_matched_words_and_escape_everything_else():
    terms = match_terms("neglect")
    html = highlight("<b>Neglect</b> & neglected children; <script>x</script>", terms)
    assert html == (
        "&lt;b&gt;<mark>Neglect</mark>&lt;/b&gt; &amp; <mark>neglected</mark> children; "
        "&lt;script&gt;x&lt;/script&gt;"
    )
    long_text = "word " * 100 + "the child was neglected " + "word " * 100
    snippet = highlight(long_text, terms)
    assert "<mark>neglected</mark>" in snippet and snippet.startswith("…")
    assert len(snippet) < 300
    assert highlight("nothing here", MatchTerms()) == "nothing here"


def test_the_finder_cards_show_where_the_words_matched(client):
    PracticePointFactory(
        text="A point about home visits.",
        guidance="Look at the <sleeping arrangements> & ask about co-sleeping in Marlow.",
    )
    html = client.get("/practice-points/", {"q": "co-sleeping marlow"}).content.decode()
    assert 'class="govuk-body-s app-snippet"' in html
    assert "&lt;<mark>sleeping</mark> <mark>arrangements</mark>&gt; &amp;" in html
    assert "<mark>Marlow</mark>" in html


def test_did_you_mean_on_search_and_finder(client):
    PracticePointFactory(text="Hypervigilance in toddlers can be a sign of fear.")
    response = client.get("/search/", {"q": "hypervigilence"})
    assert response.context["results"].suggestion == "hypervigilance"
    assert 'href="/search/?q=hypervigilance"' in response.content.decode()
    finder = client.get("/practice-points/", {"q": "hypervigilence"})
    assert finder.context["did_you_mean"] == "hypervigilance"
    assert (
        "Did you mean" in finder.content.decode() and "q=hypervigilance" in finder.content.decode()
    )
    # The misspelling still finds the point (trigram / difflib correction)
    assert finder.context["result_count"] == 1
    right = client.get("/practice-points/", {"q": "hypervigilance"})
    assert right.context["did_you_mean"] is None


def test_first_use_of_an_acronym_is_marked_on_the_point_page(client):
    point = PracticePointFactory(
        text="Consider CSE when a child goes missing; CSE is often hidden.",
        guidance="Refer CSE concerns to the MACE panel. FII is different.",
    )
    html = client.get(point.get_absolute_url()).content.decode()
    assert html.count('<abbr title="Child Sexual Exploitation">CSE</abbr>') == 1
    assert html.count(">CSE<") == 1  # the others stay plain text
    assert html.count('<abbr title="Multi-Agency Child Exploitation">MACE</abbr>') == 1
    assert '<abbr title="Fabricated or Induced Illness">FII</abbr>' in html
    assert "<title>" in html and "<abbr" not in html.split("<title>")[1].split("</title>")[0]


def test_first_use_is_marked_on_theme_pages(client):
    theme = ThemeFactory(
        summary="The MASH decides quickly.", body="The MASH shares information.\n\nMASH again."
    )
    html = client.get(theme.get_absolute_url()).content.decode()
    assert html.count('<abbr title="Multi-Agency Safeguarding Hub">MASH</abbr>') == 1


def test_the_abbreviate_filter_is_safe_on_text_and_on_html():
    request = RequestFactory().get("/")
    template = Template(
        "{% load search_tags %}{{ text|abbreviate:request }}|{{ html|abbreviate:request }}"
    )
    out = template.render(
        Context(
            {
                "request": request,
                "text": '<script>alert("CSE")</script> CSE & A&E',
                "html": mark_safe(
                    '<p class="CSE" title="CSE">CSE, A&amp;E and <abbr>DSL</abbr> DSL</p>'
                ),
            }
        )
    )
    text_part, html_part = out.split("|", 1)
    assert "<script>" not in text_part and "&lt;script&gt;" in text_part
    assert text_part.count("<abbr") == 2  # CSE once, A&E once
    assert '<abbr title="Accident and Emergency">A&amp;E</abbr>' in text_part
    # on the same page CSE and A&E were already marked; attributes are never touched
    assert '<p class="CSE" title="CSE">CSE, A&amp;E' in html_part
    assert '<abbr>DSL</abbr> <abbr title="Designated Safeguarding Lead">DSL</abbr>' in html_part
