"""Catalog models: their invariants live in the database, their labels read as a reader expects."""

import pytest
from django.contrib.humanize.templatetags.humanize import ordinal
from django.db import IntegrityError, transaction
from django.utils import translation

from catalog.models import Book, english_ordinal
from tests.factories import (
    AuthorFactory,
    BookFactory,
    ContributionFactory,
    FormatFactory,
    PublisherFactory,
    TocEntryFactory,
)

pytestmark = pytest.mark.django_db


def assert_refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_page_count_must_be_positive():
    assert_refused(lambda: BookFactory(page_count=0))


def test_edition_must_be_at_least_one():
    assert_refused(lambda: BookFactory(edition=0))


def test_book_slugs_are_unique():
    BookFactory(slug="same")
    assert_refused(lambda: BookFactory(slug="same"))


def test_author_and_publisher_slugs_are_unique():
    AuthorFactory(slug="same")
    assert_refused(lambda: AuthorFactory(slug="same"))
    PublisherFactory(slug="same")
    from catalog.models import Publisher

    assert_refused(lambda: Publisher.objects.create(name="Other", slug="same"))


def test_one_toc_entry_per_position_per_book():
    book = BookFactory()
    TocEntryFactory(book=book, position=1)
    assert_refused(lambda: TocEntryFactory(book=book, position=1))
    TocEntryFactory(position=1)  # another book may use position 1


def test_one_contribution_per_position_per_book():
    book = BookFactory()
    ContributionFactory(book=book, position=1)
    assert_refused(lambda: ContributionFactory(book=book, position=1))


@pytest.mark.parametrize(
    ("edition", "label"),
    [(1, "1st Edition"), (2, "2nd Edition"), (3, "3rd Edition"), (4, "4th Edition"), (11, "11th Edition"),
     (12, "12th Edition"), (13, "13th Edition"), (21, "21st Edition"), (22, "22nd Edition")],
)
def test_edition_label(edition, label):
    assert BookFactory.build(edition=edition).edition_label == label


def test_an_edition_is_numbered_as_humanize_writes_english():
    with translation.override("en"):
        assert [english_ordinal(n) for n in range(1, 1201)] == [ordinal(n) for n in range(1, 1201)]


@pytest.mark.parametrize(
    ("tag", "name"), [("en", "English"), ("fr-CA", "French (Canada)"), ("zz-nothing", "zz-nothing"), ("", "")]
)
def test_language_name(tag, name):
    assert BookFactory.build(language=tag).language_name == name


def test_primary_format_is_print_before_ebook():
    book = BookFactory()
    ebook = FormatFactory(book=book, binding="EA")
    hardback = FormatFactory(book=book, binding="BB")
    assert book.primary_format == hardback
    assert list(book.formats.all()) == [hardback, ebook]


def test_str_and_urls():
    book = BookFactory(title="Title", subtitle="Subtitle", slug="title")
    author = AuthorFactory(name="Ann Writer", slug="ann-writer")
    assert str(book) == "Title: Subtitle"
    assert book.get_absolute_url() == "/books/title/"
    assert author.get_absolute_url() == "/authors/ann-writer/"
    assert str(FormatFactory(book=book, isbn="9780415546416")) == "Hardback 978-0-415-54641-6"


def test_newest_first_orders_by_publication_date():
    import datetime

    old = BookFactory(publication_date=datetime.date(1999, 1, 1))
    new = BookFactory(publication_date=datetime.date(2024, 1, 1))
    assert list(Book.objects.newest_first()) == [new, old]


def test_descriptions_and_biographies_are_sanitized_when_saved():
    book = BookFactory(description='<p onclick="x()">Hi <script>alert(1)</script><em>there</em></p>')
    author = AuthorFactory(biography='<a href="javascript:alert(1)">me</a><p style="color:red">ok</p>')
    book.refresh_from_db()
    author.refresh_from_db()
    assert book.description == "<p>Hi <em>there</em></p>"
    assert "javascript" not in author.biography and "style" not in author.biography
    assert "<p>ok</p>" in author.biography
