"""The finder says what its search did: a corrected spelling (with the words as typed one
click away), a theme or glossary entry as a best bet, and glossary words widened."""

import re

import pytest

pytestmark = pytest.mark.django_db

FINDER = "/practice-points/"


def count(html: str) -> int:
    return int(re.search(r'<span id="result-count">(\d+)</span>', html).group(1))


def test_a_corrected_spelling_says_so_and_links_to_the_words_as_typed(seed, client):
    html = client.get(FINDER, {"q": "supervison"}).content.decode()
    assert "Showing results for <strong>supervision</strong>" in html
    assert count(html) == count(client.get(FINDER, {"q": "supervision"}).content.decode()) > 0
    link = re.search(r'<a class="govuk-link" href="([^"]+)">Search instead for supervison', html)
    assert link and "exact=1" in link.group(1)
    exact = client.get(FINDER + link.group(1).replace("&amp;", "&")).content.decode()
    assert count(exact) == 0
    assert "Showing results for" not in exact


def test_a_word_spelt_right_is_not_corrected(seed, client):
    html = client.get(FINDER, {"q": "supervision"}).content.decode()
    assert "Showing results for" not in html


@pytest.mark.parametrize(
    "typed, bet",
    [
        ("neglect", 'href="/themes/neglect/">Neglect</a>'),
        ("cuckooing", 'href="/themes/exploitation/">Exploitation</a>'),
        ("county lines", 'href="/themes/exploitation/">Exploitation</a>'),
        ("DSL", 'href="/glossary/#dsl">DSL: Designated Safeguarding Lead</a>'),
        ("strategy discussion", 'href="/glossary/#strategy-discussion">Strategy discussion</a>'),
    ],
)
def test_a_matching_theme_or_glossary_term_comes_first_as_a_best_bet(seed, client, typed, bet):
    html = client.get(FINDER, {"q": typed}).content.decode()
    assert bet in html
    # The best bet comes before the first result.
    assert html.index(bet) < html.index('class="app-result app-point"')


def test_glossary_words_widen_the_search(seed, client):
    # Cuckooing is not in any point's text, but the glossary makes it county lines and
    # exploitation, which are.
    assert count(client.get(FINDER, {"q": "cuckooing"}).content.decode()) > 0
    assert count(client.get(FINDER, {"q": "cuckooing", "exact": "1"}).content.decode()) > 0
    exploitation = count(client.get(FINDER, {"q": "exploitation"}).content.decode())
    assert count(client.get(FINDER, {"q": "cuckooing"}).content.decode()) >= exploitation
