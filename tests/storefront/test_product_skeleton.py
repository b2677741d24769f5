"""The product page's skeleton (storefront.product_page): rendered once, filled for every country.

A skeleton made for one reader must serve every other one byte for byte as if the page had been
rendered for them from scratch: nothing of the country it was first rendered for may stay in it.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.text import Truncator
from hypothesis import given
from hypothesis import strategies as st

from catalog.models import Book
from demo.data import SEED_BOOK_SLUG
from storefront import page_cache
from storefront.product_page import first_words

pytestmark = pytest.mark.django_db

SEED_URL = f"/books/{SEED_BOOK_SLUG}/"
# Every demo market and tax wording, a country no market names, and a code that is no country.
COUNTRIES = ["US", "GB", "DE", "JP", "AU", "IN", "BR", "ZZ"]


def uncached(client: Client, url: str, country: str) -> bytes:
    """The page for `country`, never from the page cache (an unknown parameter bypasses it)."""
    response = client.get(url, {"country": country, "uncached": "1"})
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("first_country", ["US", "JP"])
def test_a_skeleton_from_one_country_serves_every_other_as_if_rendered_for_it(demo_catalog, first_country):
    client = Client()
    for book in Book.objects.all():
        url = book.get_absolute_url()
        for country in COUNTRIES:
            page_cache.invalidate()  # a fresh skeleton, first rendered for `first_country`
            uncached(client, url, first_country)
            from_skeleton = uncached(client, url, country)
            page_cache.invalidate()  # a fresh skeleton, rendered for `country` itself
            from_scratch = uncached(client, url, country)
            assert from_skeleton == from_scratch, (book.slug, first_country, country)


def test_the_filled_slots_are_the_visitors(demo_catalog):
    client = Client()
    uncached(client, SEED_URL, "US")
    page = uncached(client, SEED_URL, "GB").decode()
    assert "<!--slot:" not in page
    assert "GBP £48.99" in page and "USD $62.95" not in page
    assert '"priceCurrency": "GBP"' in page and '"eligibleRegion": "GB"' in page
    assert '<option value="GB" selected>' in page and '<option value="US" selected>' not in page
    unknown = uncached(client, SEED_URL, "ZZ").decode()
    assert "“ZZ” is not a country code we know" in unknown


def test_a_change_is_seen_by_a_page_rendered_from_the_skeleton(demo_catalog, django_capture_on_commit_callbacks):
    client = Client()
    uncached(client, SEED_URL, "US")
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    with django_capture_on_commit_callbacks(execute=True):
        book.title = "A Title Changed Since"
        book.save()
    assert "A Title Changed Since" in uncached(client, SEED_URL, "GB").decode()


def test_an_unknown_book_is_a_404_and_keeps_nothing(demo_catalog, client):
    assert client.get("/books/no-such-book/", {"uncached": "1"}).status_code == 404
    assert client.get("/books/no-such-book/").status_code == 404


@given(text=st.text(alphabet=st.sampled_from("ab é\n\t\u00a0\u2003.,…"), max_size=120), count=st.integers(1, 12))
def test_the_summary_is_the_descriptions_first_words_as_django_truncates_them(text, count):
    assert first_words(text, count) == Truncator(text).words(count)
