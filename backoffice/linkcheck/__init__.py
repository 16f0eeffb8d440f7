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

The package, by step:
- ``guard``: which addresses may be fetched, and the session that connects only to them;
- ``checker``: checking one link (``check_url``);
- ``service``: checking every resource's and review's link and recording it (``links_check``);
- ``direct``: is a resource link direct, or a home page / another site (``not_direct_links``).
"""

from .checker import CheckerOptions, LinkResult, check_url
from .direct import (
    DirectLinkProblem,
    NotDirectLink,
    is_home_page,
    link_problems,
    not_direct_links,
    not_direct_links_needing_attention,
    publisher_owns_site,
)
from .guard import AddressPolicy, AddressRefused, address_kind, make_session
from .service import (
    LinkCheckReport,
    LinkTarget,
    links_check,
    links_record,
    resources_to_check,
    reviews_to_check,
)

__all__ = [
    "AddressPolicy",
    "AddressRefused",
    "CheckerOptions",
    "DirectLinkProblem",
    "LinkCheckReport",
    "LinkResult",
    "LinkTarget",
    "NotDirectLink",
    "address_kind",
    "check_url",
    "is_home_page",
    "link_problems",
    "links_check",
    "links_record",
    "make_session",
    "not_direct_links",
    "not_direct_links_needing_attention",
    "publisher_owns_site",
    "resources_to_check",
    "reviews_to_check",
]
