from django.core.management.base import BaseCommand

from catalog.models import Book, SearchWord
from catalog.search import book_search_index
from catalog.signals import catalogue_changed


class Command(BaseCommand):
    help = (
        "Rebuild every book's search document (and, on PostgreSQL, its search vector) and the "
        "vocabulary typo correction uses, removing words no book has any more."
    )

    def handle(self, *args, **options):
        count = book_search_index()
        catalogue_changed.send(sender=Book)  # written in bulk, without save signals: say what changed
        self.stdout.write(f"Reindexed {count} books; the vocabulary has {SearchWord.objects.count()} words.")
