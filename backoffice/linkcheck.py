"""Check that the links in the toolkit still work: every resource's URL and every review's
"link to the full report", whatever their status (staff fix drafts too).

How a link is checked
- Only ``http`` and ``https`` links are fetched; anything else is recorded as broken.
- A ``HEAD`` request first; a ``GET`` (body never read) when ``HEAD`` is refused (any 4xx or
  5xx, e.g. 405 or 501) or fails after connecting (read timeout, reset, bad response).
- Redirects are followed one hop at a time (at most ``LINK_CHECKER_MAX_REDIRECTS``), so each
  hop gets the same checks as the first address.
- Connect and read timeouts of ``LINK_CHECKER_TIMEOUT`` seconds; at most
  ``LINK_CHECKER_CONCURRENCY`` links are fetched at once; each distinct URL is fetched once,
  however many items share it; a User-Agent naming the toolkit and the partnership's contact.

Server-side request forgery (SSRF)
The checker refuses to connect to any address that is not public: private, loopback,
link-local, multicast, reserved, unspecified or shared (carrier-grade NAT), IPv4 or IPv6,
including IPv4 addresses mapped or embedded in IPv6. The check is made by the connection
itself (``_GuardedConnectionMixin._new_conn``): it resolves the host name once, refuses the
link if *any* resolved address is not public, and then connects to exactly those
addresses. There is no second DNS lookup between checking and connecting, so a host name
that changes what it resolves to (DNS rebinding) cannot slip a private address through.
TLS still verifies the certificate against the host name. Proxies from the environment
are ignored (``trust_env = False``) so the connection always goes to the checked address.
``LINK_CHECKER_ALLOWED_PRIVATE_HOSTS`` lists host names, IP addresses or networks that may
be private (empty by default; tests allow ``127.0.0.1``).

Results are written with ``QuerySet.update()``: recording what the checker found is not an
edit, so it leaves ``version``, ``updated_at``, the history and the search index alone.
"""

from __future__ import annotations

import dataclasses
import functools
import http
import ipaddress
import logging
import socket
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
)
from urllib3.poolmanager import PoolManager
from urllib3.util.connection import allowed_gai_family

from practice_points.models import Review
from resources.models import LinkKind, Resource
from reviews_toolkit.content import LinkCheckStatus

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("http", "https")
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
ERROR_MAX_LENGTH = 300
FINAL_URL_MAX_LENGTH = 500


# --- Which addresses may be fetched ------------------------------------------------------


class AddressRefused(Exception):  # noqa: N818 - reads as what happened to the link
    """The link's host is not a public address. Deliberately not an ``OSError`` so that
    neither urllib3 nor requests wraps it or retries: it reaches the checker as it is."""


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address.teredo is not None:
            return address.teredo[1]
    return None


def address_kind(address: IPAddress) -> str | None:
    """Why ``address`` is not a public internet address (``None`` if it is)."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        kind = address_kind(embedded)
        if kind is not None:
            return kind
    for kind, flag in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
    ):
        if flag:
            return kind
    if not address.is_global:
        return "not public"
    return None


def _normalise_host(host: str) -> str:
    return host.strip("[]").rstrip(".").lower()


@dataclasses.dataclass(frozen=True)
class AddressPolicy:
    """Public addresses only, except the host names and networks on the allow-list."""

    allowed_names: frozenset[str] = frozenset()
    allowed_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> AddressPolicy:
        names, networks = set(), []
        for entry in entries:
            entry = _normalise_host(str(entry).strip())
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                names.add(entry)
        return cls(frozenset(names), tuple(networks))

    def refusal(self, host: str, address: str) -> str | None:
        """The error to record if ``host`` (resolved to ``address``) may not be fetched."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        kind = address_kind(ip)
        if kind is None or _normalise_host(host) in self.allowed_names:
            return None
        if any(ip in network for network in self.allowed_networks):
            return None
        return f"Refused: private address ({ip}, {kind})"

    def check(self, host: str, addresses: Iterable[str]) -> None:
        for address in addresses:
            reason = self.refusal(host, address)
            if reason is not None:
                raise AddressRefused(reason)


