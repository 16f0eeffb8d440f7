"""The index follows the content (the PostgreSQL vector, the SQLite FTS5 rows), the
weights rank text above guidance above the rest, the query syntax works, and the query
uses the index, on both databases."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from content.models import Status
from practice_points.models import PracticePoint
from search import services
from search.backends import get_backend
from search.kinds import KINDS
from tests.factories import (
    AgencyFactory,
    PracticePointFactory,
    ResourceFactory,
    ReviewFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def test_editing_a_point_rewrites_its_entry(find):
    point = PracticePointFactory(text="Quadrilleon at the first visit.")
    assert find("quadrilleon") == [point.slug]
    point.text = "Saraband at the second visit."
    point.save()
    assert find("quadrilleon") == []
    assert find("saraband") == [point.slug]
    point.delete()
    assert find("saraband") == []


def test_renaming_tags_and_review_rewrites_the_points_that_carry_them(find):
    theme = ThemeFactory(name="Gallimaufry theme")
    agency = AgencyFactory(name="Hobbledehoy service")
    review = ReviewFactory(title="Child Q Thingumajig review")
    point = PracticePointFactory(review=review, themes=[theme], agencies=[agency])
    assert find("gallimaufry") == find("hobbledehoy") == find("thingumajig") == [point.slug]
    theme.name, agency.name, review.title = "Renamed one", "Renamed two", "Renamed three"
    theme.save()
    agency.save()
    review.save()
    assert find("gallimaufry") == find("hobbledehoy") == find("thingumajig") == []
    assert point.slug in find("renamed")
    point.themes.remove(theme)
    # The theme's name leaves the point's entry; the agency's and the review's stay.
    assert point.slug not in find('"renamed one"')
    assert find('"renamed two"') == find('"renamed three"') == [point.slug]
    theme.practice_points.add(point)  # from the other side
    assert point.slug in find('"renamed one"')
    theme.practice_points.clear()
    assert point.slug not in find('"renamed one"')


def test_a_draft_themes_name_finds_nothing_until_it_is_published(find, staff_client):
    theme = ThemeFactory(name="Borborygmus", status=Status.DRAFT)
    point = PracticePointFactory(themes=[theme])
    assert find("borborygmus") == []
    staff_client.post(
        reverse("admin:themes_theme_changelist"),
        {"action": "publish_selected", "_selected_action": [theme.pk]},
    )
    assert find("borborygmus") == [point.slug]
    theme.delete()
    assert find("borborygmus") == []


def test_text_ranks_above_guidance_above_theme_names(find):
    in_theme = PracticePointFactory(themes=[ThemeFactory(name="Snollygoster")])
    in_guidance = PracticePointFactory(guidance="Snollygoster behaviour needs challenge.")
    in_text = PracticePointFactory(text="Snollygoster tactics by a parent.")
    assert find("snollygoster") == [in_text.slug, in_guidance.slug, in_theme.slug]


def test_phrases_exclusion_and_or(find):
    a = PracticePointFactory(text="The school nurse in Wexcombe was never told.")
    b = PracticePointFactory(text="A nurse at the school in Wexcombe phoned.")
    c = PracticePointFactory(text="Wexcombe babies were weighed.")
    d = PracticePointFactory(text="Ottery fathers were invited.")
    assert set(find("school nurse wexcombe")) == {a.slug, b.slug}
    assert find('"school nurse" wexcombe') == [a.slug]
    assert set(find("wexcombe -babies")) == {a.slug, b.slug}
    assert set(find('wexcombe -"nurse at the school"')) == {a.slug, c.slug}
    assert set(find("babies or ottery")) >= {c.slug, d.slug}
    assert set(find("wexcombe OR ottery")) == {a.slug, b.slug, c.slug, d.slug}
    assert find('"school nurse wexcombe') == []  # unbalanced quote: a phrase to the end
    assert find("-wexcombe -ottery -babies") and a.slug not in find("-wexcombe")


def test_when_nothing_has_all_the_words_results_have_some(find):
    point = PracticePointFactory(text="Cromulent practice in Springfield.")
    assert find("cromulent embiggen") == [point.slug]


def test_resources_search_ranks_title_matches_first(client):
    in_summary = ResourceFactory(title="A briefing", summary="About the Frabjous procedure.")
    in_title = ResourceFactory(title="Frabjous procedure", summary="Local procedure.")
    response = client.get("/resources/", {"q": "frabjous"})
    assert [r.pk for r in response.context["resources"]] == [in_title.pk, in_summary.pk]
    assert client.get("/resources/").status_code == 200


def test_the_query_uses_the_stored_index(seed):
    # All points (the published filter has an index of its own the planner may prefer).
    found = services.search_practice_points(PracticePoint.objects.all(), "WNB neglect")
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The stored, GIN-indexed column: no vector computed from the text per query.
            assert '"search_vector" @@' in sql
            assert "to_tsvector" not in sql
            # The seed is small: with fresh statistics and whole-table scans ruled out,
            # the planner must pick the GIN index over the stored vector.
            cursor.execute("ANALYZE practice_points_practicepoint")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Bitmap Index Scan on practicepoint_search_gin" in plan
        else:
            assert "search_fts_practicepoint MATCH" in sql
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert "search_fts_practicepoint VIRTUAL TABLE INDEX" in plan
    # and the index holds every point
    if connection.vendor == "postgresql":
        assert not PracticePoint.objects.filter(search_vector__isnull=True).exists()
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_fts_practicepoint")
            assert cursor.fetchone()[0] == PracticePoint.objects.count()


def test_rebuild_command_rewrites_everything(find, capsys):
    point = PracticePointFactory(text="Widdershins movement at night.")
    get_backend().remove(KINDS["practice_points"], [point.pk])
    if connection.vendor == "postgresql":
        PracticePoint.objects.filter(pk=point.pk).update(search_vector=None)
    assert find("widdershins") == []
    call_command("rebuild_search_index")
    assert find("widdershins") == [point.slug]
    assert "Search index rebuilt" in capsys.readouterr().out


def test_generate_demo_data_in_bulk_with_drafts_and_removes_it(seed, find):
    before = PracticePoint.objects.count()
    quiet = open("/dev/null", "w")  # noqa: SIM115
    call_command("generate_demo_data", practice_points=300, seed=7, yes=True, stdout=quiet)
    demo = PracticePoint.objects.filter(slug__startswith="demo-")
    assert demo.count() == 300 == PracticePoint.objects.count() - before
    drafts = demo.filter(status=Status.DRAFT).count()
    assert 10 <= drafts <= 60  # about one in ten
    assert demo.filter(themes__isnull=False).distinct().count() == 300
    found = set(find("neglect"))
    assert found & set(demo.filter(status=Status.PUBLISHED).values_list("slug", flat=True))
    assert not found & set(demo.filter(status=Status.DRAFT).values_list("slug", flat=True))
    call_command("generate_demo_data", remove=True, yes=True, stdout=quiet)
    assert PracticePoint.objects.count() == before


@override_settings(DEBUG=False)
def test_generate_demo_data_refuses_without_yes_when_debug_is_off():
    with pytest.raises(CommandError, match="--yes"):
        call_command("generate_demo_data", practice_points=5)
    assert not PracticePoint.objects.filter(slug__startswith="demo-").exists()
    call_command("generate_demo_data", practice_points=5, yes=True, stdout=open("/dev/null", "w"))
    assert PracticePoint.objects.filter(slug__startswith="demo-").count() == 5
