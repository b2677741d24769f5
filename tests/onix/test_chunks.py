"""Importing in chunks: rows read and written in bulk, each product still saved whole or refused alone."""

from __future__ import annotations

import io

import pytest
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from stdnum import ean

from catalog.models import Book, Contribution, Format, TocEntry
from catalog.search import search_books
from demo.services import demo_markets_load
from onix import services
from onix.services import onix_import
from pricing.models import Price
from storefront import page_cache
from tests.onix.conftest import onix_message, price_xml, product_xml

CONTENTS = (
    "<TextContent><TextType>04</TextType><ContentAudience>00</ContentAudience>"
    '<Text textformat="06">Introduction\n1. Moons\n2. Tides</Text></TextContent>'
)


def isbn(number: int) -> str:
    digits = f"978030699{number:03d}"
    return digits + ean.calc_check_digit(digits)


def stored_product(number: int, **overrides) -> str:
    """A product as the store exports one: its book named by the store's own work identifier (the slug)."""
    values = {
        "title": f"Orbit {number}",
        "prices": price_xml("25.00", "USD") + price_xml("19.99", "GBP", price_type="02", countries="GB"),
        "texts": CONTENTS,
        **overrides,
    }
    xml = product_xml(isbn(number), **values)
    work = (
        "<RelatedMaterial><RelatedWork><WorkRelationCode>01</WorkRelationCode><WorkIdentifier><WorkIDType>01"
        f"</WorkIDType><IDTypeName>Bookstore book</IDTypeName><IDValue>orbit-{number}</IDValue></WorkIdentifier>"
        "</RelatedWork></RelatedMaterial>"
    )
    return xml.replace("</Product>", work + "</Product>")


def run(data: bytes, *, dry_run: bool = False):
    return onix_import(file=io.BytesIO(data), dry_run=dry_run, file_name="chunks.xml")


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}]


@pytest.mark.django_db
def test_a_product_refused_inside_a_chunk_is_reported_with_its_line_and_the_others_of_the_chunk_load(monkeypatch):
    demo_markets_load()
    monkeypatch.setattr(services, "CHUNK_SIZE", 4)
    # The third is found wanting only once matched (a new book needs a page count), after the chunk began.
    data = onix_message(*(stored_product(n, pages=None if n == 3 else 200, record=f"REC-{n}") for n in range(1, 7)))
    report = run(data)
    assert report.counts == {"created": 5, "changed": 0, "unchanged": 0, "refused": 1}
    [refused] = [product for product in report.products if product.outcome == "refused"]
    assert refused.reference == "REC-3" and "no page count" in refused.reason
    lines = data.decode().splitlines()
    assert lines[refused.line - 1].strip() == "<Product>" and "REC-3" in lines[refused.line]
    assert sorted(Book.objects.values_list("title", flat=True)) == [f"Orbit {n}" for n in (1, 2, 4, 5, 6)]
    assert Price.objects.count() == 10 and TocEntry.objects.count() == 15


@pytest.mark.django_db
def test_a_chunk_the_database_refuses_is_written_again_one_product_at_a_time(monkeypatch):
    demo_markets_load()
    bad = isbn(2)
    write = services._chunk_write

    def refusing(chunk):
        if any(fmt.isbn == bad for fmt in chunk.new[Format]):
            raise IntegrityError("duplicate key value violates unique constraint")
        write(chunk)

    monkeypatch.setattr(services, "_chunk_write", refusing)
    report = run(onix_message(*(stored_product(n) for n in range(1, 5))))
    assert report.counts == {"created": 3, "changed": 0, "unchanged": 0, "refused": 1}
    [refused] = [product for product in report.products if product.outcome == "refused"]
    assert refused.isbn == bad and "The database refused it" in refused.reason
    assert set(Format.objects.values_list("isbn", flat=True)) == {isbn(1), isbn(3), isbn(4)}
    # Nothing of the refused product stayed behind: its book, contents and prices went with it.
    assert not Book.objects.filter(slug="orbit-2").exists()
    assert Price.objects.count() == 6 and TocEntry.objects.count() == 9


