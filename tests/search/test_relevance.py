"""Relevance: what practitioners type finds the learning they mean, in the first five
results, on SQLite and on PostgreSQL alike. Queries are written as a practitioner would
type them (misspellings, acronyms, synonyms, phrases, plurals and tenses) over the seed
content; each expected point is named by its slug in
reviews_toolkit/seed_content/practice_points/*.yaml."""

import pytest

from practice_points.models import PracticePoint
from practice_points.selectors import practice_point_filterset
from search import services
from search.kinds import KINDS

pytestmark = pytest.mark.django_db

CASES = [
    # (what is typed, the point it must find in the top 5)
    ("dads not seen", "llr-family-22"),
    ("clares law", "llr-domestic-abuse-10"),
    ("profesional curiosity", "llr-multi-agency-12"),
    ("WNB", "llr-neglect-06"),
    ("was not brought", "llr-child-10"),
    ("missed appointments", "llr-neglect-06"),
    ("CSE", "llr-exploitation-09"),
    ("safer sleep", "llr-babies-15"),
    ("co-sleeping", "llr-babies-15"),
    ("neglected teenagers", "llr-neglect-02"),
    ("ICON", "llr-babies-14"),
    ("baby crying", "llr-babies-14"),
    ("shaking babies", "llr-babies-14"),
    ("home conditions", "llr-neglect-03"),
    ("FII", "llr-physical-emotional-04"),
    ("fabricated illness", "llr-physical-emotional-04"),
    ("camhs referal", "llr-child-12"),
    ("LAC sexual abuse", "llr-sexual-abuse-01"),
    ("bruising in babies", "llr-babies-13"),
    ("disguised compliance", "llr-family-20"),
    ("home schooled", "llr-child-17"),
    ("EHE", "llr-child-17"),
    ("ACEs", "llr-babies-05"),
    ("young carers", "national-panel-2022-23-05"),
    ("voice of the child", "llr-babies-12"),
    ("adultification", "llr-equality-05"),
    ("interpreter", "llr-equality-07"),
    ("coercive control", "llr-domestic-abuse-05"),
    ("stalking", "llr-domestic-abuse-04"),
    ("child thin hungry weighed", "llr-neglect-08"),
    ("probation", "llr-multi-agency-07"),
    ("suicide bereavement", "child-d-12"),
    ("mixed heritage", "child-d-16"),
    ("reflective supervision", "child-d-05"),
    ("challenging CP medicals", "child-d-04"),
    ("DSLs", "national-panel-2022-23-09"),
    ("cannabis", "llr-family-12"),
    ("parental mental health parenting capacity", "national-panel-2022-23-03"),
    ("premature babies", "llr-babies-06"),
    ("drowning", "llr-babies-16"),
    ("school attendance", "llr-child-19"),
    ("unborn baby", "llr-babies-01"),
    ("pre-birth assessment", "llr-babies-03"),
    ("modern slavery", "llr-child-08"),
    ("criminal exploitation county lines", "llr-exploitation-02"),
    ("stepdad", "llr-family-22"),
    ("neglect toolkit", "llr-neglect-10"),
    ('"safe and well"', "llr-reflecting-07"),
    ('"respectful uncertainty"', "llr-multi-agency-12"),
    ("domestic violence children victims", "child-d-10"),
    ("CSE or CCE", "llr-exploitation-09"),
    ("newborns", "llr-neglect-02"),
    ("adolescent trauma", "llr-child-06"),
    ("clean tidy house", "llr-neglect-03"),
    ("neglect over time cumulative", "llr-neglect-01"),
    ("safeguarding partnership training", "child-d-13"),
    ("Clare's Law", "llr-domestic-abuse-10"),
    ("dad's role", "llr-family-21"),
    ("escalate concerns", "llr-reflecting-09"),
    ("information sharing", "llr-babies-04"),
]


def top_slugs(q: str, n: int = 5) -> list[str]:
    found = services.search_practice_points(KINDS["practice_points"].published(), q)
    return [point.slug for point in found[:n]]


@pytest.mark.parametrize("q,slug", CASES, ids=[q for q, _ in CASES])
def test_practitioner_query_finds_the_point_in_the_top_five(seed, q, slug):
    assert PracticePoint.objects.filter(slug=slug).exists(), f"seed point {slug} is missing"
    assert slug in top_slugs(q), f"{q!r}: {slug} not in {top_slugs(q, 10)}"


def test_the_suite_is_big_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("q", ["WNB", "dads not seen", "neglected teenagers", "safer sleep"])
def test_the_finder_filterset_keeps_the_relevance_order(seed, q):
    """The FilterSet (used by the finder and the API) returns the service's order."""
    via_filterset = [p.slug for p in practice_point_filterset({"q": q}).qs[:10]]
    assert via_filterset == top_slugs(q, 10)


def test_results_are_ordered_by_rank_then_id(seed):
    found = list(services.search_practice_points(KINDS["practice_points"].published(), "neglect"))
    keys = [(-point.search_rank, point.pk) for point in found]
    assert keys == sorted(keys)
    assert len(found) >= 5
