from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from backoffice.transfer.parse import import_parse
from backoffice.transfer.schema import MAX_IMPORT_BYTES
from backoffice.transfer.write import content_import


class Command(BaseCommand):
    help = (
        "Import content from a CSV, YAML or JSON file (learning points from a review, or a "
        "full content export). All or nothing: when any row has an error nothing is saved. "
        "Idempotent: importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .csv, .yaml/.yml or .json file to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, without saving anything.",
        )
        parser.add_argument(
            "--user",
            help="Import as this user: their permissions apply (an Editor's import arrives "
            "as drafts) and the history names them. Default: no user, every permission.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
        try:
            if path.stat().st_size > MAX_IMPORT_BYTES:
                raise CommandError(
                    f"{path.name} is too large: the limit is {MAX_IMPORT_BYTES // 1048576} MB."
                )
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        result = content_import(
            import_parse(path.name, data), user=user, dry_run=options["dry_run"]
        )
        for error in result.errors:
            self.stderr.write(error)
        for record in result.rows_with_errors:
            for error in record.errors:
                self.stderr.write(f"{record.where} ({record.kind.label} {record.key}): {error}")
        if not result.ok:
            raise CommandError(
                f"Nothing was imported: {result.error_count} problem(s) in {path.name}."
            )
        for line in result.lines():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write(f"Dry run, nothing saved. Importing would give: {result.summary()}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {path.name}: {result.summary()}."))
