import datetime

import pytest
from django.db import IntegrityError, transaction

from content.models import Status
from tests.factories import PracticeWeekDayFactory, PracticeWeekFactory, ThemeFactory
from themes.models import PracticeWeek, Theme, Weekday

pytestmark = pytest.mark.django_db


def test_theme_slugs_are_unique():
    ThemeFactory(slug="neglect-test")
    with pytest.raises(IntegrityError), transaction.atomic():
        ThemeFactory(slug="neglect-test")


def test_only_published_themes_are_public():
    published = ThemeFactory(status=Status.PUBLISHED)
    draft = ThemeFactory(status=Status.DRAFT)
    archived = ThemeFactory(status=Status.ARCHIVED)
    public = set(Theme.objects.published())
    assert published in public
    assert draft not in public and archived not in public


def test_an_unknown_theme_kind_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ThemeFactory(kind="rumour")


def test_publishing_stamps_the_time_once():
    theme = ThemeFactory(status=Status.DRAFT)
    assert theme.published_at is None
    theme.status = Status.PUBLISHED
    theme.save()
    stamped = theme.published_at
    assert stamped is not None
    theme.save()
    assert theme.published_at == stamped


def test_key_messages_are_one_a_line():
    theme = ThemeFactory(key_messages="Remember one.\n\n  Remember two.  \n")
    assert theme.key_message_list == ["Remember one.", "Remember two."]


def test_current_week_is_the_latest_started_published_one():
    old = PracticeWeekFactory(start_date=datetime.date(2001, 6, 25))
    newer = PracticeWeekFactory(start_date=datetime.date(2002, 6, 24))
    PracticeWeekFactory(start_date=datetime.date(2003, 6, 23), status=Status.DRAFT)
    today = datetime.date(2003, 7, 1)
    assert PracticeWeek.objects.filter(pk__in=[old.pk, newer.pk]).current(today) == newer


def test_week_days_have_their_dates_and_one_of_each_weekday():
    week = PracticeWeekFactory(start_date=datetime.date(2030, 6, 24))
    thursday = PracticeWeekDayFactory(week=week, weekday=Weekday.THURSDAY)
    assert thursday.date == datetime.date(2030, 6, 27)
    assert week.day_for(datetime.date(2030, 6, 27)) == thursday
    assert week.day_for(datetime.date(2030, 6, 30)) is None
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeWeekDayFactory(week=week, weekday=Weekday.THURSDAY)
