"""The finder parses a search once per request and passes the plan to the results, the
facet counts, the snippets and "did you mean": its number of queries depends on the shape
of the request (which filters), not on the words, the glossary or the amount of content,
and it is lower than before. Before (each facet count parsed the query again, reading the
glossary and the vocabulary, and checked again whether to widen to "any of the words"),
these requests took 35 to 47 queries on either database (``q=neglect``: 37).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.indexing import search_index_rebuild
from tests.factories import (
    AgencyFactory,
    PracticePointFactory,
    PracticeWeekDayFactory,
    PracticeWeekFactory,
    ThemeFactory,
)
from themes.models import GlossaryTerm

pytestmark = pytest.mark.django_db

FEWEST_BEFORE = 35  # the lowest of these requests before, on either database


def _content(n: int):
    themes = ThemeFactory.create_batch(3)
    agencies = AgencyFactory.create_batch(2)
    week = PracticeWeekFactory()
    PracticeWeekDayFactory(week=week, weekday="monday").themes.set(themes[:2])
    PracticeWeekDayFactory(week=week, weekday="thursday").themes.set(themes[2:])
    assert GlossaryTerm.objects.public().filter(term="WNB").exists()  # from the seed
    for i in range(n):
        PracticePointFactory(
            text=f"Neglect and supervision of a baby {i}; the child was not brought.",
            themes=[themes[i % 3]],
            agencies=[agencies[i % 2]],
        )
    search_index_rebuild()
    return themes, agencies


def _queries(client, url: str) -> int:
    client.get(url)  # the glossary read once per process
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


URLS = [
    "/practice-points/?q=neglect",
    "/practice-points/?q=neglect+supervision",
    "/practice-points/?q=nelgect",  # misspelt: did you mean
    "/practice-points/?q=WNB+baby",  # a glossary term
    "/practice-points/?q=neglect&day=monday",
    "/practice-points/?q=neglect&theme={theme}&agency={agency}",
    '/practice-points/?q="child+was"+-baby',
]


def test_queries_per_finder_request_with_text_are_constant_and_fewer(client):
    themes, agencies = _content(6)

    def count_all():
        return {
            url: _queries(client, url.format(theme=themes[0].slug, agency=agencies[0].slug))
            for url in URLS
        }

    counts = count_all()
    assert max(counts.values()) < FEWEST_BEFORE, counts
    # The words do not change the count: a word, another word, a glossary term.
    one_word = [
        _queries(client, f"/practice-points/?q={q}") for q in ("neglect", "supervision", "WNB")
    ]
    assert len(set(one_word)) == 1, one_word
    # Two words cost one query more than one (whether to widen to "any of them"), once.
    assert _queries(client, "/practice-points/?q=neglect+supervision+baby") == one_word[0] + 1
    # More content, more themes: the same numbers.
    more_themes = ThemeFactory.create_batch(2)
    for i in range(12):
        PracticePointFactory(text=f"More neglect {i}", themes=more_themes)
    assert count_all() == counts
