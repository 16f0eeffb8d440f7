"""Recurrence: counts equal independently computed counts (themes: reviews by type and
year; points: similar learning in other reviews), the finder's "most recurrent" sort,
the pages, the staff report and the API."""

from __future__ import annotations

import math
import re
from itertools import combinations

import pytest
import snowballstemmer

from alerts import recurrence
from alerts.models import SimilarPoint
from practice_points.models import PracticePoint, Review
from search.text import STOP_WORDS
from tests.factories import PracticePointFactory, ReviewFactory, ThemeFactory
from tests.roles import EDITOR, admin_login, make_role_user
from themes.models import Theme

pytestmark = pytest.mark.django_db

_STEM = snowballstemmer.stemmer("english")
WORD = re.compile(r"[^\W_]+")


def stems(text: str) -> set[str]:
    """Written again here: words of three letters or more, not stop words nor numbers."""
    words = {w.lower() for w in WORD.findall(re.sub(r"['’]s\b", "", text))}
    return {
        _STEM.stemWord(w) for w in words if len(w) > 2 and w not in STOP_WORDS and not w.isdigit()
    }


def close(a: set[str], b: set[str]) -> bool:
    shared = len(a & b)
    return shared >= 3 and shared / math.sqrt(len(a) * len(b)) >= 0.3


def is_public(point: PracticePoint) -> bool:
    return (
        point.status == "published"
        and point.review is not None
        and point.review.status == "published"
    )


def expected_similar(points: list[PracticePoint]) -> dict[int, set[int]]:
    """Every pair of public points from different reviews, compared (no search index):
    stems in more than a quarter of the public points (once there are 30) left out."""
    found: dict[int, set[int]] = {p.pk: set() for p in points}
    public = [p for p in points if is_public(p)]
    words = {p.pk: stems(p.text) for p in public}
    if len(public) >= 30:
        df: dict[str, int] = {}
        for w in words.values():
            for stem in w:
                df[stem] = df.get(stem, 0) + 1
        common = {stem for stem, n in df.items() if n > 0.25 * len(public)}
        words = {pk: w - common for pk, w in words.items()}
    for a, b in combinations(public, 2):
        if a.review_id != b.review_id and close(words[a.pk], words[b.pk]):
            found[a.pk].add(b.pk)
            found[b.pk].add(a.pk)
    return found


@pytest.fixture
def recurring(db):
    theme = ThemeFactory(name="Recurring theme", slug="recurring-theme")
    reviews = [
        ReviewFactory(
            title="Child R1", review_type="lcspr", area="Leeds", published_on="2019-03-01"
        ),
        ReviewFactory(
            title="Child R2",
            review_type="rapid_review",
            area="Hampshire",
            published_on="2021-05-01",
        ),
        ReviewFactory(
            title="Panel R3",
            review_type="national_panel",
            area="National",
            published_on="2021-09-01",
        ),
        ReviewFactory(
            title="Child R4", review_type="lcspr", area="Leeds", published_on="2023-01-01"
        ),
    ]
    draft_review = ReviewFactory(title="Child Draft R", status="draft", published_on="2024-01-01")
    texts = [
        (
            0,
            "Practitioners did not see the baby alone during home visits, so the baby's voice was not heard.",
        ),
        (
            1,
            "The baby was not seen alone by practitioners during home visits and the baby's voice was lost.",
        ),
        (
            2,
            "Across reviews, practitioners rarely saw the baby alone on home visits; the voice of the baby went unheard.",
        ),
        (
            3,
            "Home visits happened but practitioners never saw the baby alone, so the baby's voice was missing.",
        ),
        (3, "Supervision did not challenge drift in the plan for older siblings."),
        (1, "Information about the father was not shared between health and police."),
        (
            0,
            "Fathers and male carers were not asked about; information was not shared with police or health.",
        ),
    ]
    points = [PracticePointFactory(text=t, review=reviews[i], themes=[theme]) for i, t in texts]
    # Not public: a draft point, and a point of a draft review, both saying the same.
    points.append(
        PracticePointFactory(text=texts[0][1], review=reviews[2], status="draft", themes=[theme])
    )
    points.append(PracticePointFactory(text=texts[1][1], review=draft_review, themes=[theme]))
    recurrence.recurrence_refresh([p.pk for p in points])  # theirs only: quicker
    return {"theme": theme, "reviews": reviews, "points": points}


def test_similar_points_equal_an_independent_count(recurring):
    points = list(  # all of them: the seed's count towards the common words
        PracticePoint.objects.select_related("review").filter(
            pk__in=PracticePoint.objects.values("pk")
        )
    )
    expected = expected_similar(points)
    # The data says what it should: the four "baby alone" points are each other's.
    baby = [p.pk for p in recurring["points"][:4]]
    assert all(expected[pk] == set(baby) - {pk} for pk in baby)
    mine = {p.pk for p in recurring["points"]}
    for point in points:
        if not is_public(point) or point.pk not in mine:
            continue
        got = {p.pk for p in recurrence.similar_points(point)}
        assert got == expected[point.pk], point.text


