"""The agency split (themes 0005) on an install that already has the old agencies:
every point and session pack keeps a tag (now both new agencies), the old agency is gone,
the points' search entries carry the new names, and reversing merges them back."""

import pytest
import yaml
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from practice_points.models import PracticePoint
from search import services
from search.kinds import KINDS

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("themes", "0004_freshness_locking_permissions"),
    ("practice_points", "0005_practicepoint_headline"),
    ("session_packs", "0002_trainer_group"),
    ("search", "0001_initial"),
]
AFTER = [("themes", "0005_split_agencies")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def found(q):
    return {
        p.slug for p in services.search_practice_points(KINDS["practice_points"].published(), q)
    }


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture(autouse=True)
def no_agencies():
    """An install as it was before the split: none of today's agencies (the test
    database starts with the seed, whose agencies reversing would merge)."""
    from themes.models import Agency

    Agency.objects.all().delete()


def test_split_retags_points_and_packs_and_reverses():
    apps = migrate(BEFORE)
    Agency = apps.get_model("themes", "Agency")
    Point = apps.get_model("practice_points", "PracticePoint")
    Pack = apps.get_model("session_packs", "SessionPack")
    User = apps.get_model("auth", "User")
    old_mw = Agency.objects.create(
        slug="midwifery-and-health-visiting", name="Midwifery and health visiting"
    )
    old_mh = Agency.objects.create(slug="mental-health-services", name="Mental health services")
    police = Agency.objects.create(slug="police", name="Police")
    baby = Point.objects.create(slug="split-baby", text="Zephyrine visits.", status="published")
    baby.agencies.add(old_mw, police)
    mind = Point.objects.create(slug="split-mind", text="Quillwort care.", status="published")
    mind.agencies.add(old_mh)
    owner = User.objects.create(username="split-trainer")
    pack = Pack.objects.create(title="Split pack", owner=owner)
    pack.audience_agencies.add(old_mw, old_mh)

    migrate(latest())

    def slugs(point_slug):
        return set(
            PracticePoint.objects.get(slug=point_slug).agencies.values_list("slug", flat=True)
        )

    assert slugs("split-baby") == {"midwifery", "health-visiting", "police"}
    assert slugs("split-mind") == {
        "adult-mental-health-services",
        "childrens-mental-health-services",
    }
    from session_packs.models import SessionPack
    from themes.models import Agency as LiveAgency

    assert set(
        SessionPack.objects.get(title="Split pack").audience_agencies.values_list("slug", flat=True)
    ) == {
        "midwifery",
        "health-visiting",
        "adult-mental-health-services",
        "childrens-mental-health-services",
    }
    assert not LiveAgency.objects.filter(
        slug__in=["midwifery-and-health-visiting", "mental-health-services"]
    ).exists()
    # The new agencies are the reference data's, so a later seed load changes nothing.
    rows = {
        row["slug"]: (row["name"], row["description"])
        for row in yaml.safe_load((settings.SEED_CONTENT_DIR / "agencies.yaml").read_text())
    }
    new = {
        agency.slug: (agency.name, agency.description)
        for agency in LiveAgency.objects.exclude(slug="police")
    }
    assert new == {slug: rows[slug] for slug in new} and len(new) == 4
    # The search entries carry the new names.
    assert "split-baby" in found('"health visiting"')
    assert "split-mind" in found('"adult mental health"')

    apps = migrate(BEFORE)
    Agency = apps.get_model("themes", "Agency")
    Point = apps.get_model("practice_points", "PracticePoint")
    assert set(Point.objects.get(slug="split-baby").agencies.values_list("slug", flat=True)) == {
        "midwifery-and-health-visiting",
        "police",
    }
    assert not Agency.objects.filter(slug__in=["midwifery", "health-visiting"]).exists()
    migrate(latest())


def test_an_install_without_the_old_agencies_is_left_alone():
    apps = migrate(BEFORE)
    Agency = apps.get_model("themes", "Agency")
    Agency.objects.create(slug="police", name="Police")
    migrate(latest())
    from themes.models import Agency as LiveAgency

    assert list(LiveAgency.objects.values_list("slug", flat=True)) == ["police"]
