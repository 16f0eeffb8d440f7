"""How long a 40-item session pack takes to export as a PDF handout, a Word document and
PowerPoint slides (target: each under 3 s).

    .venv/bin/python benchmarks/pack_export_benchmark.py [--runs 5] [--strict]

It builds its own database (a temporary SQLite file, or BENCHMARK_DATABASE_URL; never
DATABASE_URL, so it cannot touch a real one), loads the seed content, makes a pack of 40
items (a theme overview, practice points, questions, activities and resources, each with
trainer's notes), shared by link (so the handout carries its QR code), and times each
whole export: reading the pack and its content, then rendering it (WeasyPrint for the
PDF, python-docx, python-pptx with its text measured to fit). The cache is not used: these
are the times of a first download. --strict exits 1 when any median is over the target.
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
TARGET_SECONDS = 3.0
ITEMS = 40


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


def build_pack():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from practice_points.models import PracticePoint
    from resources.models import Resource
    from session_packs import services
    from session_packs.models import ItemKind
    from themes.models import Theme

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_seed_content", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    user, _ = get_user_model().objects.get_or_create(username="benchmark-trainer")
    theme = Theme.objects.public().get(slug="professional-curiosity")
    pack = services.pack_create(
        owner=user,
        title="Professional curiosity: a full-day multi-agency course",
        audience="Practitioners from health, police, education and children's social care",
        duration_minutes=420,
        learning_objectives="Know what reviews found\nApply the learning\nFind the resources",
    )
    services.pack_add_item(
        pack, kind=ItemKind.THEME_OVERVIEW, content=theme, minutes=10, trainer_notes="Welcome."
    )
    points = PracticePoint.objects.public().order_by("id")[:28]
    for number, point in enumerate(points, start=1):
        services.pack_add_item(
            pack,
            kind=ItemKind.PRACTICE_POINT,
            content=point,
            minutes=8,
            trainer_notes=f"Point {number}: ask the room for an example from their own work, "
            "then draw out what would have helped the child.",
        )
    for number in range(1, 5):
        services.pack_add_item(
            pack,
            kind=ItemKind.REFLECTIVE_QUESTION,
            body=f"Question {number}: think of a family you work with. What do you not yet know?",
            minutes=5,
        )
    for number in range(1, 4):
        services.pack_add_item(
            pack,
            kind=ItemKind.TIMED_ACTIVITY,
            body=f"Activity {number}: in threes, map the family network and who knows what.",
            minutes=15,
            trainer_notes="Hand out the case study first.",
        )
    remaining = ITEMS - pack.items.count()
    for resource in Resource.objects.public().order_by("id")[:remaining]:
        services.pack_add_item(pack, kind=ItemKind.RESOURCE, content=resource)
    count = pack.items.count()
    if count != ITEMS:
        raise SystemExit(f"the seed content gave a pack of {count} items, not {ITEMS}")
    return pack


CPU: dict[str, list[float]] = {}


def timed(function, runs: int, name: str = "") -> list[float]:
    """Wall-clock times; the CPU time of each run is kept in CPU[name] (on a shared
    machine the wall clock also counts the time other processes had the cores)."""
    times = []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - start)
        CPU.setdefault(name, []).append(time.process_time() - cpu)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--strict", action="store_true", help="exit 1 over the target")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as database_dir:
        setup_django(database_dir)
        from session_packs import exports, renderers

        pack = build_pack()
        size = {}

        share_url = "https://toolkit.example.org.uk" + pack.get_shared_url()

        def export(renderer, name):
            def run():
                size[name] = len(renderer(exports.pack_export(pack, share_url=share_url)))

            return run

        # The first PDF also loads fonts and WeasyPrint's code: shown apart.
        first = timed(export(exports.render_pdf, "pdf"), 1)[0]
        pdf = timed(export(exports.render_pdf, "pdf"), args.runs, "PDF")
        docx = timed(export(renderers.render_docx, "docx"), args.runs, "DOCX")
        pptx = timed(export(renderers.render_pptx, "pptx"), args.runs, "PPTX")

    cpus = os.cpu_count()
    medians = {
        "PDF": statistics.median(pdf),
        "DOCX": statistics.median(docx),
        "PPTX": statistics.median(pptx),
    }
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"Session pack export benchmark: {ITEMS} items, {args.runs} runs, {cpus} CPUs")
    print(f"  load average at the end: {load}")
    print(f"  PDF  first run (cold)  {first:6.2f} s")
    for name, times in (("PDF", pdf), ("DOCX", docx), ("PPTX", pptx)):
        print(
            f"  {name:<4} median {medians[name]:6.2f} s  min {min(times):.2f}  "
            f"max {max(times):.2f}  CPU median {statistics.median(CPU[name]):.2f} s  "
            f"({size[name.lower()] / 1024:.0f} KiB)"
        )
    worst = max(*medians.values(), first)
    verdict = "within" if worst < TARGET_SECONDS else "OVER"
    print(f"  target: each under {TARGET_SECONDS:.0f} s: {verdict}")
    return 1 if args.strict and verdict == "OVER" else 0


if __name__ == "__main__":
    sys.exit(main())
