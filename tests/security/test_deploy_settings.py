"""Production settings pass Django's deployment checklist, and refuse to start when a
secret or the proxy header is wrong. These start real processes with their own
environment, as a server would start."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from reviews_toolkit.security import UTCFormatter
from tests.test_settings_and_health import STRONG_KEY, run_django

ROOT = Path(__file__).resolve().parent.parent.parent

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "learning.example.org.uk",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://learning.example.org.uk",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "TOOLKIT_SITE_URL": "https://learning.example.org.uk",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_check_with_no_warnings(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_settings_have_the_checklist_values():
    result = run_django(
        "from django.conf import settings as s\n"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.X_FRAME_OPTIONS, s.CSRF_TRUSTED_ORIGINS, s.SECURE_REDIRECT_EXEMPT, sep='|')",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "31536000",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO', 'https')",
        "True",
        "True",
        "True",
        "True",
        "Lax",
        "DENY",
        "['https://learning.example.org.uk']",
        "['^healthz/$']",
    ]


def test_turning_hsts_preload_off_is_allowed_and_still_passes_the_check(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        DJANGO_SECURE_HSTS_PRELOAD="false",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "short-but-random-Zx81",
        "ab" * 40,  # long, only two different characters
        "django-insecure-" + "q8Zk3mP0vL7xR2nB5tY9wC4hJ6sD1gF0aE3uI8oK",
    ],
)
def test_production_refuses_to_start_with_a_weak_secret_key(key):
    result = run_django("print('started')", **{**PRODUCTION, "DJANGO_SECRET_KEY": key})
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is too weak" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    environment = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = run_django("print('started')", **environment)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    "header", ["X-Forwarded-Proto: https", "HTTP_X_FORWARDED_PROTO", "X_FORWARDED_PROTO,https"]
)
def test_a_malformed_proxy_header_setting_fails_with_a_clear_message(header):
    result = run_django(
        "print('started')", **{**PRODUCTION, "DJANGO_SECURE_PROXY_SSL_HEADER": header}
    )
    assert result.returncode != 0
    assert "DJANGO_SECURE_PROXY_SSL_HEADER must be" in result.stderr
    assert "HTTP_X_FORWARDED_PROTO,https" in result.stderr


@pytest.mark.parametrize("origin", ["learning.example.org.uk", "http://learning.example.org.uk"])
def test_csrf_trusted_origins_must_be_https_origins_in_production(origin):
    result = run_django("print('started')", **{**PRODUCTION, "DJANGO_CSRF_TRUSTED_ORIGINS": origin})
    assert result.returncode != 0
    assert "DJANGO_CSRF_TRUSTED_ORIGINS" in result.stderr
    assert "is not an origin" in result.stderr


def test_plain_http_is_redirected_to_https_but_the_health_check_is_not(tmp_path):
    result = run_django(
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='learning.example.org.uk')\n"
        "page = c.get('/accessibility/')\n"
        "health = c.get('/healthz/')\n"
        "behind_proxy = c.get('/api/', HTTP_X_FORWARDED_PROTO='https')\n"
        "print(page.status_code, page['Location'], health.status_code, health.content.decode(),"
        " behind_proxy.status_code, behind_proxy['Strict-Transport-Security'], sep='|')",
        **PRODUCTION,
        # The test client connects from 127.0.0.1: here, the proxy the app trusts.
        DJANGO_TRUSTED_PROXIES="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split("|") == [
        "301",
        "https://learning.example.org.uk/accessibility/",
        "200",
        "ok",
        "200",
        "max-age=31536000; includeSubDomains; preload",
    ]


def test_the_500_page_is_generic_and_needs_no_context():
    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html
    # nothing from the request, the error or the settings; no script without a nonce
    assert "<script" not in html
    assert "Traceback" not in html and "DEBUG" not in html
    assert 'href="/"' in html


def test_log_times_are_utc_iso_8601_with_a_z():
    formatter = UTCFormatter("%(asctime)s %(message)s")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    record.created = 1_790_000_000.25  # 2026-09-21T14:13:20.250Z
    record.msecs = 250
    assert formatter.format(record) == "2026-09-21T14:13:20.250Z hello"


def test_logs_go_to_stdout_in_utc():
    result = run_django(
        "import logging; logging.getLogger('reviews_toolkit').warning('to stdout')",
        DJANGO_DEBUG="true",
        TZ="Europe/London",
    )
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip().splitlines()[-1]
    assert line.endswith("WARNING reviews_toolkit to stdout")
    assert line[:24][-1] == "Z" and line[10] == "T"
