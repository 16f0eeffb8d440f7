"""A fresh site (`make run`, `make seed`) shows "Similar learning in other reviews" at once:
the Makefile finds the similar learning after loading the seed content (the seed loader,
in backoffice, cannot call alerts)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from alerts.models import SimilarPoint
from practice_points.models import PracticePoint

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def recipe(target: str) -> list[str]:
    text = MAKEFILE.read_text(encoding="utf-8")
    body = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", text, re.MULTILINE)
    assert body, target
    return body.group(1).splitlines()


@pytest.mark.parametrize("target", ["run", "seed"])
def test_the_makefile_finds_similar_learning_after_loading_the_seed(target):
    lines = recipe(target)
    at = {name: i for i, line in enumerate(lines) for name in re.findall(r"manage\.py (\w+)", line)}
    assert "alerts_jobs" in at, lines
    assert [line for line in lines if "alerts_jobs" in line][0].split()[-1] == "recurrence"
    assert at["alerts_jobs"] > at["load_seed_content"]
    if target == "run":
        assert at["generate_demo_data"] < at["alerts_jobs"] < at["runserver"]


@pytest.mark.django_db
def test_after_the_seed_and_the_job_a_point_page_shows_similar_learning(seed, client):
    SimilarPoint.objects.all().delete()  # as a fresh site: nothing found yet
    call_command("alerts_jobs", "recurrence")
    pair = SimilarPoint.objects.filter(
        point__in=PracticePoint.objects.public(), other__in=PracticePoint.objects.public()
    ).first()
    assert pair is not None
    page = client.get(pair.point.get_absolute_url()).content.decode()
    assert "Similar learning in other reviews" in page
    assert f'href="{pair.other.get_absolute_url()}"' in page
