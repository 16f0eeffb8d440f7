"""Checking one link: HEAD, then GET if refused, redirects one hop at a time, each hop
through the guarded session (``guard``)."""

from __future__ import annotations

import dataclasses
import http
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from urllib3.exceptions import (
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
)

from content.models import LinkCheckStatus

from .guard import AddressPolicy, AddressRefused, make_session

ALLOWED_SCHEMES = ("http", "https")
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})


# --- Checking one link -------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class LinkResult:
    status: str
    status_code: int | None = None
    error: str = ""
    final_url: str = ""

    @property
    def is_broken(self) -> bool:
        return self.status == LinkCheckStatus.BROKEN


@dataclasses.dataclass(frozen=True)
class CheckerOptions:
    timeout: float
    max_redirects: int
    user_agent: str
    policy: AddressPolicy

    @classmethod
    def from_settings(cls, timeout: float | None = None) -> CheckerOptions:
        return cls(
            timeout=float(timeout if timeout is not None else settings.LINK_CHECKER_TIMEOUT),
            max_redirects=int(settings.LINK_CHECKER_MAX_REDIRECTS),
            user_agent=settings.LINK_CHECKER_USER_AGENT,
            policy=AddressPolicy.from_entries(settings.LINK_CHECKER_ALLOWED_PRIVATE_HOSTS),
        )


def _seconds(value: float) -> str:
    return f"{value:g}"


def _reason(code: int) -> str:
    try:
        return f"{code} {http.HTTPStatus(code).phrase}"
    except ValueError:
        return f"HTTP {code}"


def _scheme_refusal(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return "Not a valid web address"
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        scheme = parts.scheme.lower() or "no scheme"
        return f"Refused: only http and https links are checked ({scheme})"
    if not parts.hostname:
        return "Not a valid web address (no host name)"
    return None


def _connection_failed(error: requests.RequestException) -> bool:
    """The server could not be reached at all (a GET would fare no better)."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = (
        error.args[0].reason if error.args and isinstance(error.args[0], MaxRetryError) else None
    )
    return isinstance(reason, NewConnectionError)


def _describe(error: requests.RequestException, options: CheckerOptions) -> str:
    if isinstance(error, requests.Timeout):
        return f"Timed out after {_seconds(options.timeout)} s"
    reason = (
        error.args[0].reason if error.args and isinstance(error.args[0], MaxRetryError) else None
    )
    if isinstance(reason, NameResolutionError):
        return "Host not found"
    if isinstance(reason, NewConnectionError):
        return "Could not connect (connection refused or unreachable)"
    if isinstance(error, requests.exceptions.SSLError):
        return "Secure connection failed (certificate or TLS error)"
    if isinstance(error, requests.exceptions.InvalidURL | requests.exceptions.InvalidSchema):
        return "Not a valid web address"
    if isinstance(error, requests.exceptions.TooManyRedirects):
        return "Too many redirects"
    return "Connection failed (the server closed the connection or sent a bad response)"


def _fetch(session: requests.Session, url: str, options: CheckerOptions) -> requests.Response:
    """HEAD, then GET if HEAD is refused or fails once connected. The body is never read."""
    timeout = (options.timeout, options.timeout)
    try:
        response = session.head(url, timeout=timeout, allow_redirects=False)
        response.close()
        if response.status_code < 400:
            return response
    except requests.RequestException as error:
        if _connection_failed(error):
            raise
    response = session.get(url, timeout=timeout, allow_redirects=False, stream=True)
    response.close()
    return response


def check_url(url: str, options: CheckerOptions) -> LinkResult:
    """What is at ``url`` now. Never raises for anything the network does."""
    session = make_session(options.policy, options.user_agent)
    current, hops = url, 0
    try:
        while True:
            final_url = current if hops else ""
            refusal = _scheme_refusal(current)
            if refusal is not None:
                return LinkResult(LinkCheckStatus.BROKEN, None, refusal, final_url)
            try:
                response = _fetch(session, current, options)
            except AddressRefused as refused:
                return LinkResult(LinkCheckStatus.BROKEN, None, str(refused), final_url)
            except requests.RequestException as error:
                return LinkResult(
                    LinkCheckStatus.BROKEN, None, _describe(error, options), final_url
                )
            except (ValueError, OSError) as error:  # e.g. a host name no resolver accepts
                message = f"Could not check this link ({type(error).__name__})"
                return LinkResult(LinkCheckStatus.BROKEN, None, message, final_url)

            code = response.status_code
            if code in REDIRECT_CODES:
                target = session.get_redirect_target(response)
                if not target:
                    return LinkResult(
                        LinkCheckStatus.BROKEN, code, f"{_reason(code)} without a Location", current
                    )
                if hops >= options.max_redirects:
                    return LinkResult(
                        LinkCheckStatus.BROKEN,
                        code,
                        f"Too many redirects (more than {options.max_redirects})",
                        current,
                    )
                current, hops = urljoin(current, target), hops + 1
                continue
            if 200 <= code < 300:
                status = LinkCheckStatus.REDIRECTED if hops else LinkCheckStatus.OK
                return LinkResult(status, code, "", current)
            return LinkResult(LinkCheckStatus.BROKEN, code, _reason(code), current)
    finally:
        session.close()