class _GuardedConnectionMixin:
    """Resolve once, refuse unless every address is allowed, connect to those addresses."""

    def __init__(self, *args, address_policy: AddressPolicy, **kwargs):
        self.address_policy = address_policy
        super().__init__(*args, **kwargs)

    def _new_conn(self) -> socket.socket:
        host = self._dns_host.strip("[]")
        try:
            infos = socket.getaddrinfo(host, self.port, allowed_gai_family(), socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise NameResolutionError(self.host, self, error) from error
        self.address_policy.check(self.host, (info[4][0] for info in infos))

        last_error: OSError | None = None
        for family, socktype, proto, _canonname, sockaddr in infos:
            sock = socket.socket(family, socktype, proto)
            try:
                for option in self.socket_options or ():
                    sock.setsockopt(*option)
                if self.timeout is None or isinstance(self.timeout, int | float):
                    sock.settimeout(self.timeout)
                sock.connect(sockaddr)
            except OSError as error:
                sock.close()
                last_error = error
                continue
            return sock
        if isinstance(last_error, TimeoutError):
            raise ConnectTimeoutError(
                self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
            ) from last_error
        raise NewConnectionError(
            self, f"Failed to establish a new connection: {last_error}"
        ) from last_error


class GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


class _GuardedPoolManager(PoolManager):
    def __init__(self, *args, address_policy: AddressPolicy, **kwargs):
        self.address_policy = address_policy
        super().__init__(*args, **kwargs)

    def _new_pool(self, scheme, host, port, request_context=None):
        pool = super()._new_pool(scheme, host, port, request_context)
        connection_class = GuardedHTTPSConnection if scheme == "https" else GuardedHTTPConnection
        pool.ConnectionCls = functools.partial(connection_class, address_policy=self.address_policy)
        return pool


class GuardedAdapter(HTTPAdapter):
    """A requests transport whose every connection goes through the address check."""

    def __init__(self, address_policy: AddressPolicy, **kwargs):
        self.address_policy = address_policy
        super().__init__(max_retries=0, **kwargs)

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
        self._pool_connections = connections
        self._pool_maxsize = maxsize
        self._pool_block = block
        self.poolmanager = _GuardedPoolManager(
            num_pools=connections,
            maxsize=maxsize,
            block=block,
            address_policy=self.address_policy,
            **pool_kwargs,
        )

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        raise AddressRefused("Refused: the link checker does not use proxies")


def make_session(policy: AddressPolicy, user_agent: str) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc from the environment
    session.headers["User-Agent"] = user_agent
    session.headers["Accept"] = "text/html,application/xhtml+xml,application/pdf,*/*;q=0.8"
    adapter = GuardedAdapter(policy)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


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


# --- Checking the toolkit's links --------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class LinkTarget:
    """A checked field's owner: which model, which item, which URL field."""

    model: type[models.Model]
    url_field: str
    pk: int
    title: str
    url: str
    publisher: str = ""

    @property
    def kind(self) -> str:
        return self.model._meta.verbose_name.capitalize()


@dataclasses.dataclass
class LinkCheckReport:
    results: list[tuple[LinkTarget, LinkResult]] = dataclasses.field(default_factory=list)
    urls_fetched: int = 0

    def count(self, status: str | None = None) -> int:
        return sum(1 for _, result in self.results if status is None or result.status == status)

    @property
    def broken(self) -> list[tuple[LinkTarget, LinkResult]]:
        return [(target, result) for target, result in self.results if result.is_broken]

    @property
    def not_direct(self) -> list[tuple[LinkTarget, list[DirectLinkProblem]]]:
        """Working links that land on a site's home page or on a site that is not the
        publisher's."""
        found = []
        for target, result in self.results:
            if result.is_broken:
                continue
            problems = link_problems(target.url, target.publisher, result.final_url)
            if problems:
                found.append((target, problems))
        return found


def resources_to_check(queryset=None):
    return Resource.objects.all() if queryset is None else queryset


def reviews_to_check(queryset=None):
    queryset = Review.objects.all() if queryset is None else queryset
    return queryset.exclude(source_url="")


def _targets(
    queryset, url_field: str, only_broken: bool, url_prefix: str, publisher_field: str
) -> list[LinkTarget]:
    if only_broken:
        queryset = queryset.filter(link_status=LinkCheckStatus.BROKEN)
    if url_prefix:
        queryset = queryset.filter(**{f"{url_field}__startswith": url_prefix})
    rows = queryset.order_by(models.F("link_checked_at").asc(nulls_first=True), "pk").values_list(
        "pk", "title", url_field, publisher_field
    )
    return [
        LinkTarget(queryset.model, url_field, pk, title, url, publisher)
        for pk, title, url, publisher in rows
    ]


def links_record(targets: Iterable[LinkTarget], result: LinkResult) -> None:
    """Write what was found on each item, without touching anything staff edit."""
    by_model: dict[tuple[type[models.Model], str], list[int]] = {}
    for target in targets:
        by_model.setdefault((target.model, target.url_field), []).append(target.pk)
    for (model, _field), pks in by_model.items():
        model._default_manager.filter(pk__in=pks).update(
            link_status=result.status,
            link_status_code=result.status_code,
            link_error=result.error[:ERROR_MAX_LENGTH],
            link_final_url=(
                result.final_url if len(result.final_url) <= FINAL_URL_MAX_LENGTH else ""
            ),
            link_checked_at=timezone.now(),
        )


def links_check(
    *,
    resources=None,
    reviews=None,
    only_broken: bool = False,
    url_prefix: str = "",
    limit: int | None = None,
    timeout: float | None = None,
    concurrency: int | None = None,
    progress: Callable[[LinkTarget, LinkResult], None] | None = None,
) -> LinkCheckReport:
    """Check the links of ``resources`` and ``reviews`` (default: all of them, any status)
    and record what was found on each. ``limit`` caps the number of distinct URLs fetched,
    least recently checked first. The network work runs in a thread pool; every database
    read and write stays on the calling thread."""
    options = CheckerOptions.from_settings(timeout)
    workers = max(1, int(concurrency or settings.LINK_CHECKER_CONCURRENCY))

    targets = _targets(resources_to_check(resources), "url", only_broken, url_prefix, "publisher")
    targets += _targets(
        reviews_to_check(reviews), "source_url", only_broken, url_prefix, "partnership"
    )
    by_url: dict[str, list[LinkTarget]] = {}
    for target in targets:
        by_url.setdefault(target.url.strip(), []).append(target)
    urls = list(by_url)
    if limit is not None:
        urls = urls[: max(0, limit)]

    report = LinkCheckReport(urls_fetched=len(urls))
    if not urls:
        return report
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="linkcheck") as pool:
        futures = {pool.submit(check_url, url, options): url for url in urls}
        for future in as_completed(futures):
            url = futures[future]
            try:
                result = future.result()
            except Exception as error:  # a bug must not lose the other links' results
                logger.exception("Checking %s failed", url)
                result = LinkResult(
                    LinkCheckStatus.BROKEN,
                    None,
                    f"Could not check this link ({type(error).__name__})",
                )
            links_record(by_url[url], result)
            for target in by_url[url]:
                report.results.append((target, result))
                if progress is not None:
                    progress(target, result)
    report.results.sort(key=lambda pair: (pair[0].kind, pair[0].title.lower(), pair[0].pk))
    return report


