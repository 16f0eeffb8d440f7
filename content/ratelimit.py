"""Rate limits counted in the cache (shared by every worker when ``REDIS_URL`` is set):
password reset emails per address and per client (session_packs.password_reset),
content gaps per client (search.gaps), and anything else that
must not be repeated too often by one person.

A ``RateLimit`` counts hits per identity in fixed windows of ``period`` seconds. The
identity (an email address, a client address) is stored only as a keyed hash. If the
cache is unreachable the limit lapses (the request is allowed and the error logged): the
site keeps working without Redis.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` hits per identity in each window of ``period`` seconds."""

    name: str
    limit: int
    period: int

    def _key(self, identity: str) -> str:
        normal = (identity or "").strip().lower()
        digest = hmac.new(
            settings.SECRET_KEY.encode(), f"{self.name}:{normal}".encode(), hashlib.sha256
        ).hexdigest()[:32]
        window = int(time.time() // self.period)
        return f"ratelimit:{self.name}:{window}:{digest}"

    def count(self, identity: str) -> int:
        try:
            return int(cache.get(self._key(identity)) or 0)
        except Exception:  # noqa: BLE001 - a cache that is down: the limit lapses
            logger.warning("Rate limit %s: the cache could not be read", self.name, exc_info=True)
            return 0

    def exceeded(self, identity: str) -> bool:
        """Whether ``identity`` has used up this window's hits (without counting one)."""
        return self.count(identity) >= self.limit

    def hit(self, identity: str) -> bool:
        """Count one hit for ``identity``; whether it is within the limit."""
        key = self._key(identity)
        try:
            cache.add(key, 0, timeout=self.period + 1)
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr: a new window
            cache.set(key, 1, timeout=self.period + 1)
            count = 1
        except Exception:  # noqa: BLE001 - a cache that is down: the limit lapses
            logger.warning("Rate limit %s: the cache could not be used", self.name, exc_info=True)
            return True
        if count is None:  # a cache that ignored an error: the limit lapses
            return True
        return count <= self.limit
