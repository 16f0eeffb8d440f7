"""The finder's day hint names only the day's public themes (through the public rule's
one home, ``Theme.objects.public()``)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import PracticeWeekDayFactory, PracticeWeekFactory, ThemeFactory
from themes.models import PracticeWeek

pytestmark = pytest.mark.django_db


def test_the_day_hint_names_public_themes_only(client):
    PracticeWeek.objects.all().delete()
    today = timezone.localdate()
    week = PracticeWeekFactory(start_date=today - datetime.timedelta(days=today.weekday()))
    shown = ThemeFactory(name="Hint shown", slug="hint-shown")
    also = ThemeFactory(name="Hint also", slug="hint-also")
    for status in ("draft", "in_review", "archived"):
        ThemeFactory(name=f"Hint {status}", slug=f"hint-{status}", status=status)
    monday = PracticeWeekDayFactory(week=week, weekday="monday")
    monday.themes.set(
        [
            shown,
            also,
            *ThemeFactory._meta.model.objects.filter(
                slug__in=["hint-draft", "hint-in_review", "hint-archived"]
            ),
        ]
    )
    days = {d["value"]: d for d in client.get("/practice-points/").context["facets"]["days"]}
    expected = sorted(
        t.name for t in monday.themes.all() if t.status == "published"
    )  # the public rule for a theme, written out: published
    assert sorted(days["monday"]["hint"].split(", ")) == expected == ["Hint also", "Hint shown"]
    assert days["tuesday"]["hint"] == ""
