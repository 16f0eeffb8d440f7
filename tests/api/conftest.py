import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Each test starts with no requests counted against the anonymous throttle."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(client):
    """GET an API URL and return the decoded JSON, asserting the status."""

    def get(url, params=None, status=200):
        response = client.get(url, params or {})
        assert response.status_code == status, (url, params, response.content[:500])
        assert response["Content-Type"].startswith("application/json")
        return response.json()

    return get
