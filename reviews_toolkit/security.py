"""Small pieces the security settings refer to (docs/security.md): the CSP nonce for
templates, the client's address (trusting forwarded headers only from the configured
proxies) for the sign-in lockout, the API throttle and rate limits, the lockout and CSRF
failure pages, and UTC logs."""

import functools
import ipaddress
import logging
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def csp_nonce(request: HttpRequest) -> dict[str, str]:
    """``csp_nonce``: this response's CSP nonce, for ``<script nonce="{{ csp_nonce }}">``.

    Reading it makes django-csp add the same nonce to the Content-Security-Policy header.
    Empty when the request did not pass through the CSP middleware."""
    nonce = getattr(request, "csp_nonce", None)
    return {"csp_nonce": str(nonce) if nonce is not None else ""}


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str | None) -> bool:
    """Whether ``address`` is one of ``TRUSTED_PROXIES`` (addresses or networks)."""
    parsed = _address(address or "")
    if parsed is None:
        return False
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return any(parsed in network for network in networks if parsed.version == network.version)


FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)


class TrustedProxyMiddleware:
    """First in ``MIDDLEWARE``: a request that did not come from a trusted proxy loses its
    forwarded headers, so nothing after (the https check, the client address for the
    lockout and the throttle) can be told a forged address or scheme by a client that
    reached the app directly."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            proxy_header = (getattr(settings, "SECURE_PROXY_SSL_HEADER", None) or ("",))[0]
            for name in (*FORWARDED_HEADERS, proxy_header):
                request.META.pop(name, None)
        return self.get_response(request)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for the sign-in lockout (axes), the API throttle and the
    rate limits: the connection's address, unless the connection came from one of
    ``TRUSTED_PROXIES`` (``DJANGO_TRUSTED_PROXIES``); then the rightmost address in
    X-Forwarded-For that is not a trusted proxy (the one our own proxies saw; anything
    left of it the client may have written). X-Forwarded-For from anyone else is ignored:
    a client could write anything there to escape the lockout."""
    remote = (request.META.get("REMOTE_ADDR") or "").strip() or None
    if remote is None or not is_trusted_proxy(remote):
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([part for part in chain if part]):
        address = _address(hop)
        if address is None:
            return remote  # a hop our proxy did not write: trust nothing further left
        if not is_trusted_proxy(hop):
            return str(address)
    return remote


class ClientAddressThrottleMixin:
    """For DRF throttles: count by ``client_ip`` (not DRF's NUM_PROXIES rule, which takes
    X-Forwarded-For from anyone)."""

    def get_ident(self, request):
        return client_ip(request) or ""


def _cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: 429 with a page in the style of the
    sign-in page that was used (the admin's, or the trainers' GOV.UK one)."""
    is_admin = request.path.startswith("/admin/")
    template = "admin/locked_out.html" if is_admin else "registration/locked_out.html"
    context = {
        "cooloff_minutes": _cool_off_minutes(),
        "site_name": settings.SITE_NAME,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "feedback_email": settings.FEEDBACK_EMAIL,
    }
    if is_admin:
        from django.contrib import admin

        context.update(admin.site.each_context(request))
        context["title"] = "Too many failed sign-in attempts"
    response: HttpResponse = TemplateResponse(
        request, template, context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    response["Retry-After"] = str(_cool_off_minutes() * 60)
    return response.render()


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a 403 in the site's own layout (Django's page has inline
    style, which the CSP refuses). The reason is logged by Django, not shown."""
    context = {"is_admin": request.path.startswith("/admin/")}
    return TemplateResponse(request, "403_csrf.html", context, status=403).render()


class UTCFormatter(logging.Formatter):
    """Log times in UTC, ISO 8601 with a Z: 2026-11-23T12:34:56.789Z."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"
