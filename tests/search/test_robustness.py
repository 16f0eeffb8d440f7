"""Whatever is typed (quotes, operators, FTS5 and tsquery syntax, emoji, NUL bytes,
10,000 characters), search answers with results or a clear empty state: never an
error, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.models import Status
from search import services
from search.kinds import KINDS
from tests.factories import PracticePointFactory, ResourceFactory

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


DRAFT_TEXT = "Was not brought: neglect, co-sleeping, A&E, S47, x a or near"


@pytest.fixture
def drafts(seed):
    """A draft point and a draft resource holding the nasty queries' words: the search
    must never return them, whatever is typed."""
    return [
        PracticePointFactory(text=DRAFT_TEXT, status=Status.DRAFT),
        ResourceFactory(title=DRAFT_TEXT, summary=DRAFT_TEXT, status=Status.DRAFT),
    ]


def every_other(queryset):
    """Half of ``queryset``: what a search is given (e.g. the finder's filtered points)
    bounds what it may find."""
    return queryset.filter(pk__in=list(queryset.order_by("pk").values_list("pk", flat=True))[::2])


@pytest.fixture
def published_points():
    return every_other(KINDS["practice_points"].published())


def assert_found_within(found, published) -> None:
    """The results are among the items given to the search (never a draft, never one
    left out), each listed once, and the count is the number listed."""
    pks = list(found.values_list("pk", flat=True))
    assert len(pks) == len(set(pks)) == found.count()
    assert set(pks) <= set(published.values_list("pk", flat=True))


@pytest.mark.parametrize("q", NASTY, ids=range(len(NASTY)))
def test_the_service_never_fails(seed, drafts, q):
    for kind in KINDS.values():
        given = every_other(kind.published())
        found = services.search(kind.key, given, q)
        assert_found_within(found, given)
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
    assert_found_within(found, published_points)
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
