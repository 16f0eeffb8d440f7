"""The page cache: anonymous GETs of the public pages and the API, kept in the shared cache
(Redis when ``REDIS_URL`` is set) and served without running the view.

- Key: the host, the full path with its query string and (for the API) the ``Accept``
  header, under the current **content generation**. Every save or deletion of the public
  content's models (themes, practice points, reviews, resources, glossary, practice
  weeks) and every publish / unpublish (``content.signals``) moves the generation on
  once the transaction commits, so nobody is served a page from before a publish.
- Never for a signed-in person: a request with a session cookie (or a message waiting)
  is never answered from the cache, and a response is kept only if it set no cookie,
  used no CSRF token and did not choose private caching itself.
- The CSP nonce of a kept page is replaced by a fresh one each time it is served.
- Public HTML pages carry ``Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE``, a weak
  ``ETag`` and ``Last-Modified`` (the generation's time); a revalidation that matches gets
  304. The API keeps its own headers.
- If the cache is down, every request is a miss (django-redis' IGNORE_EXCEPTIONS, and
  any other error is logged and ignored): the site keeps serving.

On by default only with a shared cache (with an in-memory cache per process, one
process's publish could not reach the others); ``TOOLKIT_PAGE_CACHE=on/off`` overrides.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from .signals import content_published, content_unpublished

logger = logging.getLogger("reviews_toolkit.cache")

GENERATION_KEY = "pagecache:generation"
NONCE_MARKER = "__PAGECACHE_NONCE__"
# The apps whose models make up the public pages (a save of any of them moves the
# generation on; drafts too: simpler than knowing which pages a draft touches).
CONTENT_APPS = ("themes", "practice_points", "resources")
PUBLIC_PREFIXES = (
    "/themes/",
    "/practice-points/",
    "/reviews/",
    "/resources/",
    "/search/",
    "/glossary/",
    "/api/",
    "/accessibility/",
)
KEPT_HEADERS_EXCLUDED = {"set-cookie", "date", "content-length"}


def enabled() -> bool:
    return settings.PAGE_CACHE_ENABLED


def _safe(call, default=None):
    try:
        return call()
    except Exception:  # noqa: BLE001 - the cache is down: a miss, the site keeps serving
        logger.warning("Page cache unavailable", exc_info=True)
        return default


def _now() -> int:
    return time.time_ns() // 1000  # microseconds: two changes never share a generation


def generation() -> int | None:
    """The content generation (microseconds since the epoch of the last content change);
    None when the cache cannot be reached."""
    value = _safe(lambda: cache.get(GENERATION_KEY))
    if value is None:
        _safe(lambda: cache.add(GENERATION_KEY, _now(), timeout=None))
        value = _safe(lambda: cache.get(GENERATION_KEY))
    return value


def generation_advance() -> None:
    """Move the generation on: every page kept before is no longer served."""
    _safe(lambda: cache.set(GENERATION_KEY, _now(), timeout=None))


def content_changed(**kwargs) -> None:
    """Receiver: advance the generation once the transaction commits (nothing if it
    rolls back, so no request can keep the old content under the new generation)."""
    transaction.on_commit(generation_advance)


def _model_changed(sender, **kwargs) -> None:
    if sender._meta.app_label in CONTENT_APPS:
        content_changed()


def connect() -> None:
    post_save.connect(_model_changed, dispatch_uid="pagecache_post_save")
    post_delete.connect(_model_changed, dispatch_uid="pagecache_post_delete")
    m2m_changed.connect(_model_changed, dispatch_uid="pagecache_m2m")
    content_published.connect(content_changed, dispatch_uid="pagecache_published")
    content_unpublished.connect(content_changed, dispatch_uid="pagecache_unpublished")


def _cacheable_request(request) -> bool:
    if request.method != "GET" or not enabled():
        return False
    path = request.path
    if not (path == "/" or path.startswith(PUBLIC_PREFIXES)):
        return False
    cookies = request.COOKIES
    # Signed in (or about to be shown a message): never from the shared cache.
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request, gen: int) -> str:
    accept = request.META.get("HTTP_ACCEPT", "") if request.path.startswith("/api/") else ""
    raw = f"{request.get_host()}|{request.get_full_path()}|{accept}"
    return f"pagecache:{gen}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_USED"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    control = response.get("Cache-Control", "")
    if "private" in control or "no-store" in control:
        return False
    content_type = response.get("Content-Type", "")
    return content_type.startswith(("text/html", "application/json"))


def _etag(gen: int, body: bytes) -> str:
    return 'W/"' + hashlib.sha256(str(gen).encode() + body).hexdigest()[:32] + '"'


def _public_headers(request, response, gen: int, etag: str) -> None:
    if request.path.startswith("/api/"):
        return  # the API says how it is cached (ETag, no-cache)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(gen // 1_000_000)
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)


class PageCacheMiddleware:
    """Placed after CSP (so the served page gets a fresh nonce in its header) and before
    the session: a hit runs neither the session, CSRF, authentication nor the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        gen = generation()
        if gen is None:
            return self.get_response(request)
        key = _key(request, gen)
        kept = _safe(lambda: cache.get(key))
        if kept is not None:
            return self._serve(request, kept, gen)
        response = self.get_response(request)
        if _storable(request, response):
            etag = self._keep(request, response, key, gen)
            if not request.path.startswith("/api/"):
                return get_conditional_response(
                    request, etag=etag, last_modified=gen // 1_000_000, response=response
                )
        return response

    def _keep(self, request, response, key: str, gen: int) -> str:
        body = response.content
        nonce = getattr(request, "_csp_nonce", None)
        if isinstance(nonce, str) and nonce:
            body = body.replace(nonce.encode(), NONCE_MARKER.encode())
        etag = _etag(gen, body)
        _public_headers(request, response, gen, etag)
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in KEPT_HEADERS_EXCLUDED
        ]
        entry = {"status": response.status_code, "headers": headers, "body": body}
        _safe(lambda: cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS))
        response["X-Page-Cache"] = "miss"
        return etag

    def _serve(self, request, kept: dict, gen: int):
        body = kept["body"]
        etag = dict((k.lower(), v) for k, v in kept["headers"]).get("etag") or _etag(gen, body)
        if NONCE_MARKER.encode() in body:
            body = body.replace(NONCE_MARKER.encode(), str(request.csp_nonce).encode())
        response = HttpResponse(body, status=kept["status"])
        for name, value in kept["headers"]:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        api = request.path.startswith("/api/")  # its own ETag, no Last-Modified
        conditional = get_conditional_response(
            request, etag=etag, last_modified=None if api else gen // 1_000_000, response=response
        )
        if conditional is not response:
            conditional["X-Page-Cache"] = "hit"
        return conditional
