from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backoffice.transfer.seed import SeedContentError, seed_content_load


class Command(BaseCommand):
    help = (
        "Load the bundled seed content (agencies, themes, the practice week, reviews, "
        "resources and practice points). Idempotent: records already there are left as "
        "they are, unless --update. The files go through the same checks and workflow as "
        "an import (backoffice.transfer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            default=str(settings.SEED_CONTENT_DIR),
            help="Folder holding the seed YAML files (default: the bundled content).",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Bring records that already exist back in line with the files.",
        )

    def handle(self, *args, **options):
        try:
            result = seed_content_load(Path(options["directory"]), update=options["update"])
        except SeedContentError as exc:
            raise CommandError(str(exc)) from exc
        for line in result.lines():
            self.stdout.write(line)
        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS("Seed content loaded.")
            if counts["created"] or counts["updated"]
            else "Seed content already loaded: nothing changed."
        )
