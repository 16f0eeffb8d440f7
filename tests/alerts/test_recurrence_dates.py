"""Recurrence counts years only of the reviews that have a date: "Raised in 3 reviews ...
in 2024" when one of the three had a date was wrong. The theme page and the staff report
say how many are dated and their years, and count the undated ones apart."""

from __future__ import annotations

import datetime
import re

import pytest

from tests.factories import PracticePointFactory, ReviewFactory, ThemeFactory
from tests.roles import EDITOR, admin_login, make_role_user

pytestmark = pytest.mark.django_db

D = datetime.date
# (review type, area, published on) of each review raising the theme.
CASES = {
    "one dated of three": [
        ("lcspr", "Leeds", D(2024, 5, 1)),
        ("rapid_review", "Hampshire", None),
        ("national_panel", "National", None),
    ],
    "two years and one undated": [
        ("lcspr", "Leeds", D(2019, 3, 1)),
        ("lcspr", "Hampshire", D(2022, 7, 1)),
        ("lcspr", "Leicester", None),
    ],
    "none dated": [("lcspr", "Leeds", None), ("nspcc", "Hampshire", None)],
    "all dated": [("lcspr", "Leeds", D(2020, 1, 1)), ("lcspr", "Leeds", D(2021, 1, 1))],
}


def expected(reviews) -> tuple[str, str]:
    """The sentence and the staff table's Years cell, worked out from the reviews."""
    total = len(reviews)
    national = sum(1 for kind, area, _ in reviews if kind in ("national_panel", "nspcc"))
    years = sorted(day.year for _, _, day in reviews if day is not None)
    undated = total - len(years)
    head = f"Raised in {total} reviews ({total - national} local, {national} national)"
    if years:
        span = f"in {years[0]}" if years[0] == years[-1] else f"from {years[0]} to {years[-1]}"
    if not undated:
        return f"{head} {span}.", span.split(" ", 1)[1]
    if not years:
        return f"{head}, none of them with a publication date.", f"{undated} with no date"
    return (
        f"{head}: {len(years)} published {span} and {undated} with no date.",
        f"{len(years)} {span}; {undated} with no date",
    )


def make_theme(name, reviews):
    theme = ThemeFactory(name=f"Dates {name}", slug=re.sub(r"\W+", "-", f"dates {name}"))
    for n, (kind, area, day) in enumerate(reviews):
        review = ReviewFactory(review_type=kind, area=area, published_on=day)
        # Two points per review: a review is counted once.
        for _ in range(2):
            PracticePointFactory(review=review, themes=[theme], text=f"Point {n} {name}.")
    return theme


@pytest.mark.parametrize("name", list(CASES))
def test_the_theme_page_says_which_reviews_are_dated(client, name):
    reviews = CASES[name]
    theme = make_theme(name, reviews)
    sentence, _ = expected(reviews)
    html = client.get(theme.get_absolute_url()).content.decode()
    assert f'<p class="govuk-body">{sentence}</p>' in html
    undated = sum(1 for *_, day in reviews if day is None)
    dated_years = {day.year for *_, day in reviews if day}
    no_date_row = re.search(
        r'<th scope="row" class="govuk-table__header">No date</th>'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>',
        html,
    )
    if undated and dated_years:
        # The timeline has the undated reviews on a row of their own.
        assert no_date_row and int(no_date_row.group(1)) == undated
    else:
        assert no_date_row is None


@pytest.mark.parametrize("name", list(CASES))
def test_the_staff_report_says_which_reviews_are_dated(client, name):
    reviews = CASES[name]
    theme = make_theme(name, reviews)
    _, years_cell = expected(reviews)
    admin_login(client, make_role_user("datesditor", EDITOR))
    html = client.get("/admin/recurring-findings/").content.decode()
    row = re.search(
        rf'<tr><th scope="row"><a href="{re.escape(theme.get_absolute_url())}">[^<]+</a></th>'
        r"(?:<td>[^<]*</td>){3}<td>([^<]*)</td></tr>",
        html,
    )
    assert row, html
    assert row.group(1) == years_cell
