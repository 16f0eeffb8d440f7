"""Rendering an export without letting one link tie up the site (docs/security.md,
"Session pack exports").

- A rendered export is kept in the cache under a fingerprint of everything it shows:
  the pack, each item, the content each item refers to (and its updated_at), the
  format, the partnership's settings, the shared link and the date. Any change makes a
  new fingerprint, so a stale export is never served; an unchanged pack is rendered once.
- At most ``PACK_EXPORT_CONCURRENCY`` exports render at once, and at most
  ``PACK_EXPORT_CONCURRENCY_PER_CLIENT`` for one client (a signed-in user, or else the
  client's address). The counters live
  in the default cache: shared by every worker when that is Redis, per process with
  the in-memory cache.
- A render runs in a small pool of threads; the request waits ``PACK_EXPORT_TIMEOUT``
  seconds at most. A render that takes longer carries on, its slot held, and puts its
  result in the cache: the person is told to try again in a moment, and gets it then.
- Anonymous downloads through a shared link are throttled per client
  (``PACK_EXPORT_ANON_RATE``, DRF's throttle on the same cache).

Only rendering runs in the threads: everything read from the database is read first,
in the request.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from content.clients import ClientAddressThrottleMixin, client_ip

logger = logging.getLogger(__name__)

SLOT_TTL = 10 * 60  # a counter left by a killed worker frees itself after this
RETRY_AFTER_BUSY = 30
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_in_flight: dict[str, Future] = {}
_flight_lock = threading.Lock()


@dataclass
class ExportRefused(Exception):
    status: int
    title: str
    message: str
    retry_after: int = 0


class SharedExportThrottle(ClientAddressThrottleMixin, SimpleRateThrottle):
    """Downloads through a shared link by anyone who is not signed in as a trainer, counted
    by client address as the sign-in lockout counts it (forwarded headers only from
    DJANGO_TRUSTED_PROXIES)."""

    scope = "pack_export"

    def get_rate(self):
        return settings.PACK_EXPORT_ANON_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def throttle(request) -> None:
    """Raise ExportRefused (429) when this client has downloaded too often."""
    limiter = SharedExportThrottle()
    if not limiter.allow_request(request, None):
        wait = max(1, int(limiter.wait() or 1))
        raise ExportRefused(
            429,
            "Too many downloads",
            "Too many downloads from this link in a short time. Wait a few minutes, then "
            "try again.",
            wait,
        )


def fingerprint(pack, items, fmt: str, *extra: str) -> str:
    """A digest of everything the export shows (see the module's docstring)."""
    parts: list[str] = [
        fmt,
        str(pack.pk),
        pack.updated_at.isoformat(),
        str(timezone.localdate()),
        settings.PARTNERSHIP_NAME,
        settings.SITE_NAME,
        settings.PARTNERSHIP_COLOUR,
        *extra,
    ]
    for item in items:
        parts.append(
            f"{item.pk}:{item.position}:{item.kind}:{item.minutes}:{item.body}:{item.trainer_notes}"
        )
        content = item.content
        if content is not None:
            parts.append(f"{content.pk}:{content.status}:{content.updated_at.isoformat()}")
            review = getattr(content, "review", None) if item.kind == "practice_point" else None
            if review is not None:
                parts.append(f"r{review.pk}:{review.status}:{review.updated_at.isoformat()}")
            if item.kind == "practice_point":
                for resource in content.resources.all():
                    parts.append(f"l{resource.pk}:{resource.updated_at.isoformat()}")
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"pack-export:{digest}"


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=max(1, settings.PACK_EXPORT_CONCURRENCY),
                thread_name_prefix="pack-export",
            )
        return _pool


def _acquire(key: str, limit: int) -> bool:
    cache.add(key, 0, SLOT_TTL)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 0, SLOT_TTL)
        count = cache.incr(key)
    if count > limit:
        _release(key)
        return False
    return True


def _release(key: str) -> None:
    try:
        cache.decr(key)
    except ValueError:
        pass


def _client(request) -> str:
    """Who a concurrency slot belongs to: a signed-in user (trainers in one office
    share an address), or else the client's address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"address:{client_ip(request) or 'unknown'}"


def _busy(message: str) -> ExportRefused:
    return ExportRefused(503, "Downloads are busy", message, RETRY_AFTER_BUSY)


def render(request, key: str, renderer: Callable[[], bytes]) -> bytes:
    """The export under ``key``: from the cache, or rendered now within the limits."""
    cached = cache.get(key)
    if cached is not None:
        return cached
    future = _in_flight.get(key)
    if future is None:
        client_key = f"pack-export-slots:client:{_client(request)}"
        global_key = "pack-export-slots:global"
        if not _acquire(client_key, settings.PACK_EXPORT_CONCURRENCY_PER_CLIENT):
            raise _busy(
                "You already have a download being prepared. Wait for it to finish, then try again."
            )
        if not _acquire(global_key, settings.PACK_EXPORT_CONCURRENCY):
            _release(client_key)
            raise _busy(
                "Many downloads are being prepared right now. Please try again in a minute."
            )

        def job() -> bytes:
            try:
                content = renderer()
                cache.set(key, content, settings.PACK_EXPORT_CACHE_SECONDS)
                return content
            finally:
                _release(global_key)
                _release(client_key)
                with _flight_lock:
                    _in_flight.pop(key, None)

        executor = _executor()
        with _flight_lock:  # the job cannot forget itself before it is remembered
            try:
                future = executor.submit(job)
            except RuntimeError:  # the pool is shutting down
                _release(global_key)
                _release(client_key)
                raise
            _in_flight[key] = future
    try:
        return future.result(timeout=settings.PACK_EXPORT_TIMEOUT)
    except FutureTimeout:
        logger.warning("A session pack export took longer than %ss", settings.PACK_EXPORT_TIMEOUT)
        raise ExportRefused(
            503,
            "Your download is still being prepared",
            "This download is taking a while to prepare. It carries on without you: "
            "try again in a minute and it will be ready.",
            RETRY_AFTER_BUSY,
        ) from None
