"""Is it a direct link? A resource link should open the document itself, not the
publisher's home page or another site."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.urls import reverse

from practice_points.models import Review
from resources.models import LinkKind, Resource

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