def test_similar_points_on_the_seed_equal_an_independent_count(seed):
    recurrence.recurrence_refresh()
    points = list(PracticePoint.objects.select_related("review"))
    expected = expected_similar(points)
    stored: dict[int, set[int]] = {}
    for a, b in SimilarPoint.objects.values_list("point_id", "other_id"):
        stored.setdefault(a, set()).add(b)
    for point in points:
        if is_public(point):
            # Candidates come from the search backend, best ranked first (at most 100).
            assert stored.get(point.pk, set()) == expected[point.pk], point.pk
    print(f"seed: {sum(len(v) for v in expected.values()) // 2} similar pairs")


def test_theme_recurrence_equals_an_independent_count(recurring, seed):
    for theme in [recurring["theme"], *Theme.objects.filter(status="published")[:8]]:
        reviews = {}
        for point in PracticePoint.objects.select_related("review").filter(themes=theme):
            if is_public(point):
                reviews[point.review.pk] = point.review
        national = [
            r
            for r in reviews.values()
            if r.review_type in ("national_panel", "nspcc") or r.area.strip().lower() == "national"
        ]
        years = sorted(r.published_on.year for r in reviews.values() if r.published_on)
        got = recurrence.theme_recurrence(theme)
        assert got.reviews == len(reviews)
        assert got.national == len(national) and got.local == len(reviews) - len(national)
        assert (got.first_year, got.last_year) == ((years[0], years[-1]) if years else (None, None))
        assert sum(row["count"] for row in got.by_year) == len([y for y in years])


def test_the_theme_page_shows_recurrence_and_a_timeline(recurring, client):
    html = client.get(recurring["theme"].get_absolute_url()).content.decode()
    assert "Raised in 4 reviews (3 local, 1 national) from 2019 to 2023." in html
    assert "<caption" in html and "Reviews by year" in html
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header">(\d{4})</th><td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>',
        html,
    )
    assert rows == [("2019", "1"), ("2020", "0"), ("2021", "2"), ("2022", "0"), ("2023", "1")]


def test_the_point_page_shows_similar_learning_with_the_count(recurring, client):
    point = recurring["points"][0]
    html = client.get(point.get_absolute_url()).content.decode()
    assert "Similar learning in other reviews (3)" in html
    for other in recurring["points"][1:4]:
        assert f'href="{other.get_absolute_url()}"' in html
    # Never a point that is not public.
    for hidden in recurring["points"][-2:]:
        assert f'href="{hidden.get_absolute_url()}"' not in html


def test_the_finder_sorts_by_most_recurrent(recurring, client):
    response = client.get("/practice-points/?theme=recurring-theme&sort=recurrent")
    assert "Most recurrent" in response.content.decode()
    points = list(response.context["points"])
    counts = [len(list(recurrence.similar_points(p))) for p in points]
    assert counts == sorted(counts, reverse=True) and counts[0] == 3
    assert {p.pk for p in points[:4]} == {p.pk for p in recurring["points"][:4]}


def test_the_staff_report_lists_most_recurrent_first(recurring, client):
    admin_login(client, make_role_user("reditor", EDITOR))
    response = client.get("/admin/recurring-findings/")
    html = response.content.decode()
    assert response.status_code == 200
    findings = response.context["findings"]
    assert [f.reviews for f in findings] == sorted((f.reviews for f in findings), reverse=True)
    assert findings[0].reviews == 4
    assert "Raised in 4 reviews" in html
    assert html.index("Raised in 4 reviews") < html.index("Raised in 2 reviews")


def test_the_api_gives_recurrence_updated_and_change_note(recurring, client):
    point = recurring["points"][0]
    body = client.get(f"/api/practice-points/{point.pk}/").json()
    assert body["recurrence"] == 3
    assert body["change_note"] is None
    assert body["updated"] is not None
    listed = client.get(
        "/api/practice-points/", {"theme": "recurring-theme", "page_size": 50}
    ).json()
    by_id = {p["id"]: p["recurrence"] for p in listed["results"]}
    for p in recurring["points"][:7]:
        assert by_id[p.pk] == len(list(recurrence.similar_points(p)))
    theme = client.get("/api/themes/recurring-theme/").json()
    assert theme["recurrence"] == {
        "reviews": 4,
        "local": 3,
        "national": 1,
        "first_year": 2019,
        "last_year": 2023,
    }
    assert Review.objects.filter(title="Child Draft R").exists()
