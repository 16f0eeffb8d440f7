"""Whatever is typed (quotes, operators, FTS5 and tsquery syntax, emoji, NUL bytes,
10,000 characters), search answers with results or a clear empty state: never an
error, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import services
from search.kinds import KINDS

pytestmark = pytest.mark.django_db

NASTY = [
    "",
    " ",
    '"',
    '""',
    '"unbalanced quote',
    'unbalanced quote"',
    "-",
    "--",
    "- -",
    "-neglect",
    "or",
    "OR OR",
    "neglect or",
    "or neglect",
    "AND NOT",
    "NEAR(",
    "NEAR(neglect babies, 5)",
    "neglect*",
    "*",
    "^neglect",
    "^",
    ":",
    "text:neglect",
    "a:b:c",
    "{text guidance}: neglect",
    "(neglect",
    "neglect)",
    "'",
    "it's",
    "'' OR 1=1 --",
    "'; DROP TABLE practice_points_practicepoint; --",
    "!neglect & babies | <-> :*",
    "neglect:* & !babies",
    "\\",
    "%",
    "_",
    "\x00",
    "neglect\x00babies",
    "\x00" * 50,
    "👶🏽 safer sleep 💤",
    "🙂",
    "ℌ𝔢𝔩𝔩𝔬 ﬁ ß ǅ",
    "العربية",
    "𝓌𝓃𝒷",
    "\u200b\u200d\ufeff",
    "x" * 10_000,
    '"' * 10_000,
    "neglect " * 2_000,
    "-" * 10_000,
    "a " * 5_000,
    "co-sleeping",
    "A&E",
    "S47",
    "was not brought",
]


@pytest.fixture
def published_points():
    return KINDS["practice_points"].published()


@pytest.mark.parametrize("q", NASTY, ids=range(len(NASTY)))
def test_the_service_never_fails(seed, q):
    for kind in KINDS.values():
        found = services.search(kind.key, kind.published(), q)
        assert found.count() >= 0
        list(found[:5])
    services.did_you_mean(q)
    services.site_search(q)
    str(services.search_snippet(KINDS["practice_points"].published().first(), q))


@pytest.mark.parametrize("q", NASTY, ids=range(len(NASTY)))
def test_the_pages_never_fail(client, seed, q):
    for url in ("/search/", "/practice-points/", "/resources/"):
        response = client.get(url, {"q": q})
        assert response.status_code == 200, (url, q)
        assert b"Server error" not in response.content


ANY_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300
) | st.builds(lambda s, n: s * n, st.text(max_size=20), st.integers(100, 600))
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(q=ANY_TEXT)
def test_any_text_through_the_service(seed, published_points, q):
    found = services.search_practice_points(published_points, q)
    list(found[:20])
    assert found.count() >= 0
    services.did_you_mean(q)


@SETTINGS
@given(q=ANY_TEXT)
def test_any_text_through_the_finder(client, seed, q):
    response = client.get("/practice-points/", {"q": q})
    assert response.status_code == 200


@SETTINGS
@given(q=ANY_TEXT)
def test_any_text_through_the_search_page(client, seed, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
