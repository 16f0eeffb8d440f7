from django.core.management.base import BaseCommand

from search.indexing import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Rewrite the whole search index (the PostgreSQL vectors or the SQLite FTS5 tables) "
        "and recount the vocabulary: after bulk changes that bypassed the signals."
    )

    def handle(self, *args, **options):
        for name, count in search_index_rebuild().items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(self.style.SUCCESS("Search index rebuilt."))
