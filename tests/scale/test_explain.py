"""On PostgreSQL the finder's main shapes read indexes, not whole tables: a text search
(the GIN index of the points' search vectors), a theme with an agency (the tag tables'
indexes) and a day of the practice week (the themes' tag table). The planner is told to
avoid sequential scans (as it would on a large table), so a shape with no usable index
shows a "Seq Scan" and fails."""

from urllib.parse import urlencode

import pytest
from django.db import connection, transaction
from django.http import QueryDict

from practice_points import selectors
from practice_points.models import PracticePoint
from search.indexing import search_index_rebuild
from tests.factories import (
    AgencyFactory,
    PracticeWeekDayFactory,
    PracticeWeekFactory,
    ReviewFactory,
    ThemeFactory,
)
from themes.models import PracticeWeek

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgresql,  # EXPLAIN of PostgreSQL's plans: run in the PostgreSQL run
]


def _indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        return {row[0] for row in cursor.fetchall()}


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # As on a large table: no reading it all, in order or not (a bitmap or an
        # index-only scan of the right index is what is left).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _uses(plan: str, table: str) -> set[str]:
    return {name for name in _indexes(table) if f" {name} " in f"{plan} ".replace("\n", " ")}


@pytest.fixture
def content():
    """3,000 points (bulk), 30 themes, 10 agencies, and the statistics PostgreSQL plans
    with: each filter picks a small part, as at 50,000 points."""
    themes = ThemeFactory.create_batch(30)
    agencies = AgencyFactory.create_batch(10)
    reviews = ReviewFactory.create_batch(30)
    points = PracticePoint.objects.bulk_create(
        PracticePoint(
            slug=f"explain-{i}",
            text=("Neglect of a baby" if i % 100 == 0 else "Supervision and reflection") + f" {i}",
            guidance="Guidance.",
            review=reviews[i % 30],
            position=i,
            status="published" if i % 10 else "draft",
        )
        for i in range(3000)
    )
    Themes = PracticePoint.themes.through
    Agencies = PracticePoint.agencies.through
    Themes.objects.bulk_create(
        Themes(practicepoint_id=p.pk, theme_id=themes[i % 30].pk) for i, p in enumerate(points)
    )
    Agencies.objects.bulk_create(
        Agencies(practicepoint_id=p.pk, agency_id=agencies[i % 10].pk) for i, p in enumerate(points)
    )
    search_index_rebuild()
    week = PracticeWeekFactory()
    PracticeWeekDayFactory(week=week, weekday="thursday").themes.set([themes[0]])
    PracticeWeek.objects.exclude(pk=week.pk).delete()
    with connection.cursor() as cursor:
        # Written in one go, the GIN index's entries wait in its pending list (which the
        # planner prices high); autovacuum would move them into the index.
        cursor.execute("SELECT gin_clean_pending_list('practicepoint_search_gin'::regclass)")
        cursor.execute("ANALYZE")
    return themes[0], agencies[0]


def _results(data: dict):
    filterset = selectors.practice_point_filterset(QueryDict(urlencode(data)))
    assert filterset.is_valid(), filterset.errors
    return selectors.practice_point_results(
        filterset, sort=selectors.practice_point_sort(filterset, None)
    )


def test_text_search_uses_the_search_vector_index(content):
    plan = _plan(_results({"q": "neglect"}))
    assert "Seq Scan on practice_points_practicepoint " not in plan, plan
    assert "practicepoint_search_gin" in plan, plan


def test_theme_and_agency_use_the_tag_tables_indexes(content):
    theme, agency = content
    plan = _plan(_results({"theme": theme.slug, "agency": agency.slug}))
    assert "Seq Scan" not in plan, plan
    assert _uses(plan, "practice_points_practicepoint_themes"), plan
    assert _uses(plan, "practice_points_practicepoint_agencies"), plan


def test_day_uses_the_theme_tag_index(content):
    plan = _plan(_results({"day": "thursday"}))
    assert "Seq Scan on practice_points_practicepoint" not in plan, plan
    assert _uses(plan, "practice_points_practicepoint_themes"), plan
