"""Export the demo catalogue, import it into an empty catalogue, export again: nothing is lost."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.test import Client

from catalog.models import Author, Book, Publisher, Subject
from onix.export import onix_export_chunks
from onix.services import onix_import
from pricing.models import Price

SENT = re.compile(rb"<SentDateTime>[^<]*</SentDateTime>")

def pages(client: Client) -> dict[str, bytes]:
    """Each product page, as served. Its add-to-cart forms name formats by ISBN, which an import
    keeps, not by row id, which a new import renumbers: the pages are the same, byte for byte."""
    cache.clear()
    return {book.slug: client.get(book.get_absolute_url()).content for book in Book.objects.order_by("slug")}


@pytest.mark.django_db
def test_export_import_export_gives_the_same_file_and_the_same_product_pages(demo_catalog):
    client = Client()
    first = b"".join(onix_export_chunks())
    before = pages(client)
    prices = sorted(Price.objects.values_list("format__isbn", "market__name", "amount"))

    # An empty catalogue; markets, their countries and exchange rates are the store's, not ONIX's.
    Book.objects.all().delete()
    Author.objects.all().delete()
    Publisher.objects.all().delete()
    Subject.objects.all().delete()
    assert not Price.objects.exists()

    report = onix_import(file=io.BytesIO(first), dry_run=False)
    assert report.counts["refused"] == 0 and report.counts["created"] == first.count(b"<Product>")
    second = b"".join(onix_export_chunks())

    assert SENT.sub(b"", first) == SENT.sub(b"", second)
    assert sorted(Price.objects.values_list("format__isbn", "market__name", "amount")) == prices
    after = pages(client)
    assert after.keys() == before.keys()
    for slug, content in before.items():
        assert after[slug] == content, slug
    assert onix_import(file=io.BytesIO(second), dry_run=False).counts["unchanged"] == second.count(b"<Product>")


@pytest.mark.django_db
def test_series_quotes_codes_doi_status_and_edition_statement_survive_the_round_trip(seed_book):
    from catalog.models import Format, ReviewQuote, Series
    from tests.onix.test_export import schema_errors

    series = Series.objects.create(title="Studies in Soviet History", slug="studies-in-soviet-history")
    seed_book.series, seed_book.series_number = series, 3
    seed_book.doi, seed_book.edition_statement = "10.4324/9780203878590", "Revised and expanded"
    seed_book.save()
    ReviewQuote.objects.create(book=seed_book, kind="06", text="A fine book.", author="A. Critic", source="A Review")
    ReviewQuote.objects.create(book=seed_book, kind="09", text="Essential.", author="B. Scholar", position=2)
    subject = seed_book.subjects.first()
    subject.bisac_code, subject.thema_code = "HIS032000", "NHD"
    subject.save()
    Format.objects.filter(book=seed_book).update(publishing_status="07", availability="40")
    books = Book.objects.filter(pk=seed_book.pk)
    first = b"".join(onix_export_chunks(books))
    assert schema_errors(first) == []
    for text in (b"<PartNumber>3</PartNumber>", b"Studies in Soviet History", b"<TextType>09</TextType>",
                 b"<WorkIDType>06</WorkIDType>", b"<SubjectCode>HIS032000</SubjectCode>",
                 b"<PublishingStatus>07</PublishingStatus>", b"Revised and expanded"):
        assert text in first

    Book.objects.all().delete()
    Series.objects.all().delete()
    subject.bisac_code = subject.thema_code = ""
    subject.save()
    report = onix_import(file=io.BytesIO(first), dry_run=False)
    assert report.counts["created"] == 1, report.products
    second = b"".join(onix_export_chunks(Book.objects.all()))
    assert SENT.sub(b"", first) == SENT.sub(b"", second)
