"""Factories for catalog test data."""

from __future__ import annotations

import datetime

import factory
from stdnum import ean

from catalog.models import Author, Book, Contribution, Format, Publisher, TocEntry


def isbn13_sequence(n: int) -> str:
    """A valid, unique ISBN-13 for the n-th format a test makes."""
    body = f"97819999{n:04d}"
    return body + ean.calc_check_digit(body)


class PublisherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publisher
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Publisher {n}")
    slug = factory.Sequence(lambda n: f"publisher-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")
    sort_name = factory.LazyAttribute(lambda author: author.name)
    slug = factory.Sequence(lambda n: f"author-{n}")
    biography = "<p>Writes books for tests.</p>"


class BookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Book

    title = factory.Sequence(lambda n: f"Book {n}")
    subtitle = "A Subtitle"
    slug = factory.Sequence(lambda n: f"book-{n}")
    publisher = factory.SubFactory(PublisherFactory)
    publication_date = factory.Sequence(lambda n: datetime.date(2000, 1, 1) + datetime.timedelta(days=n))
    page_count = 200
    description = "<p>A description.</p>"


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    book = factory.SubFactory(BookFactory)
    author = factory.SubFactory(AuthorFactory)
    position = factory.Sequence(lambda n: n + 1)


class FormatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Format

    book = factory.SubFactory(BookFactory)
    binding = Format.Binding.HARDBACK
    isbn = factory.Sequence(isbn13_sequence)


class TocEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TocEntry

    book = factory.SubFactory(BookFactory)
    position = factory.Sequence(lambda n: n + 1)
    label = factory.LazyAttribute(lambda entry: f"{entry.position}.")
    title = factory.Sequence(lambda n: f"Chapter {n}")


def book_with(*, contributors: int = 1, formats: int = 1, toc_entries: int = 1) -> Book:
    """A book with the given number of contributors, formats and table-of-contents entries."""
    book = BookFactory()
    for position in range(1, contributors + 1):
        ContributionFactory(book=book, position=position)
    bindings = list(Format.Binding)
    for index in range(formats):
        FormatFactory(book=book, binding=bindings[index % len(bindings)])
    for position in range(1, toc_entries + 1):
        TocEntryFactory(book=book, position=position)
    return book
