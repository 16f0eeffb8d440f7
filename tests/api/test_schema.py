"""The OpenAPI schema and its Swagger UI docs, served with no CDN."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests.api.support import POINT_FIELDS

pytestmark = pytest.mark.django_db

OPERATIONS = [
    "/api/practice-points/",
    "/api/practice-points/{id}/",
    "/api/themes/",
    "/api/themes/{slug}/",
    "/api/reviews/",
    "/api/reviews/{slug}/",
    "/api/resources/",
    "/api/resources/{id}/",
    "/api/agencies/",
    "/api/agencies/{slug}/",
]


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_openapi_3_with_every_endpoint_and_only_get(schema):
    assert schema["openapi"].startswith("3.")
    assert sorted(schema["paths"]) == sorted(OPERATIONS)
    for path, operations in schema["paths"].items():
        assert set(operations) == {"get"}, path


def test_the_schema_is_served_as_yaml_too(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert "openapi" in response["Content-Type"]
    assert response.content.startswith(b"openapi: 3.")


def parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"].get("parameters", [])}


def test_every_filter_is_described(schema):
    expected = {
        "/api/practice-points/": {
            "q",
            "theme",
            "agency",
            "day",
            "review",
            "review_type",
            "page",
            "page_size",
        },
        "/api/resources/": {"q", "resource_type", "scope", "theme", "page", "page_size"},
        "/api/themes/": {"page", "page_size"},
    }
    for path, names in expected.items():
        params = parameters(schema, path)
        assert set(params) == names, path
        for name, param in params.items():
            assert len(param.get("description", "")) > 10, (path, name)
    points = parameters(schema, "/api/practice-points/")
    assert points["theme"]["schema"]["type"] == "array"
    assert points["theme"]["explode"] is True
    assert set(points["day"]["schema"]["enum"]) >= {"monday", "friday"}
    assert "capped to 100" in points["page_size"]["description"]


def test_every_field_is_in_the_schema(schema):
    components = schema["components"]["schemas"]
    assert set(components["PracticePoint"]["properties"]) == POINT_FIELDS
    assert components["PracticePoint"]["properties"]["review"]["nullable"] is True
    assert set(components["Theme"]["properties"]) == {
        "slug",
        "name",
        "kind",
        "summary",
        "days",
        "practice_point_count",
        "recurrence",
    }
    assert set(components["Review"]["properties"]) == {
        "slug",
        "title",
        "review_type",
        "partnership",
        "published_on",
        "summary",
        "source_url",
        "learning_point_count",
    }
    assert set(components["Resource"]["properties"]) == {
        "id",
        "title",
        "url",
        "resource_type",
        "scope",
        "publisher",
        "published_on",
        "themes",
    }
    assert set(components["Agency"]["properties"]) == {"slug", "name"}
    paginated = components["PaginatedPracticePointList"]["properties"]
    assert set(paginated) == {"count", "next", "previous", "results"}


def test_errors_are_documented(schema):
    for path in OPERATIONS:
        responses = schema["paths"][path]["get"]["responses"]
        assert {"200", "404", "429"} <= set(responses), path


SRC_OR_HREF = re.compile(r'\b(?:src|href)="([^"]*)"')


def test_the_docs_page_uses_only_local_assets_and_no_inline_script(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = SRC_OR_HREF.findall(html)
    assert urls
    assets = [url for url in urls if not url.startswith("/api/docs/")]
    # Every asset (Swagger UI's CSS, JS and favicon) is under /static/, from the sidecar.
    assert len(assets) == 4, urls
    for url in assets:
        assert url.startswith("/static/drf_spectacular_sidecar/"), url
        assert finders.find(url.removeprefix("/static/")), url
    # The start-up script comes from this page's own URL, not inline.
    assert [url for url in urls if url.startswith("/api/docs/")] == ["/api/docs/?script="]
    assert "cdn" not in html.lower() and "http" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html


def test_the_docs_start_up_script_loads_the_schema(client):
    response = client.get("/api/docs/", {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    script = response.content.decode()
    assert '"/api/schema/"' in script
    assert "validatorUrl" in script  # switched off: no call to an online validator
    assert "https://" not in script
