"""Every number shown beside a finder choice is true.

Two independent checks, in every state tried:
- choose the option (request the finder with it) and count what comes back: the number
  shown beside a theme, day, review or type of review equals the results; beside an
  agency it equals the points listed as meant for that agency;
- over generated content with awkward shapes, the same numbers worked out in plain Python
  from the relations as stored (no finder code involved).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict

import pytest
from django.utils import timezone

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
from themes.models import PracticeWeek, PracticeWeekDay, Theme

pytestmark = pytest.mark.django_db

FINDER = "/practice-points/"
CHOICE = re.compile(
    r'<input class="govuk-(?:checkboxes|radios)__input" id="(theme|agency|day)-([\w-]+)" '
    r'name="\1"[^>]*>\s*<label[^>]*>[^<]*<span class="app-count">\((\d+)\)</span>'
)
SELECT = re.compile(r'<select[^>]* id="(review|review_type)" name="\1">(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"[^>]*>[^<]*\((\d+)\)</option>')
MULTIPLE = {"theme", "agency"}


def shown_counts(html: str) -> dict[tuple[str, str], int]:
    counts = {(name, value): int(n) for name, value, n in CHOICE.findall(html)}
    for name, block in SELECT.findall(html):
        for value, n in OPTION.findall(block):
            counts[(name, value)] = int(n)
    return counts


def result_count(html: str) -> int:
    return int(re.search(r'<span id="result-count">(\d+)</span>', html).group(1))


def meant_for_count(html: str) -> int:
    match = re.search(r'app-results-section">(\d+) points? meant for', html)
    return int(match.group(1)) if match else 0


def choose(state: dict, name: str, value: str) -> dict:
    chosen = {key: list(values) for key, values in state.items()}
    if name in MULTIPLE:
        chosen[name] = [*chosen.get(name, []), value]
    else:
        chosen[name] = [value]
    return chosen


def assert_counts_are_the_results(client, state: dict, only=lambda name, value: True) -> int:
    """Every number shown in ``state`` (or those ``only`` picks) equals what choosing it
    gives. Returns how many choices were checked."""
    html = client.get(FINDER, state).content.decode()
    counts = shown_counts(html)
    assert counts, "no counts found on the finder"
    checked = 0
    for (name, value), shown in counts.items():
        if value in state.get(name, []) or not only(name, value):
            continue  # already chosen: choosing it again changes nothing
        chosen_html = client.get(FINDER, {**choose(state, name, value), "page_size": 100})
        chosen_html = chosen_html.content.decode()
        actual = meant_for_count(chosen_html) if name == "agency" else result_count(chosen_html)
        assert shown == actual, f"{name}={value} shows {shown} but gives {actual} in {state}"
        checked += 1
    return checked


@pytest.mark.parametrize(
    "state",
    [
        {},
        {"day": ["wednesday"]},
        {"theme": ["neglect", "supervision"], "agency": ["police"], "review_type": ["lcspr"]},
        {"q": ["neglect"], "day": ["thursday"]},
    ],
    ids=["no filter", "wednesday", "three filters", "search and day"],
)
def test_every_count_on_the_seed_content_is_what_choosing_it_gives(seed, client, state):
    assert assert_counts_are_the_results(client, state) > 20


def test_the_days_of_the_seed_week_have_true_counts_not_zero(seed, client):
    html = client.get(FINDER).content.decode()
    counts = shown_counts(html)
    days = {value: n for (name, value), n in counts.items() if name == "day"}
    assert set(days) == {"monday", "tuesday", "wednesday", "thursday", "friday"}
    assert days["wednesday"] == result_count(
        client.get(FINDER, {"day": "wednesday"}).content.decode()
    )
    assert sum(1 for n in days.values() if n > 0) >= 4


# Generated content with awkward shapes ----------------------------------------------------


@pytest.fixture
def awkward(db):
    """A current practice week whose themes sit on no day, one day or two days, points on
    several days' themes, drafts among published points, a draft theme on a day."""
    PracticeWeek.objects.all().delete()
    today = timezone.localdate()
    week = PracticeWeekFactory(start_date=today - datetime.timedelta(days=today.weekday()))
    no_day, one_day, two_days = (ThemeFactory(slug=f"awk-{n}") for n in ("none", "one", "two"))
    draft_theme = ThemeFactory(slug="awk-draft", status=Status.DRAFT)
    monday = PracticeWeekDayFactory(week=week, weekday="monday")
    tuesday = PracticeWeekDayFactory(week=week, weekday="tuesday")
    friday = PracticeWeekDayFactory(week=week, weekday="friday")
    monday.themes.set([one_day, two_days, draft_theme])
    tuesday.themes.set([two_days])
    friday.themes.set([draft_theme])
    police, school = AgencyFactory(slug="awk-police"), AgencyFactory(slug="awk-school")
    review = ReviewFactory(slug="awk-review", review_type="rapid_review")
    draft_review = ReviewFactory(slug="awk-draft-review", status=Status.DRAFT)
    shapes = [
        dict(themes=[no_day]),
        dict(themes=[no_day, one_day], agencies=[police]),
        dict(themes=[one_day, two_days], agencies=[police, school], all_agencies=True),
        dict(themes=[two_days], all_agencies=True, review=review),
        dict(themes=[no_day, two_days], agencies=[school]),
        dict(themes=[draft_theme], agencies=[police]),
        dict(themes=[one_day], status=Status.DRAFT, agencies=[police]),
        dict(themes=[two_days], review=draft_review, agencies=[school]),
        dict(themes=[], all_agencies=True, review=review),
    ]
    for shape in shapes:
        PracticePointFactory(**shape)
    return week


