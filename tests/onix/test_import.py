"""Importing ONIX: matching, grouping by work, idempotent updates, prices, refusals and dry runs."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from catalog.models import Author, Book, Format, Publisher
from catalog.onix_codes import PublishingStatus
from catalog.search import search_books
from catalog.signals import catalogue_changed
from demo.services import demo_markets_load
from onix import services
from onix.services import onix_import
from pricing.models import Price
from storefront import page_cache
from tests.onix.conftest import onix_message, price_xml, product_xml

HARDBACK, PAPERBACK, EBOOK = "9780306406157", "9780262033848", "9780131103627"


def run(data: bytes, *, dry_run: bool = False):
    return onix_import(file=io.BytesIO(data), dry_run=dry_run, file_name="test.xml")


@pytest.mark.django_db
def test_formats_of_one_work_become_one_book_with_its_contributors_and_publisher():
    report = run(
        onix_message(
            product_xml(HARDBACK, title="Tides", subtitle="A History", work="W1",
                        contributors=(("Ada Writer", "A01"), ("Bo Editor", "B01"))),
            product_xml(PAPERBACK, title="Tides", subtitle="A History", form="BC", work="W1", date="20240601",
                        contributors=(("Ada Writer", "A01"), ("Bo Editor", "B01"))),
            product_xml(EBOOK, title="Another", form="EA", work="W2"),
        )
    )
    assert report.counts == {"created": 3, "changed": 0, "unchanged": 0, "refused": 0}
    tides = Book.objects.get(title="Tides")
    assert tides.subtitle == "A History"
    assert sorted(tides.formats.values_list("isbn", "binding", "publication_date")) == [
        (PAPERBACK, "BC", __import__("datetime").date(2024, 6, 1)),
        (HARDBACK, "BB", None),
    ]
    assert [(c.author.name, c.role) for c in tides.contributions.order_by("position")] == [
        ("Ada Writer", "author"), ("Bo Editor", "editor")
    ]
    assert tides.publisher.name == "Test Press" and Publisher.objects.count() == 1
    assert Author.objects.filter(name="Ada Writer").count() == 1  # matched on the second and third products
    assert Book.objects.count() == 2


@pytest.mark.django_db
def test_a_format_joins_the_book_of_a_related_product_of_the_same_work():
    run(onix_message(product_xml(HARDBACK, title="Tides")))
    related = (
        "<RelatedProduct><ProductRelationCode>06</ProductRelationCode><ProductIdentifier>"
        f"<ProductIDType>15</ProductIDType><IDValue>{HARDBACK}</IDValue></ProductIdentifier></RelatedProduct>"
    )
    run(onix_message(product_xml(EBOOK, title="Tides", form="EA", related=related)))
    assert Book.objects.count() == 1
    assert Format.objects.get(isbn=EBOOK).book == Format.objects.get(isbn=HARDBACK).book


@pytest.mark.django_db
def test_the_same_file_twice_changes_nothing_the_second_time():
    demo_markets_load()
    data = onix_message(
        product_xml(HARDBACK, work="W1", prices=price_xml("25.00", "USD") + price_xml("19.99", "GBP", price_type="02",
                                                                                        countries="GB")),
        product_xml(PAPERBACK, form="BC", work="W1"),
    )
    run(data)
    stamps = list(Book.objects.values_list("updated_at", "version"))
    second = run(data)
    assert second.counts == {"created": 0, "changed": 0, "unchanged": 2, "refused": 0}
    assert list(Book.objects.values_list("updated_at", "version")) == stamps
    assert Price.objects.count() == 2


@pytest.mark.django_db
def test_an_invalid_isbn_is_refused_with_its_record_line_and_reason_and_the_others_load():
    data = onix_message(
        product_xml(HARDBACK, title="Good One"),
        product_xml("9780306406158", title="Bad Check Digit", record="REC-BAD"),
        product_xml(EBOOK, title="Good Two", form="EA"),
    )
    report = run(data)
    assert report.counts["created"] == 2 and report.counts["refused"] == 1
    [refused] = [product for product in report.products if product.outcome == "refused"]
    assert refused.reference == "REC-BAD"
    assert data.decode().splitlines()[refused.line - 1].strip() == "<Product>"
    assert "check digit is wrong" in refused.reason
    assert sorted(Book.objects.values_list("title", flat=True)) == ["Good One", "Good Two"]


@pytest.mark.django_db
def test_products_that_cannot_be_books_are_refused_with_the_reason():
    report = run(
        onix_message(
            product_xml(HARDBACK, form="AJ"),
            product_xml(PAPERBACK, pages=None),
            product_xml(EBOOK, date="20241345"),
        )
    )
    reasons = [product.reason for product in report.products]
    assert "Product form “AJ” is not sold here" in reasons[0]
    assert "no page count" in reasons[1]
    assert "is not a date" in reasons[2]
    assert not Book.objects.exists()


@pytest.mark.django_db
def test_a_file_broken_midway_keeps_the_products_before_the_break():
    data = onix_message(product_xml(HARDBACK)).replace(b"</ONIXMessage>", b"<Product><Oops></Product></ONIXMessage>")
    report = run(data)
    assert report.counts["created"] == 1
    assert "not well-formed XML" in report.file_error and report.file_error.startswith("Line ")
    assert Format.objects.filter(isbn=HARDBACK).exists()


@pytest.mark.django_db
def test_prices_go_to_the_market_of_their_currency_and_territory():
    demo_markets_load()
    prices = "".join(
        [
            price_xml("30.00", "USD", countries="US"),
            price_xml("24.99", "GBP", price_type="02", countries="GB"),
            price_xml("27.95", "EUR", price_type="02", countries="DE FR"),
            price_xml("32.00", "USD", regions="WORLD"),
            price_xml("3000", "JPY", price_type="01", countries="JP"),  # Japan's prices include tax
            price_xml("12.345", "USD", countries="US"),
            price_xml("10.00", "NZD", countries="NZ"),
        ]
    )
    report = run(onix_message(product_xml(HARDBACK, prices=prices)))
    fmt = Format.objects.get(isbn=HARDBACK)
    assert dict(Price.objects.filter(format=fmt).values_list("market__name", "amount")) == {
        "United States": Decimal("30.000"),
        "United Kingdom": Decimal("24.990"),
        "Eurozone": Decimal("27.950"),
        "Rest of the world": Decimal("32.000"),
    }
    notes = report.products[0].notes
    assert any("JPY 3000" in note and "include tax" in note for note in notes)
    assert any("USD 12.345" in note and "more decimals" in note for note in notes)
    assert any("NZD 10.00" in note and "no market" in note for note in notes)


@pytest.mark.django_db
def test_contents_description_and_biography_are_imported():
    texts = (
        "<TextContent><TextType>03</TextType><ContentAudience>00</ContentAudience>"
        "<Text textformat=\"02\">&lt;p&gt;About &lt;em&gt;tides&lt;/em&gt;.&lt;/p&gt;"
        "&lt;script&gt;x&lt;/script&gt;</Text>"
        "</TextContent>"
        "<TextContent><TextType>04</TextType><ContentAudience>00</ContentAudience>"
        "<Text textformat=\"06\">Introduction: Why Tides\n1. The Moon\n  1.1 Orbits\nAppendix 1. Tables</Text>"
        "</TextContent>"
        "<TextContent><TextType>12</TextType><ContentAudience>00</ContentAudience>"
        "<Text textformat=\"06\">Ada Writer lives by the sea.</Text></TextContent>"
    )
    run(onix_message(product_xml(HARDBACK, texts=texts)))
    book = Book.objects.get()
    assert book.description == "<p>About <em>tides</em>.</p>"
    assert [tuple(line) for line in book.toc_lines()] == [
        (1, "Introduction:", "Why Tides"), (1, "1.", "The Moon"), (2, "1.1", "Orbits"), (1, "Appendix 1.", "Tables")
    ]
    assert Author.objects.get().biography == "<p>Ada Writer lives by the sea.</p>"


@pytest.mark.django_db
def test_a_dry_run_saves_nothing_and_lists_every_change_field_by_field(seed_book):
    seed_isbn = seed_book.formats.get().isbn
    data = onix_message(
        product_xml(seed_isbn, title="A New Title", pages=300, publisher=seed_book.publisher.name,
                    contributors=(("Simon Pirani", "A01"),)),
        product_xml(HARDBACK, title="Brand New"),
        product_xml("123", title="No ISBN"),
    )
    report = run(data, dry_run=True)
    assert report.dry_run and report.counts == {"created": 1, "changed": 1, "unchanged": 0, "refused": 1}
    changed = next(product for product in report.products if product.outcome == "changed")
    assert ("title", seed_book.title, "A New Title") in changed.changes
    assert ("pages", "296", "300") in changed.changes
    seed_book.refresh_from_db()
    assert seed_book.title != "A New Title" and seed_book.page_count == 296
    assert not Format.objects.filter(isbn=HARDBACK).exists()
    assert "would be" in report.summary()


@pytest.mark.django_db
def test_an_import_updates_the_search_index_and_forgets_cached_pages_once_per_chunk(
    monkeypatch, seed_book, django_capture_on_commit_callbacks
):
    sent = []
    catalogue_changed.connect(lambda **kwargs: sent.append(kwargs), dispatch_uid="test-onix-sent", weak=False)
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    client = Client()
    url = seed_book.get_absolute_url()
    assert client.get(url).status_code == 200
    generation = page_cache.generation()
    try:
        data = onix_message(*(product_xml(isbn, title=f"Zanzibar {n}") for n, isbn in
                              enumerate([HARDBACK, PAPERBACK, EBOOK])))
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            run(data)
    finally:
        catalogue_changed.disconnect(dispatch_uid="test-onix-sent")
    assert len(sent) == 2  # two chunks, not one signal per saved row
    assert [callback for callback in callbacks if callback is page_cache.invalidate] == [page_cache.invalidate] * 2
    assert len(search_books("zanzibar").book_ids) == 3
    assert page_cache.generation() != generation


@pytest.mark.django_db
def test_the_book_date_is_its_earliest_format_and_follows_a_changed_date():
    run(onix_message(product_xml(HARDBACK, work="W"), product_xml(PAPERBACK, form="BC", work="W", date="20240601")))
    report = run(onix_message(product_xml(HARDBACK, work="W", date="20240901")))
    book = Book.objects.get()
    assert str(book.publication_date) == "2024-06-01"
    assert dict(book.formats.values_list("isbn", "publication_date")) == {
        HARDBACK: __import__("datetime").date(2024, 9, 1), PAPERBACK: None
    }
    assert ("publication date", "2024-01-01", "2024-06-01") in report.products[0].changes


@pytest.mark.django_db
def test_two_authors_of_one_name_stay_two_when_the_file_tells_them_apart():
    def named(isbn: str, slug: str) -> str:
        identifier = (
            "<NameIdentifier><NameIDType>01</NameIDType><IDTypeName>Bookstore author</IDTypeName>"
            f"<IDValue>{slug}</IDValue></NameIdentifier>"
        )
        return product_xml(isbn, title=slug).replace("<PersonName>", identifier + "<PersonName>")

    data = onix_message(named(HARDBACK, "ada-writer"), named(PAPERBACK, "ada-writer-2"))
    run(data)
    assert sorted(Author.objects.values_list("slug", "name")) == [
        ("ada-writer", "Ada Writer"), ("ada-writer-2", "Ada Writer")
    ]
    assert run(data).counts["unchanged"] == 2


@pytest.mark.django_db
def test_a_deletion_notice_withdraws_the_format_from_sale_and_keeps_it_listed():
    run(onix_message(product_xml(HARDBACK, work="W"), product_xml(PAPERBACK, form="BC", work="W")))
    notice = (
        "<Product><RecordReference>del-1</RecordReference><NotificationType>05</NotificationType>"
        f"<ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>{HARDBACK}</IDValue></ProductIdentifier>"
        "</Product>"
    )
    unknown = notice.replace(HARDBACK, EBOOK).replace("del-1", "del-2")
    report = run(onix_message(notice, unknown))
    assert report.counts == {"created": 0, "changed": 1, "unchanged": 0, "refused": 1}
    changed, refused = report.products
    assert changed.reference == "del-1" and changed.changes == [(f"publishing status of {HARDBACK}", "04", "11")]
    assert refused.reference == "del-2" and "nothing to withdraw" in refused.reason
    hardback = Format.objects.get(isbn=HARDBACK)
    assert hardback.publishing_status == PublishingStatus.WITHDRAWN_FROM_SALE and not hardback.is_offered
    assert Format.objects.get(isbn=PAPERBACK).publishing_status == PublishingStatus.ACTIVE
    assert run(onix_message(notice)).counts["unchanged"] == 1
    # A later record for the ISBN brings the format back with the status it sends.
    back = product_xml(HARDBACK, work="W", publishing="<PublishingStatus>04</PublishingStatus>")
    assert run(onix_message(back)).counts["changed"] == 1
    assert Format.objects.get(isbn=HARDBACK).publishing_status == PublishingStatus.ACTIVE


@pytest.mark.django_db
def test_a_large_import_leaves_the_query_planner_statistics_of_what_it_loaded(monkeypatch):
    """A first load must not leave the planner believing the tables empty (autovacuum may be off)."""
    monkeypatch.setattr(services, "STATISTICS_REFRESH_AFTER", 3)
    isbns = ["9780306406157", "9780262033848", "9780131103627"]
    run(onix_message(*(product_xml(isbn, title=f"Book {n}") for n, isbn in enumerate(isbns))))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'catalog_format'")
        else:
            cursor.execute("SELECT CAST(stat AS INTEGER) FROM sqlite_stat1 WHERE tbl = 'catalog_format' LIMIT 1")
        assert cursor.fetchone()[0] == Format.objects.count() == 3
