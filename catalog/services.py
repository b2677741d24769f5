"""Writes that span catalog models."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connections, transaction
from django.utils.html import strip_tags

from catalog.isbn import isbn_hyphenate
from catalog.models import Book, TocEntry
from catalog.toc import ParsedEntry
from stdnum import isbn as stdnum_isbn


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


def book_search_document(book: Book) -> str:
    """Everything a reader might search a book by, as plain text: titles, people, ISBNs, description."""
    isbns = []
    for fmt in book.formats.all():
        isbns += [fmt.isbn, isbn_hyphenate(fmt.isbn)]
        isbn10 = stdnum_isbn.to_isbn10(fmt.isbn) if fmt.isbn.startswith("978") else ""
        if isbn10:
            isbns.append(isbn10)
    people = [contribution.author.name for contribution in book.contributions.all()]
    parts = [book.title, book.subtitle, *people, book.publisher.name, *isbns, strip_tags(book.description)]
    return " ".join(part for part in parts if part)


@transaction.atomic
def book_search_index(*, books: Iterable[Book] | None = None) -> int:
    """Refresh the stored search text (and, on PostgreSQL, the weighted search vector).

    Call it after anything a book is searched by changes: the book, its contributors' names,
    its formats. With no books given, every book is reindexed. Returns how many were.
    """
    queryset = Book.objects.all() if books is None else Book.objects.filter(pk__in=[book.pk for book in books])
    queryset = queryset.select_related("publisher").prefetch_related("formats", "contributions__author")
    indexed = []
    for book in queryset:
        document = book_search_document(book)
        if document != book.search_document:
            Book.objects.filter(pk=book.pk).update(search_document=document)
        indexed.append(book.pk)
    if indexed and connections[queryset.db].vendor == "postgresql":
        Book.objects.filter(pk__in=indexed).update(
            search_vector=SearchVector("title", weight="A", config="english")
            + SearchVector("subtitle", weight="B", config="english")
            + SearchVector("search_document", weight="C", config="english")
        )
    return len(indexed)
