"""The product page runs a fixed number of queries, whatever the size of the book or the price list."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.models import Book, RelatedTitle, ReviewQuote, SalesRights, Series, Subject
from pricing.models import ExchangeRate, Market, MarketCountry, Price
from storefront import page_cache
from tests.factories import AuthorFactory, BookFactory, ContributionFactory, book_with

pytestmark = pytest.mark.django_db

# Book with publisher and series, contributions with authors, formats with their sales rights,
# subjects and table of contents in one; review quotes; related titles with their books (at most:
# a book without quotes or related titles is not asked for them; tests/catalog/test_book_page.py).
CATALOG_QUERIES = 3
# The markets the country depends on (its own, the rest of the world, the base) with its tax and
# shipping terms, in one query; prices; exchange rate.
PRICE_BOX_QUERIES = 3
# Once markets, terms and rates are in memory (until one of them changes): the prices.
PRICE_BOX_QUERIES_AFTER_THE_FIRST = 1
EXTRA_MARKET_COUNTRIES = ["CA", "AU", "JP", "NZ", "IN", "ZA", "MX", "BR", "KR", "SG"]


def price_list(book, extra_markets: int) -> None:
    base = Market.objects.create(name="United States", currency="USD", is_base=True)
    MarketCountry.objects.create(market=base, country="US")
    eurozone = Market.objects.create(name="Eurozone", currency="EUR", prices_include_tax=True)
    MarketCountry.objects.create(
        market=eurozone, country="DE", print_tax_rate=Decimal("7"), ebook_tax_rate=Decimal("7")
    )
    MarketCountry.objects.create(market=eurozone, country="FR")
    for code in EXTRA_MARKET_COUNTRIES[:extra_markets]:
        MarketCountry.objects.create(market=Market.objects.create(name=f"Market {code}", currency="USD"), country=code)
    Market.objects.create(name="Rest of the world", currency="USD", is_rest_of_world=True)
    ExchangeRate.objects.create(
        base_currency="USD", quote_currency="EUR", rate=Decimal("0.92"), valid_from=date(2020, 1, 1)
    )
    for fmt in book.formats.all():
        Price.objects.create(format=fmt, market=base, amount=Decimal("50.00"))


def onix_metadata(book, size: int) -> None:
    """`size` review quotes, related titles, subjects and sales rights per format, and a series of `size` books."""
    book.subjects.add(*(Subject.objects.create(name=f"Subject {n}", slug=f"subject-{n}") for n in range(size)))
    series = Series.objects.create(title="A Series", slug="a-series")
    Book.objects.filter(pk=book.pk).update(series=series, series_number=1)
    for number in range(size):
        ReviewQuote.objects.create(book=book, text=f"Praise {number}.", source=f"Review {number}", position=number)
        other = BookFactory(series=series, series_number=number + 2)
        RelatedTitle.objects.create(book=book, related_book=other, relation="23", position=number)
    for fmt in book.formats.all():
        for number in range(size):
            SalesRights.objects.create(format=fmt, rights_type="01", regions_included="WORLD",
                                       countries_excluded=[EXTRA_MARKET_COUNTRIES[number % 10]])


@pytest.mark.parametrize(
    ("contributors", "formats", "toc_entries", "extra_markets", "metadata"),
    [(1, 1, 1, 0, 1), (5, 3, 50, 10, 8), (5, 5, 50, 2, 3)],
)
def test_product_page_query_count_is_flat(
    client, django_assert_num_queries, contributors, formats, toc_entries, extra_markets, metadata
):
    book = book_with(contributors=contributors, formats=formats, toc_entries=toc_entries)
    price_list(book, extra_markets)
    onix_metadata(book, metadata)
    with django_assert_num_queries(CATALOG_QUERIES + PRICE_BOX_QUERIES):
        response = client.get(book.get_absolute_url() + "?country=DE")
    content = response.content.decode()
    assert content.count('class="toc-entry') == toc_entries
    assert content.count('class="format"') == formats
    assert content.count('<figure class="praise-quote') == metadata
    assert content.count('class="related-list"') == 1 and content.count("(Similar product)") == 0
    # Every format priced, derived through the rate: 50.00 × 0.92 × 1.07 = 49.22 -> 49.95.
    assert content.count('<strong class="price">EUR €49.95</strong>') == formats
    # Not from the page cache (a query parameter bypasses it): the page's skeleton is kept
    # (storefront.product_page), so only the prices are read.
    with django_assert_num_queries(PRICE_BOX_QUERIES_AFTER_THE_FIRST):
        again = client.get(book.get_absolute_url() + "?country=DE&uncached=1")
    assert again.content.decode() == content
    # After a change (the generation moves on), the page is rendered again; pricing facts are
    # still in memory.
    page_cache.invalidate()
    with django_assert_num_queries(CATALOG_QUERIES + PRICE_BOX_QUERIES_AFTER_THE_FIRST):
        fresh = client.get(book.get_absolute_url() + "?country=DE&uncached=1")
    assert fresh.content.decode() == content


@pytest.mark.parametrize("books", [2, 30])
def test_catalog_query_count_is_flat(client, django_assert_num_queries, books):
    made = [book_with(contributors=2, formats=2) for _ in range(books)]
    # Books with publishers, contributions with authors, formats: nothing is counted.
    with django_assert_num_queries(3):
        client.get("/")
    # A later page: its first book's position, the page, the books before it (for "Previous"),
    # contributions, formats.
    with django_assert_num_queries(5):
        response = client.get("/", {"from": made[-2].pk})  # the second newest: one book or a full page
    assert response.context["books"][0] == made[-2]


@pytest.mark.parametrize("books", [2, 30])
def test_author_page_query_count_is_flat(client, django_assert_num_queries, books):
    author = AuthorFactory()
    made = []
    for _ in range(books):
        book = book_with(contributors=2, formats=2)
        ContributionFactory(book=book, author=author, position=3)
        made.append(book)
    url = author.get_absolute_url()
    # The author, then as the catalog.
    with django_assert_num_queries(4):
        client.get(url)
    with django_assert_num_queries(6):
        response = client.get(url, {"from": made[-2].pk})
    assert response.context["books"][0] == made[-2]


@pytest.mark.parametrize("books", [2, 30])
def test_series_page_query_count_is_flat(client, django_assert_num_queries, books):
    series = Series.objects.create(title="A Series", slug="a-series")
    for number in range(books):
        book = book_with(contributors=2, formats=2)
        Book.objects.filter(pk=book.pk).update(series=series, series_number=books - number)
    # The series, its books with publishers, contributions, formats.
    with django_assert_num_queries(4):
        response = client.get(series.get_absolute_url())
    numbers = [book.series_number for book in response.context["books"]]
    assert numbers == list(range(1, books + 1))
