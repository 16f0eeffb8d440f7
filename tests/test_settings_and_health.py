"""Settings come from the environment, and /healthz/ tells the truth about the database.
These start real processes with their own environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Long and varied enough for the production start-up check (and Django's deploy check).
STRONG_KEY = "test-only-9f2Kq7LmZ4xR1vB8nW3cT6yH0pJ5sD2gA7eU4iO1"


def run_django(code: str, **env) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    environment.update(env)
    # Production needs the site's address (links in emails); a test may pass "" to unset it.
    environment.setdefault("TOOLKIT_SITE_URL", "https://learning.example.org.uk")
    environment["DJANGO_SETTINGS_MODULE"] = "reviews_toolkit.settings"
    script = "import django; django.setup()\n" + code
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django("print('started')", DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="x.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_django("print('started')", DJANGO_DEBUG="false", DJANGO_SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_settings_come_from_the_environment(tmp_path):
    result = run_django(
        "from django.conf import settings as s\n"
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="learning.example.org.uk,www.example.org.uk",
        DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "['learning.example.org.uk',",
        "'www.example.org.uk']",
        "django.db.backends.sqlite3",
        f"{tmp_path}/other.sqlite3",
    ]


def test_the_default_database_is_a_sqlite_file_in_the_project():
    result = run_django(
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])",
        DJANGO_DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", str(ROOT / "db.sqlite3")]


@pytest.mark.django_db
def test_healthz_answers_ok_after_a_database_round_trip(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_unreachable():
    # Port 9 (discard) on loopback: nothing listens there, so the connection is refused.
    result = run_django(
        "from django.test import Client\n"
        "r = Client(HTTP_HOST='localhost').get('/healthz/')\n"
        "print(r.status_code, r.content.decode())",
        DJANGO_DEBUG="true",
        DATABASE_URL="postgresql://postgres@127.0.0.1:9/unreachable",
    )
    assert result.returncode == 0, result.stderr
    # stdout also carries the log (the view logs the failure): the answer is the last line
    assert result.stdout.strip().splitlines()[-1] == "503 database unavailable"