# --- Is it a direct link? -----------------------------------------------------------------
#
# A link should go to the document itself. Two signs that it does not, found from the
# address alone (and the address the checker last landed on): it is a site's home page,
# or its site does not belong to the item's publisher. The admin lists both as "not a
# direct link" (``/admin/not-direct-links/``); ``check_links`` reports them too.

# Sites known to be a publisher's own, for publishers whose name the address does not
# spell out. A publisher matches a site if a word of its name is in the host name, or
# its initials are, or the site is listed here.
PUBLISHER_SITES: dict[str, tuple[str, ...]] = {
    "child safeguarding practice review panel": ("gov.uk",),
    "department for education": ("gov.uk",),
    "uk parliament": ("legislation.gov.uk", "parliament.uk"),
    "nspcc": ("nspcc.org.uk",),
    "leicester, leicestershire & rutland safeguarding children partnerships": (
        "lrsb.org.uk",
        "llrscb.proceduresonline.com",
        "lrsb.proceduresonline.com",
    ),
    "leicestershire & rutland safeguarding children partnership": (
        "lrsb.org.uk",
        "llrscb.proceduresonline.com",
    ),
    "nhs (leeds)": ("mindmate.org.uk",),
    "compassionate leeds": ("mindmate.org.uk",),
    "centre of expertise on child sexual abuse": ("csacentre.org.uk",),
    "hampshire safeguarding children partnership": ("hampshirescp.org.uk",),
}
# Second-level labels that say nothing about who publishes (``www.example.org.uk``).
_GENERIC_LABELS = frozenset(
    {"www", "org", "uk", "co", "com", "net", "gov", "ac", "nhs", "info", "learning"}
)
_STOPWORDS = frozenset({"the", "and", "of", "for", "on", "in", "a", "to", "at"})


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def is_home_page(url: str) -> bool:
    """Is ``url`` a site's home page (no path, no query)?"""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return bool(parts.hostname) and parts.path in ("", "/") and not parts.query


