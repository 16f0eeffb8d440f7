from pathlib import Path

from django.core.management.base import BaseCommand

from backoffice.transfer.export import content_export


class Command(BaseCommand):
    help = (
        "Export the content: json or yaml (everything, in the structure import_content "
        "reads) or csv (the practice points, one a row, formula-safe)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "yaml", "csv"], default="json")
        parser.add_argument("-o", "--output", help="Write to this file (default: standard output).")

    def handle(self, *args, **options):
        text = content_export(options["format"])
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8", newline="")
            self.stderr.write(f"Wrote {options['output']}.")
        else:
            self.stdout.write(text, ending="")
