"""Change notes (the workflow and the admin form), What's new, and the Atom feeds: valid,
the finder's points in the finder's order, ETag."""

from __future__ import annotations

import re

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from alerts.models import ChangeNote
from backoffice.workflow import content_set_status
from practice_points import selectors
from practice_points.models import PracticePoint
from tests.backoffice.change_forms import change_url, form_data
from tests.roles import admin_login

from .conftest import draft_point

pytestmark = pytest.mark.django_db

POINT_LINK = re.compile(r"/practice-points/(\d+)/")


def test_a_major_change_needs_a_note_and_nothing_is_saved_without_one(alerts_world):
    point = draft_point(alerts_world)
    with pytest.raises(ValidationError):
        content_set_status(
            point, "published", user=alerts_world["publisher"], major=True, change_note="  "
        )
    point.refresh_from_db()
    assert point.status == "draft"
    assert not ChangeNote.objects.exists()


def test_publishing_records_the_note_and_the_page_shows_it(alerts_world, publish, client):
    point = publish(
        draft_point(alerts_world),
        alerts_world["publisher"],
        note="Guidance on strategy discussions added.",
    )
    note = ChangeNote.objects.get()
    assert note.major and note.item == point and note.user == alerts_world["publisher"]
    html = client.get(point.get_absolute_url()).content.decode()
    day = note.created_at
    assert (
        f'Updated <time datetime="{day:%Y-%m-%d}">{day.day} {day:%B %Y}</time>:</strong> Guidance on strategy discussions added.'
        in html
    )
    # A minor change is recorded but the page keeps the last major note.
    publish(point, alerts_world["publisher"], major=False, note="")
    assert ChangeNote.objects.count() == 2
    assert (
        "Guidance on strategy discussions added."
        in client.get(point.get_absolute_url()).content.decode()
    )
    # Themes and reviews show theirs too.
    theme = alerts_world["theme"]
    theme.status = "draft"
    theme.save()
    publish(theme, alerts_world["publisher"], note="Theme overview rewritten.")
    assert "Theme overview rewritten." in client.get(theme.get_absolute_url()).content.decode()


def test_bulk_publication_counts_as_first_published(
    alerts_world, django_capture_on_commit_callbacks
):
    point = draft_point(alerts_world)
    with django_capture_on_commit_callbacks(execute=True):
        content_set_status(point, "published", user=alerts_world["publisher"])
    note = ChangeNote.objects.get()
    assert note.major and note.note == "First published."


def test_the_admin_form_asks_major_or_minor(
    alerts_world, client, django_capture_on_commit_callbacks
):
    admin_login(client, alerts_world["publisher"])
    point = draft_point(alerts_world)
    page = client.get(change_url(point))
    html = page.content.decode()
    assert 'name="_change_kind" value="major"' in html and 'name="_change_note"' in html
    data = form_data(page, _workflow="publish", _change_asked="1")
    refused = client.post(change_url(point), data)
    assert (
        refused.status_code == 200
        and "Say whether this is a major change" in refused.content.decode()
    )
    refused = client.post(change_url(point), {**data, "_change_kind": "major", "_change_note": ""})
    assert "A major change needs a one-line change note" in refused.content.decode()
    point.refresh_from_db()
    assert point.status == "draft" and not ChangeNote.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            change_url(point),
            {**data, "_change_kind": "major", "_change_note": "New learning on home visits."},
        )
    assert done.status_code == 302
    point.refresh_from_db()
    assert point.status == "published"
    assert ChangeNote.objects.get().note == "New learning on home visits."
    # "Save and keep published": a minor change, recorded, nothing for alerts.
    page = client.get(change_url(point))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            change_url(point),
            form_data(
                page,
                _workflow="save_published",
                _change_asked="1",
                _change_kind="minor",
                guidance="Fixed a typo.",
            ),
        )
    latest = ChangeNote.objects.order_by("-id").first()
    assert not latest.major and latest.note == ""
    point.refresh_from_db()
    assert point.guidance == "Fixed a typo."


