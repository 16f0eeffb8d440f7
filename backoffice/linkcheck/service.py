"""Checking the toolkit's links (every resource's URL and every review's report link) and
recording what was found with ``QuerySet.update()`` (not an edit)."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed

from django.conf import settings
from django.db import models
from django.utils import timezone

from content.models import LinkCheckStatus
from practice_points.models import Review
from resources.models import Resource

from .checker import CheckerOptions, LinkResult, check_url
from .direct import DirectLinkProblem, link_problems

logger = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 300
FINAL_URL_MAX_LENGTH = 500


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
