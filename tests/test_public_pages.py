"""Every public page answers on the seed content, carries the quick exit, and refuses
bad input with a clear page."""

import pytest

from content.models import Status
from practice_points.models import PracticePoint, Review
from themes.models import Theme

pytestmark = pytest.mark.django_db


def public_urls():
    point = PracticePoint.objects.published().first()
    return [
        "/",
        "/themes/",
        "/themes/professional-curiosity/",
        "/themes/myth-busting/",
        "/themes/agency-responsibilities/",
        "/practice-points/",
        "/practice-points/?day=thursday&agency=police",
        f"/practice-points/{point.pk}/",
        "/reviews/",
        "/reviews/?review_type=lcspr",
        "/reviews/child-d/",
        "/resources/",
        "/resources/?scope=national&theme=neglect",
        "/accessibility/",
    ]


def test_every_public_page_answers_and_carries_exit_this_page(seed, client):
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Exit this page" in html, url
        assert 'lang="en"' in html, url
        assert html.count("<h1") == 1, url
        assert 'href="#main-content"' in html, url


@pytest.mark.parametrize(
    "url",
    [
        "/themes/no-such-theme/",
        "/reviews/no-such-review/",
        "/practice-points/999999999/",
        "/practice-points/abc/",
        "/resources/?page=999",
    ],
)
def test_unknown_things_are_a_clear_404(seed, client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_draft_theme_or_review_is_not_public(seed, client):
    Theme.objects.filter(slug="supervision").update(status=Status.DRAFT)
    Review.objects.filter(slug="child-d").update(status=Status.DRAFT)
    assert client.get("/themes/supervision/").status_code == 404
    assert client.get("/reviews/child-d/").status_code == 404
    assert "Supervision" not in client.get("/themes/").content.decode()
    assert "Child D" not in client.get("/reviews/").content.decode()
    html = client.get("/practice-points/").content.decode()
    assert 'value="supervision"' not in html and 'value="child-d"' not in html


def test_the_home_page_shows_the_practice_week_programme(seed, client):
    html = client.get("/").content.decode()
    assert "Hampshire Safeguarding Practice Week" in html
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        assert day in html
    assert "Disproportionality" in html and "Professional curiosity" in html


def test_the_home_page_shows_today_when_the_week_is_live(seed, client, settings, monkeypatch):
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2024, 6, 27))
    html = client.get("/").content.decode()
    assert "Today in" in html and "Thursday" in html
    assert "?day=thursday" in html


def test_a_theme_page_is_an_overview_pack(seed, client):
    html = client.get("/themes/supervision/").content.decode()
    assert "Key messages" in html
    assert "Practice points" in html
    assert "Thursday" in html
    assert "Related reviews" in html
    assert "Resources" in html


def test_a_review_page_lists_its_learning_in_order_with_guidance(seed, client):
    review = Review.objects.get(slug="child-d")
    html = client.get("/reviews/child-d/").content.decode()
    points = list(review.practice_points.published().order_by("position"))
    positions = [html.index(f'id="point-{p.pk}"') for p in points]
    assert positions == sorted(positions)
    assert html.count("How to enhance your practice") >= len(points)


def test_reviews_filter_by_type_and_partnership(seed, client):
    response = client.get("/reviews/", {"review_type": "lcspr"})
    reviews = list(response.context["reviews"])
    assert "Child D" in response.content.decode()
    assert reviews and all(review.review_type == "lcspr" for review in reviews)
    leeds = client.get("/reviews/", {"partnership": reviews[0].partnership}).context["reviews"]
    assert all(review.partnership == reviews[0].partnership for review in leeds)
    bad = client.get("/reviews/", {"review_type": "<b>x</b>", "partnership": "nowhere"})
    assert bad.status_code == 200
    assert "we did not recognise" in bad.content.decode()
    assert "<b>x</b>" not in bad.content.decode()


def test_resources_filter_by_type_scope_theme_and_text(seed, client):
    all_count = client.get("/resources/").context["result_count"]
    national = client.get("/resources/", {"scope": "national"}).context["result_count"]
    local = client.get("/resources/", {"scope": "local"}).context["result_count"]
    assert national + local == all_count and national and local
    neglect = client.get("/resources/", {"theme": "neglect"}).context
    assert 0 < neglect["result_count"] < all_count
    briefings = client.get("/resources/", {"resource_type": "seven_minute_briefing"}).context
    assert all(r.resource_type == "seven_minute_briefing" for r in briefings["resources"])
    text = client.get("/resources/", {"q": "neglect"}).context
    assert text["result_count"] >= 1
    bad = client.get("/resources/", {"scope": "galactic"})
    assert bad.status_code == 200 and "we did not recognise" in bad.content.decode()
