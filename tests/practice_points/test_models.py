import pytest
from django.db import IntegrityError, transaction

from content.models import Status
from practice_points.models import PracticePoint
from tests.factories import (
    AgencyFactory,
    PracticePointFactory,
    PracticeWeekDayFactory,
    PracticeWeekFactory,
    ReviewFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def test_point_and_review_slugs_are_unique():
    PracticePointFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticePointFactory(slug="same")
    ReviewFactory(slug="child-z")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(slug="child-z")


def test_a_point_needs_text():
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticePointFactory(text="")


def test_only_published_points_are_public():
    published = PracticePointFactory()
    draft = PracticePointFactory(status=Status.DRAFT)
    in_review = PracticePointFactory(status=Status.IN_REVIEW)
    public = set(PracticePoint.objects.published())
    assert published in public
    assert draft not in public and in_review not in public


def test_agency_filter_includes_points_for_all_agencies():
    police = AgencyFactory(slug="police-test")
    health = AgencyFactory(slug="health-test")
    for_police = PracticePointFactory(agencies=[police])
    for_health = PracticePointFactory(agencies=[health])
    for_all = PracticePointFactory(all_agencies=True)
    found = set(PracticePoint.objects.published().for_agency("police-test"))
    assert for_police in found and for_all in found
    assert for_health not in found


def test_day_filter_follows_the_current_week_themes():
    supervision = ThemeFactory()
    neglect = ThemeFactory()
    week = PracticeWeekFactory()
    thursday = PracticeWeekDayFactory(week=week, weekday="thursday")
    thursday.themes.set([supervision])
    on_thursday = PracticePointFactory(themes=[supervision])
    other = PracticePointFactory(themes=[neglect])
    found = set(PracticePoint.objects.published().for_day("thursday", week=week))
    assert on_thursday in found and other not in found
    assert not PracticePoint.objects.for_day("saturday", week=week).exists()


def test_theme_filter_matches_any_of_several_themes_without_duplicates():
    a, b = ThemeFactory(), ThemeFactory()
    both = PracticePointFactory(themes=[a, b])
    only_b = PracticePointFactory(themes=[b])
    found = list(PracticePoint.objects.for_theme(a.slug, b.slug))
    assert found.count(both) == 1 and only_b in found
