from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from practice_points.models import PracticePoint, Review
from resources.models import Resource
from themes.models import Agency, PracticeWeek, Theme, ThemeKind

pytestmark = pytest.mark.django_db

LLR_TOPICS = {
    "recognising-harm-and-abuse",
    "neglect",
    "domestic-abuse",
    "physical-and-emotional-abuse",
    "sexual-abuse",
    "exploitation",
    "working-with-babies",
    "working-with-children-and-young-people",
    "working-with-families",
    "equality-and-diversity",
    "multi-agency-working",
    "reflecting-on-practice",
}


def counts():
    return {
        "points": PracticePoint.objects.count(),
        "themes": Theme.objects.count(),
        "resources": Resource.objects.count(),
        "reviews": Review.objects.count(),
        "agencies": Agency.objects.count(),
        "weeks": PracticeWeek.objects.count(),
        "theme links": PracticePoint.themes.through.objects.count(),
        "agency links": PracticePoint.agencies.through.objects.count(),
        "resource links": PracticePoint.resources.through.objects.count(),
    }


def test_loading_twice_creates_and_changes_nothing(seed):
    before = counts()
    stamps = dict(PracticePoint.objects.values_list("pk", "updated_at"))
    call_command("load_seed_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_seed_content", "--update", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == before
    assert dict(PracticePoint.objects.values_list("pk", "updated_at")) == stamps


def test_the_seed_holds_the_partnerships_learning(seed):
    assert PracticePoint.objects.published().count() >= 140
    assert Theme.objects.published().count() >= 22
    assert Resource.objects.published().count() >= 60
    child_d = Review.objects.get(slug="child-d")
    assert child_d.practice_points.count() >= 14
    assert child_d.practice_points.exclude(guidance="").count() == child_d.practice_points.count()
    assert Theme.objects.filter(kind=ThemeKind.PERENNIAL).count() == 10
    assert Theme.objects.filter(kind=ThemeKind.EMERGING).exists()


def test_every_llr_point_carries_its_topic_theme(seed):
    llr = PracticePoint.objects.filter(review__slug="llr-learning-from-reviews")
    assert llr.count() >= 120
    for point in llr.prefetch_related("themes"):
        slugs = {theme.slug for theme in point.themes.all()}
        assert slugs & LLR_TOPICS, point.slug


def test_every_perennial_challenge_has_practice_points(seed):
    for theme in Theme.objects.filter(kind=ThemeKind.PERENNIAL):
        assert theme.practice_points.count() >= 3, theme.slug


def test_points_name_agencies_or_are_for_everyone(seed):
    untagged = PracticePoint.objects.filter(all_agencies=False, agencies__isnull=True)
    assert list(untagged.values_list("slug", flat=True)) == []
    assert PracticePoint.objects.filter(agencies__slug="police").exists()
    assert PracticePoint.objects.filter(agencies__slug="education").exists()


def test_the_practice_week_is_hampshires(seed):
    week = PracticeWeek.objects.get(slug="hampshire-2024")
    days = {day.weekday: {t.slug for t in day.themes.all()} for day in week.days.all()}
    assert days["thursday"] == {"resolution", "disproportionality", "supervision"}
    assert days["tuesday"] == {"information-exchange", "risk-and-critical-thinking"}
    assert days["wednesday"] == {
        "family-engagement",
        "honest-conversations",
        "professional-curiosity",
    }
    assert days["friday"] == {"myth-busting", "agency-responsibilities"}
    assert days["monday"] == set()
    assert str(week.start_date) == "2024-06-24"


def test_seed_files_use_unique_slugs():
    directory = Path(settings.SEED_CONTENT_DIR)
    slugs = Counter()
    for path in (directory / "practice_points").glob("*.yaml"):
        slugs.update(row["slug"] for row in yaml.safe_load(path.read_text())["points"])
    assert slugs and max(slugs.values()) == 1


def test_a_broken_seed_file_saves_nothing(tmp_path, db):
    directory = Path(settings.SEED_CONTENT_DIR)
    for name in (
        "agencies.yaml",
        "themes.yaml",
        "practice_week.yaml",
        "reviews.yaml",
        "resources.yaml",
    ):
        (tmp_path / name).write_text((directory / name).read_text())
    (tmp_path / "practice_points").mkdir()
    (tmp_path / "practice_points" / "bad.yaml").write_text(
        yaml.safe_dump(
            {
                "review": None,
                "points": [
                    {
                        "slug": "new-good-point",
                        "text": "Fine.",
                        "themes": ["neglect"],
                        "all_agencies": True,
                    },
                    {"slug": "new-bad-point", "text": "Bad.", "themes": ["no-such-theme"]},
                ],
            }
        )
    )
    before = counts()
    with pytest.raises(CommandError, match="no-such-theme"):
        call_command("load_seed_content", "--directory", str(tmp_path))
    assert counts() == before
    assert not PracticePoint.objects.filter(slug="new-good-point").exists()
