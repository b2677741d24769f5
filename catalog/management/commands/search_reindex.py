from django.core.management.base import BaseCommand

from catalog.models import SearchWord
from catalog.search import book_search_index


class Command(BaseCommand):
    help = (
        "Rebuild every book's search document (and, on PostgreSQL, its search vector) and the "
        "vocabulary typo correction uses, removing words no book has any more."
    )

    def handle(self, *args, **options):
        count = book_search_index()
        self.stdout.write(f"Reindexed {count} books; the vocabulary has {SearchWord.objects.count()} words.")
