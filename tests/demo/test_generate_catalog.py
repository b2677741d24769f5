"""`manage.py generate_catalog --books N`: a synthetic catalogue, complete enough to browse, search and price.

Runs on SQLite and, in CI, on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.db.models import Count

from catalog.bulk import BulkTable
from catalog.isbn import isbn13_parse, isbn_hyphenate
from catalog.models import Author, Book, Contribution, Format, Publisher, SearchWord, TocEntry
from catalog.search import book_search_index, fold, search_books
from demo.synthetic import SYNTHETIC_SLUG_PREFIX, catalog_generate
from pricing.models import Market, Price
from pricing.quotes import quote

pytestmark = pytest.mark.django_db


def test_a_run_makes_books_with_everything_a_book_has_in_batches():
    progress = []
    report = catalog_generate(books=200, batch_size=50, progress=lambda done, total: progress.append((done, total)))

    assert progress == [(50, 200), (100, 200), (150, 200), (200, 200)]
    assert report.batches == 4 and report.books == 200
    assert report.loaded_markets  # the empty catalog had none: the demo's were loaded to price in
    assert Book.objects.count() == 200
    assert all(book.slug.startswith(SYNTHETIC_SLUG_PREFIX) for book in Book.objects.all())
    assert Book.objects.exclude(subtitle="").exists() and Book.objects.exclude(description="").count() == 200
    assert 10 <= Publisher.objects.count() and 50 <= report.subjects <= 200

    per_book = Book.objects.annotate(
        formats_count=Count("formats", distinct=True),
        toc_count=Count("toc_entries", distinct=True),
        authors_count=Count("contributions", distinct=True),
        subjects_count=Count("subjects", distinct=True),
    )
    for book in per_book:
        assert 1 <= book.formats_count <= 3
        assert 5 <= book.toc_count <= 40
        assert 1 <= book.authors_count <= 4
        assert book.subjects_count >= 1

    isbns = list(Format.objects.values_list("isbn", flat=True))
    assert len(isbns) == len(set(isbns)) == report.formats
    assert all(isbn13_parse(isbn) == isbn for isbn in isbns)

    books_per_author = Counter(Contribution.objects.values_list("author_id", flat=True))
    assert Author.objects.count() == report.authors < 200
    assert max(books_per_author.values()) > 1  # shared authors
    assert set(books_per_author) == set(Author.objects.values_list("pk", flat=True))  # nobody without a book
    assert TocEntry.objects.count() == report.toc_entries


def test_every_format_has_a_base_price_and_is_sold_in_the_us_and_the_uk():
    catalog_generate(books=30, batch_size=30)
    base = Market.objects.get(is_base=True)
    assert base.currency == "USD"
    formats = list(Format.objects.all())
    assert Price.objects.filter(market=base).count() == len(formats)
    assert Price.objects.exclude(market=base).exists()  # some set prices elsewhere; the rest derived
    for fmt in formats:
        us, uk = quote(fmt, "US"), quote(fmt, "GB")
        assert us.sold and us.currency == "USD" and us.amount > 0
        assert uk.sold and uk.currency == "GBP" and uk.amount > 0


def test_a_generated_book_is_found_by_its_title_and_isbn_and_its_page_renders(client):
    catalog_generate(books=40, batch_size=40)
    book = Book.objects.order_by("pk").first()
    fmt = book.formats.first()

    assert search_books(book.title).books.filter(pk=book.pk).exists()
    assert list(search_books(isbn_hyphenate(fmt.isbn)).books) == [book]
    response = client.get(book.get_absolute_url())
    assert response.status_code == 200
    assert book.title in response.content.decode()


def test_books_are_written_indexed_as_the_search_index_would_index_them():
    """The generator composes documents (and on PostgreSQL vectors) itself: reindexing changes nothing."""
    catalog_generate(books=60, batch_size=25)
    written = dict(Book.objects.values_list("pk", "search_document"))
    vectors = sorted(Book.objects.values_list("pk", "search_vector"))
    assert all(written.values())
    assert SearchWord.objects.filter(word=fold(Book.objects.first().title.split()[-1])).exists()

    book_search_index(books=Book.objects.all())

    assert dict(Book.objects.values_list("pk", "search_document")) == written
    assert sorted(Book.objects.values_list("pk", "search_vector")) == vectors
    if connection.vendor == "postgresql":
        assert all(vector for _, vector in vectors)


def test_every_field_a_save_would_fill_is_filled():
    """Rows written in bulk carry the defaults and timestamps save() would give them."""
    catalog_generate(books=10, batch_size=10)
    book = Book.objects.first()
    assert book.version == 1 and book.language == "en" and book.cover == ""
    assert book.created_at is not None and book.updated_at is not None
    assert {fmt.publication_date for fmt in Format.objects.all()} == {None}
    assert all(author.version == 1 and author.updated_at for author in Author.objects.all())


def test_running_again_adds_books_after_the_last_ones():
    first = catalog_generate(books=60, batch_size=25)
    second = catalog_generate(books=60, batch_size=25, seed=1)

    assert Book.objects.count() == 120
    assert second.publishers == 0  # shared with the first run
    assert Format.objects.count() == first.formats + second.formats
    assert len(set(Format.objects.values_list("isbn", flat=True))) == Format.objects.count()


def test_the_same_seed_gives_the_same_books():
    catalog_generate(books=20, batch_size=20, seed=7)
    first = list(Book.objects.order_by("slug").values_list("slug", "subtitle"))
    Book.objects.all().delete()
    Author.objects.all().delete()
    catalog_generate(books=20, batch_size=20, seed=7)
    assert list(Book.objects.order_by("slug").values_list("slug", "subtitle")) == first


def test_the_demo_catalog_is_not_real_data(demo_catalog):
    report = catalog_generate(books=10, batch_size=10)
    assert report.books == 10 and not report.loaded_markets


def test_the_command_refuses_a_database_with_other_books_unless_told(demo_catalog):
    seed = Book.objects.first()
    Book.objects.create(
        title="Someone’s Real Book", slug="someones-real-book", publisher=seed.publisher,
        publication_date=seed.publication_date, page_count=100,
    )
    with pytest.raises(CommandError, match=r"1 books? .*--allow-real-data"):
        call_command("generate_catalog", books=10, stdout=StringIO(), stderr=StringIO())
    assert not Book.objects.filter(slug__startswith=SYNTHETIC_SLUG_PREFIX).exists()

    out, err = StringIO(), StringIO()
    call_command("generate_catalog", "--books", "10", "--batch-size", "5", "--allow-real-data", stdout=out, stderr=err)
    assert Book.objects.filter(slug__startswith=SYNTHETIC_SLUG_PREFIX).count() == 10
    assert "\r10 / 10 books (100%)" in err.getvalue()
    assert "Added 10 books" in out.getvalue()


def test_the_planner_knows_the_new_rows_when_it_is_done():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the row estimates read here are PostgreSQL's (CI runs this on PostgreSQL)")
    catalog_generate(books=40, seed=3)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class"
            " WHERE relname IN ('catalog_book', 'catalog_tocentry', 'pricing_price')"
        )
        estimates = dict(cursor.fetchall())
    assert estimates == {
        "catalog_book": Book.objects.count(),
        "catalog_tocentry": TocEntry.objects.count(),
        "pricing_price": Price.objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_batches_are_written_in_a_thread_of_their_own_and_its_errors_stop_the_run(monkeypatch):
    """Outside a transaction, PostgreSQL gets a writer thread: each batch commits on its own
    connection while the next is made, and a failed batch stops the run with the error."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: elsewhere batches are written by the making thread (CI runs this on PostgreSQL)")
    threads = []
    write = BulkTable.write

    def recording_write(table, rows, **kwargs):
        threads.append(threading.current_thread().name)
        return write(table, rows, **kwargs)

    monkeypatch.setattr(BulkTable, "write", recording_write)
    report = catalog_generate(books=30, batch_size=10)
    assert report.books == 30 and report.batches == 3
    assert Book.objects.count() == 30 and Format.objects.count() == report.formats
    assert set(threads) == {"generate_catalog writer"}
    # Outside a transaction the run ends with VACUUM (ANALYZE): the new pages are all-visible,
    # so index-only scans need not read the table.
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpages, relallvisible FROM pg_class WHERE relname = 'catalog_book'")
        pages, all_visible = cursor.fetchone()
    assert pages > 0 and all_visible == pages

    def failing_write(table, rows, **kwargs):
        if table.model is TocEntry and Book.objects.count() > 40:  # the second run's second batch
            raise DatabaseError("disk full")
        return write(table, rows, **kwargs)

    monkeypatch.setattr(BulkTable, "write", failing_write)
    with pytest.raises(DatabaseError, match="disk full"):
        catalog_generate(books=50, batch_size=10)
    # The first batch of the second run committed; the failed one rolled back; nothing after it.
    assert Book.objects.count() == 40
    assert not Book.objects.filter(toc_entries=None).exists()
