"""A database that cannot be reached gives a clear 503 with Retry-After (never a hang nor
a bare 500), and other errors still the usual 500 page."""

import pytest
from django.db import InterfaceError, OperationalError
from django.urls import get_resolver

from reviews_toolkit.errors import server_error


def test_the_sites_500_handler_is_ours():
    assert get_resolver().resolve_error_handler(500) is server_error


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_unreachable_is_a_503(rf, error):
    try:
        raise error("connection to server at 127.0.0.1, port 5544 failed")
    except error:
        response = server_error(rf.get("/practice-points/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "cannot reach its database" in response.content.decode()


@pytest.mark.django_db
def test_other_errors_are_500(rf):
    try:
        raise ValueError("boom")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
