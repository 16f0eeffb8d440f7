"""Issue 15, finding 7: anonymous visitors cannot flood the content-gaps report. A search
that found nothing is recorded at most once per client per period; one client adds at
most a few new queries a day; the report keeps at most a set number of rows and forgets
old ones; staff see how many different clients searched for each query."""

import datetime
import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from search.models import ZeroResultQuery

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def search(client, q, address):
    response = client.get("/search/", {"q": q}, REMOTE_ADDR=address)
    assert response.status_code == 200
    return response


def test_one_client_repeating_a_search_is_recorded_once(seed):
    client = Client()
    for _ in range(20):
        search(client, "zorbulent quagmire", "198.51.100.30")
    row = ZeroResultQuery.objects.get(query="zorbulent quagmire")
    assert row.count == 1
    assert row.clients == 1


def test_different_clients_are_counted_as_distinct_clients(seed):
    client = Client()
    for n in range(4):
        for _ in range(3):
            search(client, "zorbulent quagmire", f"198.51.100.{40 + n}")
    row = ZeroResultQuery.objects.get(query="zorbulent quagmire")
    assert row.clients == 4
    assert row.count == 4  # once per client per period


def test_600_random_queries_from_one_client_add_only_a_few_rows(seed, settings):
    client = Client()
    for n in range(60):
        search(client, f"gibberish{uuid.uuid4().hex[:8]} {n}", "198.51.100.50")
    assert ZeroResultQuery.objects.count() == settings.SEARCH_GAPS_PER_CLIENT_PER_DAY
    # Another client's gap is still recorded.
    search(client, "plonkvish treemble", "198.51.100.51")
    assert ZeroResultQuery.objects.filter(query="plonkvish treemble").exists()


def test_rows_are_capped_keeping_those_more_people_searched_for(seed, settings):
    settings.SEARCH_GAPS_MAX_ROWS = 5
    today = timezone.localdate()
    for n in range(5):
        ZeroResultQuery.objects.create(query=f"gap {n}", date=today, count=n + 1, clients=n + 1)
    search(Client(), "snorquel vantrip", "198.51.100.52")
    assert ZeroResultQuery.objects.count() == 5
    assert ZeroResultQuery.objects.filter(query="snorquel vantrip").exists()
    assert not ZeroResultQuery.objects.filter(query="gap 0").exists()  # the fewest people


def test_old_rows_age_out(seed, settings):
    settings.SEARCH_GAPS_KEEP_DAYS = 30
    today = timezone.localdate()
    ZeroResultQuery.objects.create(
        query="ancient gap", date=today - datetime.timedelta(days=31), count=5, clients=5
    )
    ZeroResultQuery.objects.create(
        query="recent gap", date=today - datetime.timedelta(days=29), count=5, clients=5
    )
    search(Client(), "glimbo frastle", "198.51.100.53")
    assert set(ZeroResultQuery.objects.values_list("query", flat=True)) == {
        "recent gap",
        "glimbo frastle",
    }


def test_staff_see_distinct_clients_per_query(seed, staff_client):
    today = timezone.localdate()
    ZeroResultQuery.objects.create(query="many people gap", date=today, count=9, clients=9)
    ZeroResultQuery.objects.create(query="one flooder gap", date=today, count=1, clients=1)
    html = staff_client.get(reverse("admin:search_zeroresultquery_changelist")).content.decode()
    assert "People searching" in html
    assert html.index("many people gap") < html.index("one flooder gap")


def test_the_finder_records_by_client_too(seed):
    client = Client()
    for address in ("198.51.100.60", "198.51.100.60", "198.51.100.61"):
        response = client.get("/practice-points/", {"q": "vorplesnatch"}, REMOTE_ADDR=address)
        assert response.status_code == 200
    row = ZeroResultQuery.objects.get(query="vorplesnatch")
    assert (row.count, row.clients) == (2, 2)
