"""Issue 15, finding 6: the API throttle counts in one cache shared by every worker when
REDIS_URL is set (django-redis), against the real Redis at 127.0.0.1:6379; the in-memory
cache is the default (one process only); if Redis goes away the site answers (cache
errors are logged and read as a miss), never a 500.

Each test uses Redis database 13 and a key prefix of its own, so nothing else's keys are
touched. Under CI=true a Redis that does not answer fails these tests; elsewhere they
are skipped."""

import json
import socket
import uuid

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from tests.conftest import IN_CI
from tests.test_settings_and_health import run_django

REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 13
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"


def _redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_prefix():
    if not _redis_answers():
        if IN_CI:
            pytest.fail(f"Redis does not answer at {REDIS_HOST}:{REDIS_PORT} (CI needs it)")
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    yield prefix
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


# Run in a fresh process with the given environment: the throttle's verdict on `n` requests
# from one address, as a gunicorn worker would give it.
THROTTLE = """
import json
from django.conf import settings
from django.test import RequestFactory
from rest_framework.request import Request
from content.api import AnonRateThrottle
verdicts = []
for _ in range({n}):
    request = Request(RequestFactory().get("/api/agencies/", REMOTE_ADDR="{address}"))
    verdicts.append(AnonRateThrottle().allow_request(request, None))
print(json.dumps({{"backend": settings.CACHES["default"]["BACKEND"], "verdicts": verdicts}}))
"""


def throttle_in_a_process(n: int, address: str, **env) -> dict:
    result = run_django(
        THROTTLE.format(n=n, address=address),
        DJANGO_DEBUG="true",
        API_ANON_THROTTLE_RATE="5/minute",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_two_processes_share_the_throttle_count_in_redis(redis_prefix):
    env = {"REDIS_URL": REDIS_URL, "DJANGO_CACHE_KEY_PREFIX": redis_prefix}
    first = throttle_in_a_process(3, "198.51.100.60", **env)
    second = throttle_in_a_process(3, "198.51.100.60", **env)
    assert first["backend"] == "django_redis.cache.RedisCache"
    # 5 a minute between them: the second worker knows of the first one's 3.
    assert first["verdicts"] == [True, True, True]
    assert second["verdicts"] == [True, True, False]
    # Another address has its own count.
    assert throttle_in_a_process(1, "198.51.100.61", **env)["verdicts"] == [True]


def test_without_redis_url_the_cache_is_in_memory_for_one_process_only():
    first = throttle_in_a_process(3, "198.51.100.62")
    second = throttle_in_a_process(3, "198.51.100.62")
    assert first["backend"] == "django.core.cache.backends.locmem.LocMemCache"
    assert second["verdicts"] == [True, True, True]  # each process counts on its own


def test_two_cache_clients_in_one_process_see_one_count(redis_prefix, settings):
    config = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": redis_prefix,
    }
    settings.CACHES = {"default": config, "other": config}
    one, other = caches["default"], caches["other"]
    assert one is not other
    one.set("count", 1)
    other.incr("count")
    assert one.get("count") == 2


def test_when_redis_goes_away_the_api_still_answers(seed, caplog):
    # A port where nothing listens: every cache call fails at once.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    dead = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{dead_port}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
        }
    }
    with override_settings(
        CACHES=dead,
        DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS=True,
        DJANGO_REDIS_LOGGER="reviews_toolkit.cache",
    ):
        response = Client().get("/api/agencies/")
        assert response.status_code == 200
        assert response.json()["results"]
        assert Client().get("/search/", {"q": "zzqqxx nothing"}).status_code == 200
    assert any(record.name == "reviews_toolkit.cache" for record in caplog.records)


def test_a_dead_redis_url_from_the_environment_does_not_stop_the_throttle():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    result = throttle_in_a_process(2, "198.51.100.63", REDIS_URL=f"redis://127.0.0.1:{dead_port}/0")
    assert result["verdicts"] == [True, True]  # counts lapse; requests are answered
