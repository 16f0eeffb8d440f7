from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.demo import demo_data_generate, demo_data_remove


class Command(BaseCommand):
    help = (
        "Make a volume of realistic synthetic content to try the search at scale: practice "
        "points recombined from safeguarding vocabulary and the seed's sentences, tagged "
        "with themes and agencies, about 10%% drafts, written in bulk and indexed in bulk. "
        "Demo records have slugs starting 'demo-' (remove them with --remove)."
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
            removed = demo_data_remove()
            self.stdout.write(self.style.SUCCESS(f"Removed {removed} demo practice points."))
            return
        count = options["practice_points"]
        if count < 1:
            raise CommandError("--practice-points must be at least 1.")
        report = demo_data_generate(count, seed=options["seed"], stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {report.points} demo practice points ({report.drafts} drafts) in "
                f"{report.reviews} demo reviews; {report.vocabulary_words} vocabulary words."
            )
        )
