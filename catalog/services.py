"""Writes that span catalog models."""

from __future__ import annotations

from django.db import transaction

from catalog.models import Book, TocEntry

# Keeping the search index current lives with the rest of search; named here too, with the
# catalog's other writes, for code that looks for them here.
from catalog.search import book_search_index, book_search_index_affected
from catalog.toc import ParsedEntry

__all__ = ["book_replace_toc", "book_search_index", "book_search_index_affected"]


@transaction.atomic
def book_replace_toc(*, book: Book, entries: list[ParsedEntry]) -> list[TocEntry]:
    """Replace the book's table of contents with `entries`, validating each before saving."""
    book.toc_entries.all().delete()
    saved = []
    for entry in entries:
        toc_entry = TocEntry(book=book, position=entry.position, level=entry.level, label=entry.label, title=entry.title)
        toc_entry.full_clean()
        toc_entry.save()
        saved.append(toc_entry)
    return saved
