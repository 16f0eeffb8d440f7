"""``manage.py check_links``: check every resource and review link and record the result."""

from django.core.management.base import BaseCommand

from backoffice.linkcheck import LinkResult, LinkTarget, links_check
from content.models import LinkCheckStatus


def _positive_float(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError(value)
    return number


def _positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Check the link of every resource and review (drafts too) and record whether it works, "
        "redirects or is broken. Broken links are listed in the admin under 'Broken links'."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only-broken", action="store_true", help="Check again only links found broken."
        )
        parser.add_argument(
            "--timeout",
            type=_positive_float,
            help="Seconds to wait to connect and for each read (default LINK_CHECKER_TIMEOUT).",
        )
        parser.add_argument(
            "--concurrency",
            type=_positive_int,
            help="Links fetched at once (default LINK_CHECKER_CONCURRENCY).",
        )
        parser.add_argument(
            "--limit",
            type=_positive_int,
            help="Fetch at most this many distinct URLs, least recently checked first.",
        )
        parser.add_argument(
            "--url-prefix",
            default="",
            help="Check only links starting with this, e.g. https://www.gov.uk/.",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]

        def progress(target: LinkTarget, result: LinkResult) -> None:
            if verbosity >= 2:
                self.stdout.write(f"{result.status:10} {target.url}")

        report = links_check(
            only_broken=options["only_broken"],
            url_prefix=options["url_prefix"] or "",
            limit=options["limit"],
            timeout=options["timeout"],
            concurrency=options["concurrency"],
            progress=progress,
        )

        self.stdout.write(
            f"{report.count()} checked ({report.urls_fetched} distinct URLs), "
            f"{report.count(LinkCheckStatus.OK)} ok, "
            f"{report.count(LinkCheckStatus.REDIRECTED)} redirected, "
            f"{report.count(LinkCheckStatus.BROKEN)} broken"
        )
        broken = report.broken
        if broken:
            self.stdout.write("Broken links:")
            for target, result in broken:
                self.stdout.write(
                    f"- {target.kind} #{target.pk} {target.title!r}: {target.url} ({result.error})"
                )
        not_direct = report.not_direct
        if not_direct:
            self.stdout.write(
                f"Not a direct link ({len(not_direct)}): listed in the admin under "
                "'Not a direct link'."
            )
            for target, problems in not_direct:
                reasons = " ".join(problem.message for problem in problems)
                self.stdout.write(f"- {target.kind} #{target.pk} {target.title!r}: {reasons}")
