"""Rate limits counted in the cache (shared by every worker when ``REDIS_URL`` is set):
password reset emails per address and per client (issue 15), and anything else that
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
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache

from reviews_toolkit.security import client_ip

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


def password_reset_limits() -> tuple[RateLimit, RateLimit]:
    """Per address (``PASSWORD_RESET_LIMIT_PER_ADDRESS``) and per client
    (``PASSWORD_RESET_LIMIT_PER_CLIENT``), each per ``PASSWORD_RESET_LIMIT_PERIOD``."""
    period = settings.PASSWORD_RESET_LIMIT_PERIOD
    return (
        RateLimit("password-reset-address", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS, period),
        RateLimit("password-reset-client", settings.PASSWORD_RESET_LIMIT_PER_CLIENT, period),
    )


class RateLimitedPasswordResetForm(PasswordResetForm):
    """Django's password reset form, sending the email only within the limits. The person
    is told the same thing either way ("If that address belongs to a trainer account, we
    have sent it a link"), and an address without an account uses up its allowance like
    one with, so neither the answer nor the limit says whether an account exists."""

    def save(self, *args, request=None, **kwargs):
        email = self.cleaned_data["email"]
        by_address, by_client = password_reset_limits()
        client = client_ip(request) if request is not None else None
        within_address = by_address.hit(email)
        within_client = by_client.hit(client or "unknown")
        if not (within_address and within_client):
            logger.warning(
                "Password reset email not sent: the limit per %s was reached",
                "address" if not within_address else "client",
            )
            return
        super().save(*args, request=request, **kwargs)
