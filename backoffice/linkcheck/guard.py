"""Which addresses the link checker may fetch, and an HTTP session that connects only to
those (no server-side request forgery): see ``backoffice.linkcheck``."""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import socket
from collections.abc import Iterable

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import (
    ConnectTimeoutError,
    NameResolutionError,
    NewConnectionError,
)
from urllib3.poolmanager import PoolManager
from urllib3.util.connection import allowed_gai_family

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
