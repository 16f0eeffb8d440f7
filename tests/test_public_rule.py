"""The one public rule (docs/architecture.md): ``Model.objects.public()`` and
``obj.is_public()``, checked against a table written out by hand, for every status of a
point and of its review, and through the places that count or list public points."""

import pytest

from content.models import Status
from practice_points.models import PracticePoint
from tests.factories import PracticePointFactory, ResourceFactory, ReviewFactory, ThemeFactory
from themes.selectors import theme_list

pytestmark = pytest.mark.django_db

# (the point's status, its review's status or None for no review) -> may anyone see it?
# Written out in full, not computed: the only public rows are a published point with no
# review or with a published review.
TABLE = {
    (Status.DRAFT, None): False,
    (Status.IN_REVIEW, None): False,
    (Status.PUBLISHED, None): True,
    (Status.ARCHIVED, None): False,
    (Status.DRAFT, Status.DRAFT): False,
    (Status.DRAFT, Status.IN_REVIEW): False,
    (Status.DRAFT, Status.PUBLISHED): False,
    (Status.DRAFT, Status.ARCHIVED): False,
    (Status.IN_REVIEW, Status.DRAFT): False,
    (Status.IN_REVIEW, Status.IN_REVIEW): False,
    (Status.IN_REVIEW, Status.PUBLISHED): False,
    (Status.IN_REVIEW, Status.ARCHIVED): False,
    (Status.PUBLISHED, Status.DRAFT): False,
    (Status.PUBLISHED, Status.IN_REVIEW): False,
    (Status.PUBLISHED, Status.PUBLISHED): True,
    (Status.PUBLISHED, Status.ARCHIVED): False,
    (Status.ARCHIVED, Status.DRAFT): False,
    (Status.ARCHIVED, Status.IN_REVIEW): False,
    (Status.ARCHIVED, Status.PUBLISHED): False,
    (Status.ARCHIVED, Status.ARCHIVED): False,
}


@pytest.fixture
def points_by_case():
    theme = ThemeFactory(slug="rule-theme")
    points = {}
    for point_status, review_status in TABLE:
        review = ReviewFactory(status=review_status) if review_status else None
        point = PracticePointFactory(status=point_status, review=review)
        point.themes.add(theme)
        points[point_status, review_status] = point
    return theme, points


def test_the_table_covers_every_pair_of_statuses():
    every = {(p, r) for p in Status.values for r in [None, *Status.values]}
    assert set(TABLE) == every


def test_public_and_is_public_follow_the_table(points_by_case):
    _theme, points = points_by_case
    expected = {points[case].pk for case, visible in TABLE.items() if visible}
    mine = PracticePoint.objects.filter(pk__in=[p.pk for p in points.values()])
    assert set(mine.public().values_list("pk", flat=True)) == expected
    for case, point in points.items():
        fresh = PracticePoint.objects.select_related("review").get(pk=point.pk)
        assert fresh.is_public() is TABLE[case], case


def test_a_theme_counts_only_its_public_points(points_by_case):
    """themes.selectors counts through a subquery on ``PracticePoint.objects.public()``:
    two of the twenty points in the table are public."""
    theme, _points = points_by_case
    counted = {t.slug: t.practice_point_count for t in theme_list()}
    assert counted["rule-theme"] == 2


@pytest.mark.parametrize("status", Status.values)
def test_other_content_is_public_only_when_published(status):
    resource = ResourceFactory(status=status)
    visible = status == Status.PUBLISHED
    assert resource.is_public() is visible
    assert type(resource).objects.public().filter(pk=resource.pk).exists() is visible
