"""The page cache across processes, in the real Redis at 127.0.0.1:6379 (database 12, a
key prefix of its own): a page kept by one process is served by another, and a content
change made in a third moves the generation on for both. Under CI=true a Redis that does
not answer fails this test; elsewhere it is skipped."""

import uuid

import pytest
from django.test import override_settings

from tests.conftest import IN_CI
from tests.factories import PracticePointFactory, ThemeFactory
from tests.security.test_shared_cache import REDIS_HOST, REDIS_PORT, _redis_answers
from tests.test_settings_and_health import run_django

REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/12"


@pytest.fixture
def redis_cache():
    if not _redis_answers():
        if IN_CI:
            pytest.fail(f"Redis does not answer at {REDIS_HOST}:{REDIS_PORT} (CI needs it)")
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"test-pagecache-{uuid.uuid4().hex[:12]}"
    caches = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
    with override_settings(CACHES=caches, PAGE_CACHE_ENABLED=True):
        yield prefix
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=12)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.mark.django_db
def test_a_change_in_another_process_moves_every_process_on(redis_cache, client):
    theme = ThemeFactory(slug="shared-theme")
    PracticePointFactory(themes=[theme])
    assert client.get("/themes/shared-theme/")["X-Page-Cache"] == "miss"
    assert client.get("/themes/shared-theme/")["X-Page-Cache"] == "hit"
    # Another process (a web replica or the worker) publishes: the generation moves on.
    result = run_django(
        "from content import pagecache\nfrom django.core.cache import cache\n"
        "before = cache.get(pagecache.GENERATION_KEY)\npagecache.generation_advance()\n"
        "print(before, cache.get(pagecache.GENERATION_KEY))",
        DJANGO_DEBUG="true",
        REDIS_URL=REDIS_URL,
        DJANGO_CACHE_KEY_PREFIX=redis_cache,
    )
    assert result.returncode == 0, result.stderr
    before, after = result.stdout.split()[-2:]
    assert before != "None" and int(after) > int(before)
    assert client.get("/themes/shared-theme/")["X-Page-Cache"] == "miss"
    assert client.get("/themes/shared-theme/")["X-Page-Cache"] == "hit"
