"""Demo data for trying the toolkit: synthetic practice points in volume (search at
scale) and the features' demo records on the seed content (assurance plans, evidence of
use), each clearly marked as demo and removable with --remove.

It lives in the project shell because it calls every feature's demo builder (a feature
may not import another feature's peers' internals, nor the shell)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assurance import demo as assurance_demo
from evidence import demo as evidence_demo
from search.demo import demo_data_generate, demo_data_remove

# The features' demo builders, in order: each has demo_data_generate(seed=) -> str and
# demo_data_remove(), and marks what it makes as demo.
FEATURE_DEMOS = (("assurance", assurance_demo), ("evidence of use", evidence_demo))


class Command(BaseCommand):
    help = (
        "Make demo data: a volume of synthetic practice points recombined from "
        "safeguarding vocabulary and the seed's sentences (about 10%% drafts, slugs "
        "starting 'demo-'), and demo assurance plans and evidence of use on the seed "
        "reviews (marked as demo). --practice-points 0 makes only the features' demo "
        "records (what `make run` does); --remove takes all of it away."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practice-points", type=int, default=1000, dest="practice_points")
        parser.add_argument("--seed", type=int, default=None, help="Random seed (repeatable).")
        parser.add_argument(
            "--remove", action="store_true", help="Remove the demo content instead."
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm: needed when DEBUG is off (a production-like database).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["yes"]:
            raise CommandError(
                "DEBUG is off: this may be a real database. Demo content would be mixed with "
                "the partnership's learning. Run again with --yes if you are sure."
            )
        if options["remove"]:
            for label, demo in FEATURE_DEMOS:
                removed = demo.demo_data_remove()
                self.stdout.write(
                    removed if isinstance(removed, str) else f"Removed {removed} {label} demo rows."
                )
            removed = demo_data_remove()
            self.stdout.write(self.style.SUCCESS(f"Removed {removed} demo practice points."))
            return
        count = options["practice_points"]
        if count < 0:
            raise CommandError("--practice-points must be 0 or more.")
        if count:
            report = demo_data_generate(count, seed=options["seed"], stdout=self.stdout)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {report.points} demo practice points ({report.drafts} drafts) "
                    f"in {report.reviews} demo reviews; {report.vocabulary_words} vocabulary "
                    "words."
                )
            )
        for _label, demo in FEATURE_DEMOS:
            self.stdout.write(demo.demo_data_generate(seed=options["seed"]))