@pytest.mark.django_db
def test_a_first_load_takes_as_many_queries_for_twelve_products_as_for_three():
    demo_markets_load()
    run(onix_message(stored_product(99)))  # the publisher and author exist, as they would after the first chunk
    counts = []
    for numbers in (range(1, 4), range(11, 23)):
        with CaptureQueriesContext(connection) as queries:
            report = run(onix_message(*(stored_product(n) for n in numbers)))
        assert report.counts["created"] == len(numbers)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Contribution.objects.filter(book__slug="orbit-22").count() == 1
    assert Format.objects.get(isbn=isbn(22)).book.slug == "orbit-22"


@pytest.mark.django_db
def test_the_same_file_again_writes_nothing_in_as_many_queries_for_twelve_products_as_for_three():
    demo_markets_load()
    counts = []
    for numbers in (range(1, 4), range(11, 23)):
        data = onix_message(*(stored_product(n) for n in numbers))
        run(data)
        with CaptureQueriesContext(connection) as queries:
            report = run(data)
        assert report.counts == {"created": 0, "changed": 0, "unchanged": len(numbers), "refused": 0}
        assert writes(queries) == []
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_formats_of_one_work_join_one_book_within_a_chunk_and_across_chunks(monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    products = [
        product_xml(isbn(n), title="Tides", form=form, work="W1", date=date)
        for n, form, date in ((1, "BB", "20240601"), (2, "BC", "20240101"), (3, "EA", "20230901"))
    ]
    report = run(onix_message(*products))
    assert report.counts["created"] == 3
    book = Book.objects.get()
    assert str(book.publication_date) == "2023-09-01"
    assert dict(book.formats.values_list("isbn", "publication_date")) == {
        isbn(1): __import__("datetime").date(2024, 6, 1),
        isbn(2): __import__("datetime").date(2024, 1, 1),
        isbn(3): None,
    }
    assert run(onix_message(*products)).counts["unchanged"] == 3


@pytest.mark.django_db
def test_each_chunk_refreshes_the_search_index_and_the_page_cache(
    monkeypatch, seed_book, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    client = Client()
    assert client.get(seed_book.get_absolute_url()).status_code == 200
    generation = page_cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        run(onix_message(*(stored_product(n, title=f"Quasar {n}") for n in range(1, 4))))
    assert len(search_books("quasar").book_ids) == 3
    assert page_cache.generation() != generation


@pytest.mark.django_db
def test_a_dry_run_in_chunks_reports_a_late_refusal_and_saves_nothing(monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    data = onix_message(*(stored_product(n, pages=None if n == 2 else 200) for n in range(1, 4)))
    report = run(data, dry_run=True)
    assert report.counts == {"created": 2, "changed": 0, "unchanged": 0, "refused": 1}
    assert not Book.objects.exists() and not Format.objects.exists()


@pytest.mark.django_db
def test_a_book_an_editor_saved_after_its_chunk_was_read_is_read_again_not_overwritten(monkeypatch):
    run(onix_message(*(stored_product(n) for n in (1, 2))))
    read = services._chunk_read
    reads = []

    def read_then_an_editor_saves(products, context):
        chunk = read(products, context)
        reads.append(len(products))
        if len(reads) <= stale_reads:
            for book in chunk.books_by_pk.values():
                book.version -= 1  # as if an editor had saved it since: the import's save is refused
        return chunk

    monkeypatch.setattr(services, "_chunk_read", read_then_an_editor_saves)
    stale_reads = 1
    report = run(onix_message(stored_product(1, title="Orbit One"), stored_product(2)))
    # The chunk is rolled back and written again in halves, each reading the book afresh.
    assert reads == [2, 1, 1]
    assert report.counts == {"created": 0, "changed": 1, "unchanged": 1, "refused": 0}
    assert report.products[0].changes == [("title", "Orbit 1", "Orbit One")]
    assert Book.objects.get(slug="orbit-1").title == "Orbit One"

    reads.clear()
    stale_reads = 10  # saved again at every reading: the product is refused with the reason
    refused = run(onix_message(stored_product(1, title="Orbit Again")))
    assert refused.counts["refused"] == 1 and "An editor saved" in refused.products[0].reason
    assert Book.objects.get(slug="orbit-1").title == "Orbit One"
