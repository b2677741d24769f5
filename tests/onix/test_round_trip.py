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
