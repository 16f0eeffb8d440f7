"""No page renders an unbounded list: a theme with many points and reviews shows the first
ones and links to the finder for the rest; the finder's review list is bounded too."""

import re
from collections import Counter

import pytest

from practice_points import views as point_views
from practice_points.models import PracticePoint, Review
from tests.factories import PracticePointFactory, ReviewFactory, ThemeFactory
from themes import views as theme_views

pytestmark = pytest.mark.django_db


def test_a_theme_with_many_points_and_reviews_shows_the_first_and_links_to_the_finder(
    client,
):
    theme = ThemeFactory(slug="big-theme")
    reviews = ReviewFactory.create_batch(theme_views.THEME_REVIEWS_SHOWN + 5)
    for i, review in enumerate(reviews):
        PracticePointFactory(review=review, themes=[theme], text=f"Point {i}")
    html = client.get("/themes/big-theme/").content.decode()
    points = re.findall(r'href="/practice-points/\d+/', html)
    assert len(set(points)) == theme_views.THEME_POINTS_SHOWN
    listed = [r for r in reviews if f'href="{r.get_absolute_url()}"' in html]
    assert len(listed) == theme_views.THEME_REVIEWS_SHOWN
    total = len(reviews)
    assert f"See the learning from all {total} in the practice points finder" in html
    assert f"See all {total} practice points" in html
    assert "/practice-points/?theme=big-theme" in html


def test_a_small_theme_lists_everything_without_the_note(client):
    theme = ThemeFactory(slug="small-theme")
    PracticePointFactory(themes=[theme])
    html = client.get("/themes/small-theme/").content.decode()
    assert "in the practice points finder" not in html


def test_the_finder_offers_at_most_so_many_reviews_the_chosen_one_included(client, monkeypatch):
    monkeypatch.setattr(point_views, "REVIEW_OPTIONS", 3)
    theme = ThemeFactory()
    reviews = ReviewFactory.create_batch(6)
    for i, review in enumerate(reviews):
        for _ in range(i + 1):  # review i has i + 1 points
            PracticePointFactory(review=review, themes=[theme])
    chosen = reviews[0]  # the fewest points
    html = client.get("/practice-points/", {"review": chosen.slug}).content.decode()
    block = re.search(r'<select[^>]*id="review".*?</select>', html, re.S).group(0)
    offered = re.findall(r'<option value="([^"]+)"', block)
    assert chosen.slug in offered
    # The 3 with most points here (with the review chosen, the others' counts are what
    # choosing them instead would give) and the chosen one.
    assert len(offered) <= 4
    # Unfiltered: the 3 reviews with the most public points, worked out here from the
    # rows, in title order.
    per_review = Counter(
        PracticePoint.objects.public().exclude(review=None).values_list("review__slug", flat=True)
    )
    titles = dict(Review.objects.values_list("slug", "title"))
    top = sorted(per_review, key=lambda slug: (-per_review[slug], titles[slug]))[:3]
    html = client.get("/practice-points/").content.decode()
    block = re.search(r'<select[^>]*id="review".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="([^"]+)"', block) == sorted(top, key=titles.get)