def python_counts(week, state: dict) -> dict[tuple[str, str], int]:
    """The finder's numbers worked out from the stored relations alone."""
    published_themes = set(
        Theme.objects.filter(status=Status.PUBLISHED).values_list("slug", flat=True)
    )
    themes, agencies = defaultdict(set), defaultdict(set)
    for point_id, slug in PracticePoint.themes.through.objects.values_list(
        "practicepoint_id", "theme__slug"
    ):
        if slug in published_themes:
            themes[point_id].add(slug)
    for point_id, slug in PracticePoint.agencies.through.objects.values_list(
        "practicepoint_id", "agency__slug"
    ):
        agencies[point_id].add(slug)
    day_themes = defaultdict(set)
    for weekday, slug in PracticeWeekDay.themes.through.objects.filter(
        practiceweekday__week=week
    ).values_list("practiceweekday__weekday", "theme__slug"):
        day_themes[weekday].add(slug)
    points = [
        {
            "id": p.id,
            "themes": themes[p.id],
            "agencies": agencies[p.id],
            "all": p.all_agencies,
            "days": {d for d, slugs in day_themes.items() if slugs & themes[p.id]},
            "review": p.review.slug if p.review else None,
            "review_type": p.review.review_type if p.review else None,
        }
        for p in PracticePoint.objects.select_related("review")
        if p.is_public()  # the rule itself: tests/test_public_rule.py
    ]

    def passes(point, name, values):
        if not values:
            return True
        if name == "theme":
            return bool(point["themes"] & set(values))
        if name == "agency":
            return point["all"] or bool(point["agencies"] & set(values))
        if name == "day":
            return values[0] in point["days"]
        return point[name] == values[0]

    def others(name):
        return [
            p
            for p in points
            if all(passes(p, key, values) for key, values in state.items() if key != name)
        ]

    counts = defaultdict(int)
    # Themes and agencies combine with "or": a choice's number is the points tagged with
    # any of the chosen ones or with it (for agencies: the points meant for them).
    for name, key in (("theme", "themes"), ("agency", "agencies")):
        chosen = set(state.get(name, []))
        candidates = others(name)
        for slug in {slug for point in candidates for slug in point[key]} | chosen:
            n = sum(1 for point in candidates if point[key] & (chosen | {slug}))
            if n:
                counts[(name, slug)] = n
    for point in others("day"):
        for day in point["days"]:
            counts[("day", day)] += 1
    for name in ("review", "review_type"):
        for point in others(name):
            if point[name]:
                counts[(name, point[name])] += 1
    return counts


@pytest.mark.parametrize(
    "state",
    [
        {},
        {"day": ["monday"]},
        {"day": ["tuesday"], "agency": ["awk-police"]},
        {"theme": ["awk-none", "awk-two"]},
        {"agency": ["awk-school"], "review": ["awk-review"]},
        {"theme": ["awk-one"], "day": ["friday"]},
    ],
)
def test_counts_over_awkward_shapes_match_a_plain_python_count(client, awkward, state):
    expected = python_counts(awkward, state)
    html = client.get(FINDER, state).content.decode()
    shown = shown_counts(html)
    for key, n in shown.items():
        if key[1].startswith("awk-") or key[0] == "day":
            assert n == expected.get(key, 0), f"{key} shows {n}, expected {expected.get(key, 0)}"
    # Every option the Python count finds is on the page with that number.
    for key, n in expected.items():
        if key[1].startswith("awk-") or key[0] == "day":
            assert shown.get(key) == n, key
    ours = lambda name, value: value.startswith("awk-") or name == "day"  # noqa: E731
    assert assert_counts_are_the_results(client, state, only=ours) > 5


def test_a_theme_on_no_day_does_not_hide_its_points_from_the_day_counts(client, awkward):
    html = client.get(FINDER).content.decode()
    counts = shown_counts(html)
    # Monday: the points with awk-one or awk-two (the draft theme counts for nothing).
    assert counts[("day", "monday")] == 4
    assert counts[("day", "tuesday")] == 3
    assert counts[("day", "friday")] == 0
