"""The client's address, read the same way by the sign-in lockout (axes), the API
throttle and every rate limit: forwarded headers are trusted only from the configured
proxies (``TRUSTED_PROXIES``, from ``DJANGO_TRUSTED_PROXIES``; docs/security.md).

Ground floor (the content core's shared web helpers): features (search, session packs)
and the project shell read it; it imports nothing of the project."""

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
