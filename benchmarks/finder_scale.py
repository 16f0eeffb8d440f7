"""Time the finder and the public pages at scale, one request at a time, against a running
server (gunicorn, DEBUG off), and count each page's database queries in-process.

    python benchmarks/finder_scale.py --base http://127.0.0.1:8121 [--runs 3] [--queries]

The database should hold the generated points (``manage.py generate_demo_data
--practice-points 50000``). Prints, per page: the median and worst time of ``--runs``
requests (after one warm-up), the HTML size and the status. ``--queries`` (same settings
and database as the server) also counts each page's queries with Django's test client.
Every URL carries a fresh ``_b=`` parameter so a page cache never answers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path


def pages(theme_slug: str) -> list[tuple[str, str]]:
    return [
        ("finder, unfiltered", "/practice-points/"),
        ("finder, q=neglect", "/practice-points/?q=neglect"),
        ("finder, day=thursday", "/practice-points/?day=thursday"),
        ("finder, theme + agency", f"/practice-points/?theme={theme_slug}&agency=police"),
        ("finder, q + day", "/practice-points/?q=supervision&day=monday"),
        ("theme page (largest)", f"/themes/{theme_slug}/"),
        ("search q=supervision", "/search/?q=supervision"),
        ("API points by theme", f"/api/practice-points/?theme={theme_slug}"),
        ("API points q=neglect", "/api/practice-points/?q=neglect"),
    ]


def fetch(url: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - our server
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return time.perf_counter() - started, len(body), status


def largest_theme() -> str:
    from django.db.models import Count

    from themes.models import Theme

    return (
        Theme.objects.annotate(n=Count("practice_points"))
        .order_by("-n")
        .values_list("slug", flat=True)[0]
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8121")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(Path.cwd()))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reviews_toolkit.settings")
    import django

    django.setup()
    theme = largest_theme()
    print(f"{'page':28} {'median s':>9} {'worst s':>8} {'KB':>7} status queries")
    for label, path in pages(theme):
        times = []
        for run in range(args.runs + 1):
            sep = "&" if "?" in path else "?"
            elapsed, size, status = fetch(f"{args.base}{path}{sep}_b={time.time_ns()}{run}")
            if run:
                times.append(elapsed)
        queries = ""
        if args.queries:
            from django.db import connection
            from django.test import Client
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                Client().get(path, HTTP_HOST="127.0.0.1")
            queries = str(len(captured))
        print(
            f"{label:28} {statistics.median(times):9.3f} {max(times):8.3f} "
            f"{size / 1024:7.0f} {status:6} {queries}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
