"""Links in emails use the site URL setting (TOOLKIT_SITE_URL): production refuses to start
without it (or with plain http); in development it defaults to what `make run` serves."""

from __future__ import annotations

import pytest

from alerts.models import Subscriber, Subscription
from alerts.tokens import confirm_url
from tests.test_settings_and_health import STRONG_KEY, run_django

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "learning.example.org.uk",
}
PRINT_URLS = (
    "from django.conf import settings as s\n"
    "print(s.SITE_URL, s.ALERTS_SITE_URL, s.EVIDENCE_SITE_URL)"
)


def test_production_refuses_to_start_without_the_site_url():
    result = run_django("print('started')", **PRODUCTION, TOOLKIT_SITE_URL="")
    assert result.returncode != 0
    assert "TOOLKIT_SITE_URL is not set" in result.stderr
    assert "started" not in result.stdout


def test_production_refuses_a_plain_http_site_url():
    result = run_django("print('started')", **PRODUCTION, TOOLKIT_SITE_URL="http://x.org")
    assert result.returncode != 0
    assert "TOOLKIT_SITE_URL" in result.stderr and "https" in result.stderr


def test_production_uses_the_site_url_it_is_given_for_every_email():
    result = run_django(PRINT_URLS, **PRODUCTION, TOOLKIT_SITE_URL="https://x.org/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://x.org"] * 3


def test_development_defaults_to_what_make_run_serves_and_follows_the_setting():
    default = run_django(PRINT_URLS, DJANGO_DEBUG="true", TOOLKIT_SITE_URL="")
    assert default.returncode == 0, default.stderr
    assert default.stdout.split() == ["http://127.0.0.1:8000"] * 3
    other = run_django(PRINT_URLS, DJANGO_DEBUG="true", TOOLKIT_SITE_URL="http://127.0.0.1:8181")
    assert other.stdout.split() == ["http://127.0.0.1:8181"] * 3


@pytest.mark.django_db
def test_alert_email_links_use_the_site_url_setting(settings):
    settings.ALERTS_SITE_URL = "http://127.0.0.1:8181"
    subscription = Subscription.objects.create(
        subscriber=Subscriber.objects.create(email="a@example.org"), query="theme=neglect"
    )
    assert confirm_url(subscription).startswith("http://127.0.0.1:8181/alerts/confirm/")
