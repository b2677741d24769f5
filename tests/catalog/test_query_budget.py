"""The product page runs a fixed number of queries, whatever the size of the book."""

import pytest

from tests.factories import book_with

pytestmark = pytest.mark.django_db

# Book with publisher, contributions with authors, formats, table of contents.
PRODUCT_PAGE_QUERIES = 4


@pytest.mark.parametrize(
    ("contributors", "formats", "toc_entries"),
    [(1, 1, 1), (5, 5, 50)],
)
def test_product_page_query_count_is_flat(client, django_assert_num_queries, contributors, formats, toc_entries):
    book = book_with(contributors=contributors, formats=formats, toc_entries=toc_entries)
    with django_assert_num_queries(PRODUCT_PAGE_QUERIES):
        response = client.get(book.get_absolute_url())
    assert response.content.decode().count('class="toc-entry') == toc_entries
    assert response.content.decode().count('class="format"') == formats


@pytest.mark.parametrize("books", [1, 12])
def test_catalog_query_count_is_flat(client, django_assert_num_queries, books):
    for _ in range(books):
        book_with(contributors=2, formats=2)
    # Count for pagination, books with publishers, contributions with authors, formats.
    with django_assert_num_queries(4):
        client.get("/")
