"""The admin home's counts: each one links to a list, and the list shows exactly that
many items. The number on the home page is checked against the list page it links to
(the admin's own count of its filtered rows, or the rows of the back office page) and
against what this test made, counted by hand."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from content.models import LinkCheckStatus, Status
from practice_points.models import PracticePoint
from resources.models import LinkKind
from search.models import ZeroResultQuery
from tests.factories import PracticePointFactory, ResourceFactory, ReviewFactory

pytestmark = pytest.mark.django_db

COUNT_LINK = re.compile(r'<a class="app-count" href="(?P<url>[^"]+)"[^>]*>(?P<count>\d+)</a>')


def counts_on_home(client) -> list[tuple[str, int]]:
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    return [
        (html.unescape(m.group("url")), int(m.group("count")))
        for m in COUNT_LINK.finditer(page.content.decode())
    ]


def rows_on(client, url: str) -> int:
    """How many items the page at ``url`` lists."""
    page = client.get(url)
    assert page.status_code == 200, url
    context = page.context
    if "cl" in context:  # an admin list: its count of the filtered rows
        changelist = context["cl"]
        shown = len(changelist.result_list)
        assert shown == min(changelist.result_count, changelist.list_per_page)
        return changelist.result_count
    if "pairs" in context:
        body = page.content.decode()
        table = body[body.index('id="likely-duplicates"') :]
        table = table[: table.index("</table>")]
        rows = table.count("<tr>") - 1  # less the header row
        assert rows == (len(context["pairs"]) or 1)  # (one row says "none")
        return len(context["pairs"])
    if "attention" in context:
        body = page.content.decode()
        table = body[body.index('id="not-direct-attention"') :]
        table = table[: table.index("</table>")]
        assert table.count("<tr>") - 1 == (len(context["attention"]) or 1)
        return len(context["attention"])
    raise AssertionError(f"not a list page: {url}")


@pytest.fixture
def work(seed):
    """Things that need attention, on top of the (all published) seed content."""
    past = datetime.date(2020, 1, 1)
    made = {
        "point_drafts": PracticePointFactory.create_batch(3, status=Status.DRAFT),
        "point_in_review": PracticePointFactory.create_batch(2, status=Status.IN_REVIEW),
        "due_review": ReviewFactory(review_by=past),
        "broken": ResourceFactory(
            status=Status.DRAFT, link_status=LinkCheckStatus.BROKEN, link_error="404 Not Found"
        ),
        "home_page": ResourceFactory(
            url="https://www.example-partnership.org.uk/", publisher="Example Partnership"
        ),
        "labelled_home_page": ResourceFactory(
            url="https://www.example-partnership.org.uk/",
            publisher="Example Partnership",
            link_kind=LinkKind.PUBLISHER_WEBSITE,
        ),
        "duplicate": PracticePointFactory(
            text=PracticePoint.objects.get(slug="llr-harm-01").text.upper() + "  ",
            status=Status.DRAFT,
        ),
    }
    today = datetime.date.today()
    ZeroResultQuery.objects.create(query="fgm", date=today, count=3)
    ZeroResultQuery.objects.create(query="old gap", date=today - datetime.timedelta(days=90))
    return made


@pytest.mark.parametrize(
    "client_fixture", ["editor_client", "publisher_client", "partnership_admin_client"]
)
def test_each_count_on_the_admin_home_equals_its_lists_count(request, work, client_fixture):
    client = request.getfixturevalue(client_fixture)
    counts = counts_on_home(client)
    assert len(counts) >= 6 * 3  # drafts, in review, due for each kind of content
    for url, shown in counts:
        assert rows_on(client, url) == shown, url


def test_the_counts_are_what_was_made(publisher_client, work):
    counts = dict(counts_on_home(publisher_client))

    def count_for(url_prefix: str, **params) -> int:
        wanted = url_prefix + ("?" + "&".join(f"{k}={v}" for k, v in params.items()))
        return counts[wanted]

    points = reverse("admin:practice_points_practicepoint_changelist")
    # The seed is all published: what this test made is all there is to count.
    assert count_for(points, status__exact="draft") == 3 + 1
    assert count_for(points, status__exact="in_review") == 2
    reviews = reverse("admin:practice_points_review_changelist")
    assert count_for(reviews, due_for_review="due") == 1
    assert counts[reverse("admin:backoffice_brokenresourcelink_changelist")] == 1
    assert counts[reverse("backoffice_not_direct_links")] == 1  # the unlabelled one
    # The seed's two repeated LLR points, and the upper-cased copy made here.
    assert counts[reverse("backoffice_likely_duplicates")] == 3
    gaps = [count for url, count in counts.items() if "zeroresultquery" in url]
    assert gaps == [1]


def test_a_count_is_a_link_to_its_list_for_staff_only(client, work):
    page = client.get(reverse("admin:index"))
    assert page.status_code == 302  # signed out: to the sign-in page, no counts
