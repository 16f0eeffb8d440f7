"""The page cache: anonymous public pages and the API from the shared cache, moved on by
every publish or edit, never for a signed-in person, revalidated with 304, and a cache
that is down changes nothing but speed."""

import re

import pytest
from django.core.cache import cache
from django.test import override_settings

from content.signals import content_published
from tests.factories import PracticePointFactory, ThemeFactory
from themes.models import Theme

pytestmark = [pytest.mark.django_db]

NONCE = re.compile(r'nonce="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache():
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True):
        yield
    cache.clear()


@pytest.fixture
def theme():
    theme = ThemeFactory(slug="cached-theme", summary="The first summary.")
    PracticePointFactory(themes=[theme], text="A point on the cached theme.")
    return theme


def test_second_request_is_served_from_the_cache_with_a_fresh_nonce(client, theme):
    first = client.get("/themes/cached-theme/")
    second = client.get("/themes/cached-theme/")
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    one, two = NONCE.findall(first.content.decode()), NONCE.findall(second.content.decode())
    assert one and two and one[0] != two[0]
    assert f"'nonce-{two[0]}'" in second["Content-Security-Policy"]
    assert NONCE.sub("", first.content.decode()) == NONCE.sub("", second.content.decode())
    assert "public" in second["Cache-Control"] and "max-age=" in second["Cache-Control"]
    assert second["ETag"] == first["ETag"] and second["Last-Modified"]


def test_revalidation_gets_304_until_the_content_changes(
    client, theme, django_capture_on_commit_callbacks
):
    etag = client.get("/themes/cached-theme/")["ETag"]
    assert client.get("/themes/cached-theme/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        Theme.objects.filter(pk=theme.pk).update(summary="x")  # no signal: not seen
        theme.summary = "The second summary."
        theme.save()
    response = client.get("/themes/cached-theme/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "The second summary." in response.content.decode()


def test_an_edit_or_a_publish_moves_the_generation_on(
    client, theme, django_capture_on_commit_callbacks
):
    client.get("/themes/cached-theme/")
    assert client.get("/themes/cached-theme/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        theme.summary = "An edited summary."
        theme.save()
    response = client.get("/themes/cached-theme/")
    assert response["X-Page-Cache"] == "miss"
    assert "An edited summary." in response.content.decode()
    # Unpublishing: the page is gone at once.
    with django_capture_on_commit_callbacks(execute=True):
        theme.status = "draft"
        theme.save()
    assert client.get("/themes/cached-theme/").status_code == 404
    # A publish announced by the workflow's signal alone also moves it on.
    client.get("/practice-points/")
    assert client.get("/practice-points/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        content_published.send(sender=Theme, instance=theme, user=None, major=False, change_note="")
    assert client.get("/practice-points/")["X-Page-Cache"] == "miss"


def test_signed_in_people_are_never_served_or_stored(client, theme, django_user_model):
    anonymous = client.get("/themes/cached-theme/")
    assert anonymous["X-Page-Cache"] == "miss"
    user = django_user_model.objects.create_user("reader", password="a long passphrase 1")
    client.force_login(user)
    signed_in = client.get("/themes/cached-theme/")
    assert "X-Page-Cache" not in signed_in
    assert "public" not in signed_in.get("Cache-Control", "")
    client.logout()
    cache.clear()
    client.force_login(user)
    client.get("/practice-points/")
    client.logout()
    client.cookies.clear()
    # What the signed-in person saw was not kept: the anonymous request is a miss.
    assert client.get("/practice-points/")["X-Page-Cache"] == "miss"


def test_the_api_is_cached_per_accept_header(client, theme):
    url = "/api/practice-points/"
    assert client.get(url, HTTP_ACCEPT="application/json")["X-Page-Cache"] == "miss"
    hit = client.get(url, HTTP_ACCEPT="application/json")
    assert hit["X-Page-Cache"] == "hit" and hit["Content-Type"].startswith("application/json")
    # Another Accept header is another entry: not answered with the JSON kept.
    assert client.get(url, HTTP_ACCEPT="text/html").get("X-Page-Cache") != "hit"
    # The API's own ETag revalidates a kept response too.
    assert (
        client.get(url, HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=hit["ETag"]).status_code
        == 304
    )


def test_other_pages_and_methods_are_not_cached(client, theme):
    assert "X-Page-Cache" not in client.get("/healthz/")
    assert "X-Page-Cache" not in client.get("/accounts/login/")
    assert "X-Page-Cache" not in client.head("/themes/cached-theme/")


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6399/0",  # nothing listens here
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            },
        }
    }
)
def test_a_cache_that_is_down_changes_nothing_but_speed(client, theme):
    for url in ("/themes/cached-theme/", "/practice-points/?q=cached", "/api/themes/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Page-Cache" not in response
