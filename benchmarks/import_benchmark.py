"""How long a large import takes in the background worker: a CSV of 5,000 learning points
(one review), checked (the preview: the import, rolled back) and then imported.

    .venv/bin/python benchmarks/import_benchmark.py [--rows 5000]

It builds its own database (a temporary SQLite file, or BENCHMARK_DATABASE_URL; never
DATABASE_URL, so it cannot touch a real one), loads the seed content, and times, as a
Publisher: reading the file (what the upload request does), the check, and the import,
with the number of queries of each. The request itself only reads the file and queues the
job (tests/backoffice/test_import_jobs.py holds it to a bounded number of queries); the
check and the import run in the worker, where no request timeout applies.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(database_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "reviews_toolkit.settings"
    os.environ.setdefault("DJANGO_DEBUG", "true")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCHMARK_DATABASE_URL", f"sqlite:///{database_dir}/benchmark.sqlite3"
    )
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def rows_csv(count: int) -> bytes:
    from backoffice.transfer.schema import CSV_COLUMNS

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for index in range(1, count + 1):
        writer.writerow(
            {
                "review_slug": "benchmark-review",
                "review_title": "Benchmark review" if index == 1 else "",
                "review_type": "lcspr" if index == 1 else "",
                "position": str(index),
                "text": f"Learning point {index}: see the child, hear the child, record it.",
                "guidance": "Talk to the child on their own, in words they use.",
                "themes": "neglect;professional-curiosity",
                "agencies": "health;education",
                "status": "published",
            }
        )
    return buffer.getvalue().encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as database_dir:
        setup_django(database_dir)
        from django.core.management import call_command
        from django.db import connection

        from backoffice.roles import PUBLISHER
        from backoffice.transfer.parse import import_parse
        from backoffice.transfer.write import content_import
        from tests.roles import make_role_user

        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_seed_content", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        user = make_role_user("benchmark-publisher", PUBLISHER)
        data = rows_csv(args.rows)
        print(f"{args.rows} rows, {len(data) / 1024:.0f} KB, {connection.vendor}")
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(1)
            return execute(sql, params, many, context)

        for step, dry_run in (("check (preview)", True), ("import", False)):
            queries.clear()
            with connection.execute_wrapper(count):
                started = time.perf_counter()
                parsed = import_parse("benchmark.csv", data)
                read = time.perf_counter() - started
                result = content_import(parsed, user=user, dry_run=dry_run)
                took = time.perf_counter() - started
            assert result.ok, [r.errors for r in result.records if r.errors][:3]
            print(
                f"{step}: {took:.1f} s ({took / args.rows * 1000:.1f} ms a row; reading the "
                f"file {read:.2f} s), {len(queries)} queries; {result.summary()}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