def _publisher_words(publisher: str) -> list[str]:
    words = [w for w in "".join(c if c.isalnum() else " " for c in publisher.lower()).split()]
    return [w for w in words if w not in _STOPWORDS]


def publisher_owns_site(publisher: str, url: str, extra_sites=None) -> bool | None:
    """Does ``url``'s site belong to ``publisher``? ``None`` when there is nothing to
    compare (no publisher, or no host name)."""
    host = _host(url)
    if not publisher.strip() or not host:
        return None
    sites = {**PUBLISHER_SITES, **{k.lower(): tuple(v) for k, v in (extra_sites or {}).items()}}
    for site in sites.get(publisher.strip().lower(), ()):
        site = site.lower()
        if host == site or host.endswith("." + site):
            return True
    labels = [label for label in host.split(".") if label not in _GENERIC_LABELS]
    if not labels:
        return False
    words = _publisher_words(publisher)
    if any(len(word) >= 4 and any(word in label for label in labels) for word in words):
        return True
    initials = "".join(word[0] for word in words if word)
    return any(len(label) >= 3 and label in initials for label in labels) or any(
        len(initials) >= 3 and initials in label for label in labels
    )


@dataclasses.dataclass(frozen=True)
class DirectLinkProblem:
    """Why an item's link is not a direct link to its document."""

    kind: str  # "home_page" or "publisher_site"
    message: str


def link_problems(url: str, publisher: str, final_url: str = "") -> list[DirectLinkProblem]:
    """What is wrong with ``url`` as a direct link to a document by ``publisher``
    (``final_url``: where the checker last landed, if it followed redirects)."""
    problems = []
    landed = final_url or url
    if url and is_home_page(landed):
        where = "lands on" if final_url and final_url != url else "is"
        problems.append(
            DirectLinkProblem("home_page", f"It {where} the home page of {_host(landed)}.")
        )
    owns = publisher_owns_site(
        publisher, landed, getattr(settings, "LINK_CHECKER_PUBLISHER_SITES", None)
    )
    if owns is False:
        problems.append(
            DirectLinkProblem(
                "publisher_site",
                f"The publisher is ‘{publisher}’ but the link goes to {_host(landed)}.",
            )
        )
    return problems


@dataclasses.dataclass(frozen=True)
class NotDirectLink:
    item: models.Model
    kind: str  # "Resource" or "Review"
    url: str
    publisher: str
    labelled: bool  # the item already tells readers it is only the publisher's website
    problems: tuple[DirectLinkProblem, ...]

    @property
    def admin_url(self) -> str:
        meta = self.item._meta
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[self.item.pk])


def not_direct_links(resources=None, reviews=None) -> list[NotDirectLink]:
    """Resources and reviews whose link is not a direct link: those not yet labelled
    "publisher's website" first (they need attention), then the labelled ones."""
    found = []
    resources = Resource.objects.all() if resources is None else resources
    reviews = Review.objects.exclude(source_url="") if reviews is None else reviews
    for resource in resources.only(
        "pk", "title", "url", "publisher", "link_final_url", "link_kind"
    ):
        problems = link_problems(resource.url, resource.publisher, resource.link_final_url)
        if problems:
            labelled = resource.link_kind == LinkKind.PUBLISHER_WEBSITE
            found.append(
                NotDirectLink(
                    resource,
                    "Resource",
                    resource.url,
                    resource.publisher,
                    labelled,
                    tuple(problems),
                )
            )
    for review in reviews.only("pk", "title", "source_url", "partnership", "link_final_url"):
        problems = link_problems(review.source_url, review.partnership, review.link_final_url)
        if problems:
            found.append(
                NotDirectLink(
                    review,
                    "Review",
                    review.source_url,
                    review.partnership,
                    False,
                    tuple(problems),
                )
            )
    found.sort(key=lambda link: (link.labelled, link.kind, link.item.title.lower()))
    return found


def not_direct_links_needing_attention() -> list[NotDirectLink]:
    return [link for link in not_direct_links() if not link.labelled]
