"""Issue 15, finding 11: behind a proxy, forwarded headers are trusted only from the
configured proxies' addresses (DJANGO_TRUSTED_PROXIES). A client reaching gunicorn
directly cannot pick its own address with X-Forwarded-For to escape the sign-in lockout or
the API throttle, nor claim https with X-Forwarded-Proto."""

import itertools
from pathlib import Path

import pytest
import yaml
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings

from content.clients import client_ip
from tests.test_settings_and_health import STRONG_KEY, run_django

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent

DIRECT = "203.0.113.50"  # a client that reached gunicorn directly
PROXY = "10.20.0.2"
# What an operator following the old docs set: DJANGO_NUM_PROXIES=1 (DRF's NUM_PROXIES),
# and now the proxy's address.
BEHIND_ONE_PROXY = {
    "REST_FRAMEWORK": {
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"},
        "NUM_PROXIES": 1,
    },
    "TRUSTED_PROXIES": [PROXY, "10.99.0.0/16"],
}


def forged():
    for n in itertools.count(1):
        yield f"198.51.100.{n}"


@override_settings(**BEHIND_ONE_PROXY)
def test_a_forged_x_forwarded_for_does_not_escape_the_sign_in_lockout(django_user_model):
    django_user_model.objects.create_user("lockme", "l@example.org.uk", "a-long-test-password")
    addresses = forged()
    client = Client()
    statuses = [
        client.post(
            "/accounts/login/",
            {"username": "lockme", "password": "wrong-password-guess"},
            REMOTE_ADDR=DIRECT,
            HTTP_X_FORWARDED_FOR=next(addresses),
        ).status_code
        for _ in range(6)
    ]
    assert statuses[-1] == 429, statuses


@override_settings(**BEHIND_ONE_PROXY)
def test_a_forged_x_forwarded_for_does_not_escape_the_api_throttle(seed):
    cache.clear()
    addresses = forged()
    client = Client()
    statuses = [
        client.get(
            "/api/agencies/", REMOTE_ADDR=DIRECT, HTTP_X_FORWARDED_FOR=next(addresses)
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


@override_settings(**BEHIND_ONE_PROXY)
def test_through_the_trusted_proxy_each_client_is_counted_by_its_own_address(seed):
    cache.clear()
    client = Client()

    def get(address):
        return client.get(
            "/api/agencies/",
            REMOTE_ADDR=PROXY,
            # A client's own forged entry first, then the address the proxy saw.
            HTTP_X_FORWARDED_FOR=f"6.6.6.6, {address}",
        ).status_code

    assert [get("198.51.100.77") for _ in range(4)] == [200, 200, 200, 429]
    assert get("198.51.100.78") == 200  # another client behind the same proxy


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        (DIRECT, "198.51.100.1", DIRECT),  # not from a proxy: the header is ignored
        (PROXY, "198.51.100.1", "198.51.100.1"),
        (PROXY, "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # the rightmost untrusted
        (PROXY, "198.51.100.1, 10.99.4.4", "198.51.100.1"),  # a chain of trusted proxies
        (PROXY, "not-an-address", PROXY),  # garbage: the proxy's own address
        (PROXY, "", PROXY),
        ("2001:db8::9", "198.51.100.1", "2001:db8::9"),
    ],
)
@override_settings(**BEHIND_ONE_PROXY)
def test_the_client_address_rule(remote, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@override_settings(
    **BEHIND_ONE_PROXY,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_SSL_REDIRECT=True,
)
def test_only_the_proxy_can_say_the_request_came_over_https():
    direct = Client().get("/accessibility/", REMOTE_ADDR=DIRECT, HTTP_X_FORWARDED_PROTO="https")
    assert direct.status_code == 301  # still plain http: sent to https
    proxied = Client().get("/accessibility/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200


def test_num_proxies_without_trusted_proxies_refuses_to_start():
    result = run_django(
        "print('started')",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="x.org",
        DJANGO_NUM_PROXIES="1",
    )
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES" in result.stderr


def test_a_malformed_trusted_proxy_refuses_to_start():
    result = run_django(
        "print('started')",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="x.org",
        DJANGO_TRUSTED_PROXIES="10.0.0.1,proxy.example",
    )
    assert result.returncode != 0
    assert "proxy.example" in result.stderr


def test_trusted_proxies_come_from_the_environment():
    result = run_django(
        "from django.conf import settings; print(settings.TRUSTED_PROXIES)",
        DJANGO_DEBUG="true",
        DJANGO_TRUSTED_PROXIES="10.20.0.2, 172.16.0.0/12",
    )
    assert result.returncode == 0, result.stderr
    assert "['10.20.0.2', '172.16.0.0/12']" in result.stdout


def test_docker_compose_publishes_only_the_proxy():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    webs = [services["web1"], services["web2"]]  # two replicas behind the proxy
    proxy_address = services["proxy"]["networks"]["internal"]["ipv4_address"]
    for web in webs:
        assert "ports" not in web, "the app must not be published: the proxy is the only way in"
        # The app trusts forwarded headers from the proxy's fixed address only.
        assert web["environment"]["DJANGO_TRUSTED_PROXIES"] == proxy_address
        assert "DJANGO_NUM_PROXIES" not in web["environment"]
    published = {name: svc.get("ports", []) for name, svc in services.items() if svc.get("ports")}
    # Mailpit's page (a trial's emails) on this machine only; nothing else but the proxy.
    assert set(published) == {"proxy", "mailpit"}
    assert all(port.startswith("127.0.0.1:") for port in published["mailpit"])
    # The database and Redis are on the internal network only, and not published either.
    assert "ports" not in services["db"] and "ports" not in services["redis"]
    # Every long-running service has a health check.
    for name, service in services.items():
        if name != "migrate":
            assert "healthcheck" in service, name


def test_drfs_own_rule_is_the_connections_address_for_throttles_without_the_mixin():
    from rest_framework.throttling import BaseThrottle

    request = RequestFactory().get("/", REMOTE_ADDR=DIRECT, HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert BaseThrottle().get_ident(request) == DIRECT