def test_whats_new_lists_public_major_changes_newest_first(alerts_world, publish, client):
    first = publish(
        draft_point(alerts_world, text="First point text."),
        alerts_world["publisher"],
        note="Note one.",
    )
    second = publish(
        draft_point(alerts_world, text="Second point text."),
        alerts_world["publisher"],
        note="Note two.",
    )
    hidden = publish(
        draft_point(alerts_world, text="Hidden point text."),
        alerts_world["publisher"],
        note="Note hidden.",
    )
    publish(first, alerts_world["publisher"], major=False, note="")
    PracticePoint.objects.filter(pk=hidden.pk).update(status="draft")
    html = client.get("/whats-new/").content.decode()
    assert html.index("Note two.") < html.index("Note one.")
    assert "Note hidden." not in html
    assert f'href="{second.get_absolute_url()}"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    feed = feedparser.parse(client.get("/whats-new/feed/").content)
    assert not feed.bozo and feed.version == "atom10"
    assert [e.summary for e in feed.entries][:2] == ["Note two.", "Note one."]
    assert all("Note hidden." != e.summary for e in feed.entries)


def finder_ids(client, query: str) -> list[int]:
    response = client.get(f"/practice-points/?{query}&page_size=50")
    return [p.pk for p in response.context["points"]]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "theme=professional-curiosity",
        "agency=police&agency=health",
        "review_type=lcspr&sort=theme",
        "q=was+not+brought",
        "theme=neglect&agency=education&sort=newest",
        "sort=recurrent",
    ],
)
def test_the_feed_gives_the_finders_points_in_the_finders_order(seed, client, query):
    feed_response = client.get(f"/practice-points/feed/?{query}")
    assert feed_response.status_code == 200
    assert feed_response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(feed_response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    ids = [int(POINT_LINK.search(entry.link).group(1)) for entry in feed.entries]
    expected = finder_ids(client, query)
    assert ids == expected[: len(ids)] and len(ids) == min(50, len(expected))
    # Independently: the selector's own order for the same data.
    filterset = selectors.practice_point_filterset(feed_response.wsgi_request.GET)
    sort = selectors.practice_point_sort(filterset, feed_response.wsgi_request.GET.get("sort"))
    assert ids == [p.pk for p in selectors.practice_point_results(filterset, sort=sort)[:50]]
    for entry in feed.entries:
        assert entry.title and entry.id and entry.updated


def test_the_feed_refuses_unknown_filters_as_the_api_does(seed, client):
    response = client.get("/practice-points/feed/?theme=no-such-theme")
    assert response.status_code == 400
    assert "theme" in response.content.decode()


def test_the_feed_has_an_etag_and_answers_304(seed):
    client = Client()
    first = client.get("/practice-points/feed/?theme=neglect")
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    again = client.get("/practice-points/feed/?theme=neglect", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    other = client.get("/practice-points/feed/?theme=supervision", HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200


def test_the_finder_links_its_feed_and_alerts(seed, client):
    html = client.get("/practice-points/?theme=neglect&sort=newest").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Atom feed of these practice points" href="/practice-points/feed/?theme=neglect">'
        in html
    )
    assert 'href="/alerts/subscribe/?theme=neglect"' in html
    assert "Get emails about this search" in html
    theme_page = client.get("/themes/neglect/").content.decode()
    # The theme page's link names the theme, and the subscribe page goes back to it.
    assert 'href="/alerts/subscribe/?theme=neglect&amp;from=theme"' in theme_page
    assert "Get emails about Neglect" in theme_page


def test_privacy_notice_is_linked_from_the_footer(seed, client):
    home = client.get("/").content.decode()
    assert 'href="/privacy/"' in home and 'href="/whats-new/"' in home
    page = client.get("/privacy/").content.decode()
    assert "after 7 days" in page and "after 28 days" in page
