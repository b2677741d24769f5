from django.core.management.base import BaseCommand

from catalog.services import book_search_index


class Command(BaseCommand):
    help = "Rebuild every book's search text (and, on PostgreSQL, its search vector)."

    def handle(self, *args, **options):
        count = book_search_index()
        self.stdout.write(f"Reindexed {count} books.")
