"""Searches that found nothing are counted, per normalised query and day, with nothing
about who searched; staff read them in the admin as content gaps."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from search.models import ZeroResultQuery
from search.services import zero_result_record

pytestmark = pytest.mark.django_db


def test_a_search_with_no_results_is_counted_without_personal_data(client, django_user_model):
    user = django_user_model.objects.create_user("searcher", "s@example.org", "pw-long-enough-1")
    client.force_login(user)
    for q, address in (
        ("Xylophonic  QUANDARY", "203.0.113.7"),
        ("xylophonic quandary", "203.0.113.8"),
    ):
        response = client.get("/search/", {"q": q}, REMOTE_ADDR=address)
        assert response.status_code == 200
    rows = list(ZeroResultQuery.objects.values())
    assert len(rows) == 1
    row = rows[0]
    assert row["query"] == "xylophonic quandary"
    assert row["count"] == 2 and row["clients"] == 2
    assert row["date"] == timezone.localdate()
    # Only the words, the day and the counts: no user, address, session or agent.
    assert {f.name for f in ZeroResultQuery._meta.get_fields()} == {
        "id",
        "query",
        "date",
        "count",
        "clients",
    }
    stored = " ".join(str(value) for value in row.values())
    for personal in ("searcher", "203.0.113.7", "s@example.org"):
        assert personal not in stored


def test_the_finder_counts_a_search_with_no_results_but_not_a_narrowed_one(client, seed):
    client.get("/practice-points/", {"q": "plumbusology"})
    assert ZeroResultQuery.objects.get(query="plumbusology").count == 1
    client.get("/practice-points/", {"q": "neglect"})  # found something
    client.get("/practice-points/", {"q": "neglect", "review_type": "rapid_review"})
    assert not ZeroResultQuery.objects.filter(query="neglect").exists()


def test_searches_that_find_something_or_nothing_to_search_are_not_counted(client, seed):
    for q in ("neglect", "", "   ", "!!!"):
        client.get("/search/", {"q": q})
    assert ZeroResultQuery.objects.count() == 0


def test_counts_are_incremented_atomically_per_day(rf):
    for n in range(5):
        zero_result_record("Flibbertigibbet", rf.get("/search/", REMOTE_ADDR=f"203.0.113.{n}"))
    row = ZeroResultQuery.objects.get()
    assert row.count == 5 and row.query == "flibbertigibbet"
    ZeroResultQuery.objects.create(
        query="flibbertigibbet", date=timezone.localdate() - datetime.timedelta(days=1), count=9
    )
    zero_result_record("flibbertigibbet", rf.get("/search/", REMOTE_ADDR="203.0.113.99"))
    assert ZeroResultQuery.objects.get(date=timezone.localdate()).count == 6


def test_staff_see_content_gaps_read_only_by_count_with_a_date_filter(staff_client):
    today = timezone.localdate()
    ZeroResultQuery.objects.create(query="rare gap", date=today, count=2)
    ZeroResultQuery.objects.create(query="common gap", date=today, count=40)
    old = ZeroResultQuery.objects.create(
        query="old gap", date=today - datetime.timedelta(days=60), count=7
    )
    url = reverse("admin:search_zeroresultquery_changelist")
    html = staff_client.get(url).content.decode()
    assert "Content gaps" in html or "content gaps" in html
    assert html.index("common gap") < html.index("old gap") < html.index("rare gap")
    filtered = staff_client.get(url, {"date__gte": str(today - datetime.timedelta(days=7))})
    assert filtered.status_code == 200
    assert "old gap" not in filtered.content.decode() and "common gap" in filtered.content.decode()
    assert staff_client.get(reverse("admin:search_zeroresultquery_add")).status_code == 403
    change = reverse("admin:search_zeroresultquery_change", args=[old.pk])
    staff_client.post(change, {"query": "edited", "date": str(today), "count": 1})
    old.refresh_from_db()
    assert old.query == "old gap"  # read-only
