"""Errors, methods, pagination limits, HTTP caching and throttling."""

import pytest

from resources.models import Resource
from themes.models import Agency

pytestmark = pytest.mark.django_db

LISTS = ["practice-points", "themes", "reviews", "resources", "agencies"]


@pytest.mark.parametrize(
    ("url", "params", "named"),
    [
        ("/api/practice-points/", {"theme": "nope"}, "theme"),
        ("/api/practice-points/", {"theme": ["supervision", "nope"]}, "theme"),
        ("/api/practice-points/", {"agency": "nope"}, "agency"),
        ("/api/practice-points/", {"day": "sunday"}, "day"),
        ("/api/practice-points/", {"review": "nope"}, "review"),
        ("/api/practice-points/", {"review_type": "x"}, "review_type"),
        ("/api/practice-points/", {"q": "x" * 501}, "q"),
        ("/api/practice-points/", {"page_size": "abc"}, "page_size"),
        ("/api/practice-points/", {"page_size": "0"}, "page_size"),
        ("/api/practice-points/", {"page_size": "-5"}, "page_size"),
        ("/api/themes/", {"page_size": "1.5"}, "page_size"),
        ("/api/resources/", {"scope": "galactic"}, "scope"),
        ("/api/resources/", {"resource_type": "x"}, "resource_type"),
        ("/api/resources/", {"theme": "nope"}, "theme"),
    ],
)
def test_an_invalid_parameter_is_a_400_naming_it(seed, api, url, params, named):
    body = api(url, params, status=400)
    assert list(body) == [named]
    assert isinstance(body[named], list) and body[named][0]


def test_an_unknown_theme_says_which_choice(seed, api):
    body = api("/api/practice-points/", {"theme": "nope"}, status=400)
    assert body == {"theme": ["Select a valid choice. nope is not one of the available choices."]}


def test_a_big_page_size_is_capped_at_100(seed, api):
    assert Resource.objects.published().count() > 100
    body = api("/api/resources/", {"page_size": 5000})
    assert len(body["results"]) == 100
    assert "page_size=5000" in body["next"]
    assert len(api("/api/resources/", {"page_size": 100})["results"]) == 100


def test_a_page_past_the_end_is_a_404_with_json(seed, api):
    body = api("/api/agencies/", {"page": 999}, status=404)
    assert "no page 999" in body["detail"]
    assert "detail" in api("/api/agencies/", {"page": "abc"}, status=404)


@pytest.mark.parametrize(
    "url",
    [
        "/api/practice-points/999999/",
        "/api/themes/no-such-theme/",
        "/api/reviews/no-such-review/",
        "/api/resources/999999/",
        "/api/agencies/no-such-agency/",
    ],
)
def test_an_unknown_id_or_slug_is_a_404_with_json(seed, api, url):
    assert "detail" in api(url, status=404)


def test_a_malformed_id_or_slug_is_a_404(seed, client):
    assert client.get("/api/practice-points/abc/").status_code == 404
    assert client.get("/api/themes/not%20a%20slug/").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/agencies/", "/api/agencies/police/", "/api/themes/"])
def test_the_api_is_read_only(seed, client, method, url):
    response = getattr(client, method)(
        url, {"slug": "x", "name": "x"}, content_type="application/json"
    )
    assert response.status_code == 405
    assert response.json()["detail"].startswith(f'Method "{method.upper()}" not allowed')
    assert Agency.objects.filter(slug="x").count() == 0
    assert Agency.objects.filter(slug="police").exists()


@pytest.mark.parametrize("name", LISTS)
def test_responses_may_be_kept_but_must_be_revalidated(seed, client, name):
    response = client.get(f"/api/{name}/")
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"no-cache"}
    assert response["ETag"]


def test_errors_are_not_cached(seed, client):
    response = client.get("/api/themes/no-such-theme/")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


def test_an_unchanged_resource_is_a_304(seed, client):
    first = client.get("/api/agencies/police/")
    etag = first["ETag"]
    again = client.get("/api/agencies/police/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert "no-cache" in again["Cache-Control"]

    listed = client.get("/api/agencies/")
    assert client.get("/api/agencies/", HTTP_IF_NONE_MATCH=listed["ETag"]).status_code == 304
    other = client.get("/api/agencies/", {"page_size": 3}, HTTP_IF_NONE_MATCH=listed["ETag"])
    assert other.status_code == 200


def test_the_etag_changes_when_the_content_changes(seed, client):
    first = client.get("/api/agencies/police/")
    Agency.objects.filter(slug="police").update(name="Police and crime")
    changed = client.get("/api/agencies/police/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed.json()["name"] == "Police and crime"
    assert changed["ETag"] != first["ETag"]


def test_too_many_requests_are_a_429_saying_when_to_retry(seed, client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"},
    }
    for _ in range(3):
        assert client.get("/api/agencies/").status_code == 200
    response = client.get("/api/themes/")
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= 60
    body = response.json()
    assert body["retry_after"] == wait
    assert f"Try again in {wait} second" in body["detail"]
    assert "public" not in response.get("Cache-Control", "")


def test_the_throttle_counts_the_connection_not_a_forged_forwarded_for(seed, client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"},
    }
    statuses = [
        client.get("/api/agencies/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]
