"""Search at scale: 50,000 practice points, practitioner queries, median and p95 in ms.

    .venv/bin/python benchmarks/search_benchmark.py                  # PostgreSQL
    .venv/bin/python benchmarks/search_benchmark.py --vendor sqlite  # SQLite

PostgreSQL: creates a scratch database (``rt_bench`` on the server of ``--server``,
default ``postgresql://postgres@127.0.0.1:5432``), migrates it, loads the seed content,
generates the points with ``generate_demo_data`` (bulk insert, bulk indexing), vacuums
the table as after any bulk load, runs each query ``--repeat`` times through the search
service exactly as the finder does (count, then the first page of 20 with its themes and
agencies), prints the figures and drops the database (``--keep`` keeps it). SQLite: the
same in a temporary file. Runs with DEBUG off, as in production. The target is a median
under 50 ms a query.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "neglect",
    "dads not seen",
    "WNB",
    "profesional curiosity",
    "safer sleep",
    "neglected teenagers",
    "domestic abuse children",
    '"respectful uncertainty"',
    "CSE or CCE",
    "clares law",
    "home conditions -babies",
    "bruising non mobile baby",
    "young carers school",
    "interpreter",
    "zzqqx nothing matches",
]
TARGET_MS = 50.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendor", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="rt_bench")
    parser.add_argument("--points", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
    args = parser.parse_args()

    scratch = None
    if args.vendor == "postgresql":
        import psycopg

        admin_url = f"{args.server}/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
            conn.execute(f'CREATE DATABASE "{args.database}"')
        database_url = f"{args.server}/{args.database}"
    else:
        scratch = Path(tempfile.mkdtemp(prefix="rt_bench_")) / "bench.sqlite3"
        database_url = f"sqlite:///{scratch}"

    os.environ["DATABASE_URL"] = database_url
    # As in production: DEBUG off (no query log, no debug cursor wrapper).
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("TOOLKIT_SITE_URL", "https://localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reviews_toolkit.settings")
    os.environ["DATABASE_CONN_MAX_AGE"] = "0"

    import django

    django.setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connection, connections

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        try:
            call_command("load_seed_content", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        except CommandError as exc:
            print(f"(seed content not loaded: {exc})")
        call_command(
            "generate_demo_data",
            practice_points=args.points,
            seed=42,
            yes=True,
            verbosity=0,
            stdout=open(os.devnull, "w"),  # noqa: SIM115
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A bulk insert then a bulk update of every vector leaves dead rows:
                # vacuum as after any bulk load, and refresh the planner's statistics.
                cursor.execute("VACUUM (FULL, ANALYZE) practice_points_practicepoint")
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"{connection.vendor}: {args.points} generated points ready in "
            f"{time.perf_counter() - started:.0f} s"
        )

        from practice_points.models import PracticePoint
        from search.kinds import KINDS
        from search.services import search_practice_points

        print(
            f"{PracticePoint.objects.count()} points, "
            f"{KINDS['practice_points'].published().count()} published; "
            f"{args.repeat} runs a query (count + first page of 20 with themes and agencies)"
        )
        print(f"{'query':34} {'matches':>8} {'median ms':>10} {'p95 ms':>8}")
        medians = []
        for query in QUERIES:
            timings = []
            matches = 0
            for run in range(args.repeat + 2):
                start = time.perf_counter()
                found = search_practice_points(KINDS["practice_points"].published(), query)
                matches = found.count()
                page = list(found.with_relations()[:20])
                for point in page:
                    list(point.themes.all()), list(point.agencies.all())
                elapsed = (time.perf_counter() - start) * 1000
                if run >= 2:  # the first two warm the caches
                    timings.append(elapsed)
            median = statistics.median(timings)
            medians.append(median)
            print(f"{query:34} {matches:8d} {median:10.1f} {percentile(timings, 0.95):8.1f}")
        overall = statistics.median(medians)
        worst = max(medians)
        print(
            f"median of the query medians: {overall:.1f} ms; slowest query median "
            f"{worst:.1f} ms; target {TARGET_MS:.0f} ms: "
            f"{'met' if overall < TARGET_MS else 'NOT met'}"
        )
    finally:
        connections.close_all()
        if args.vendor == "postgresql" and not args.keep:
            import psycopg

            with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
            print(f"dropped the scratch database {args.database}")
        elif scratch is not None and not args.keep:
            scratch.unlink(missing_ok=True)
            scratch.parent.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
