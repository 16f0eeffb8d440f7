"""Freshness on the public pages: each published theme, practice point, review and
resource says when it was last checked against current guidance."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import PracticePointFactory, ResourceFactory, ReviewFactory, ThemeFactory

pytestmark = pytest.mark.django_db

CHECKED = datetime.date(2025, 3, 4)


def test_theme_point_and_review_pages_say_when_they_were_last_reviewed(client):
    theme = ThemeFactory(last_reviewed=CHECKED)
    review = ReviewFactory(last_reviewed=datetime.date(2024, 12, 25))
    point = PracticePointFactory(
        review=review, themes=[theme], last_reviewed=datetime.date(2025, 1, 9)
    )
    page = client.get(theme.get_absolute_url()).content.decode()
    assert 'Last reviewed <time datetime="2025-03-04">4 March 2025</time>' in page
    page = client.get(point.get_absolute_url()).content.decode()
    assert 'Last reviewed <time datetime="2025-01-09">9 January 2025</time>' in page
    page = client.get(review.get_absolute_url()).content.decode()
    assert 'Last reviewed <time datetime="2024-12-25">25 December 2024</time>' in page


def test_each_resource_in_the_list_says_when_it_was_last_reviewed(client):
    ResourceFactory(title="Checked procedure", last_reviewed=CHECKED)
    response = client.get(reverse("resources:list"), {"q": "Checked procedure"})
    page = response.content.decode()
    assert "Checked procedure" in page
    assert 'Last reviewed <time datetime="2025-03-04">4 March 2025</time>' in page
