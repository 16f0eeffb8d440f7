"""A database that cannot be reached gives a clear 503 with Retry-After (never a hang nor
a bare 500), and other errors still the usual 500 page."""

import pytest
from django.db import OperationalError
from django.test import Client

from practice_points import views


@pytest.mark.django_db
def test_database_unreachable_is_a_503(monkeypatch):
    def down(request):
        raise OperationalError("connection to server at 127.0.0.1, port 5544 failed")

    monkeypatch.setattr(views, "practice_point_finder", down)
    from django.urls import clear_url_caches

    clear_url_caches()
    client = Client(raise_request_exception=False)
    response = client.get("/practice-points/")
    clear_url_caches()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "cannot reach its database" in response.content.decode()


def test_other_errors_are_500(rf):
    from reviews_toolkit.errors import server_error

    try:
        raise ValueError("boom")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
