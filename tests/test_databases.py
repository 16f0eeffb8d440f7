"""The suite runs on SQLite and on PostgreSQL (see the Makefile): this checks each run
really is on the database it claims, so a misconfigured run cannot pass silently."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_run_uses_the_expected_database():
    expected = os.environ.get("EXPECT_DB_VENDOR")
    if os.environ.get("CI", "").lower() == "true":
        assert expected in {"sqlite", "postgresql"}, "CI must say which database each run uses"
    if expected:
        assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1
