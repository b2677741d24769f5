"""Search: titles, subtitles, authors, ISBNs, description words, typos; hostile input is harmless.

Runs on SQLite and, in CI, on PostgreSQL (full-text with a GIN index plus trigrams).
"""

import re

import pytest
from django.db import connection

from catalog.models import Book
from catalog.search import book_search_index
from tests.conftest import card_titles
from tests.factories import BookFactory

pytestmark = pytest.mark.django_db
SEED_TITLE = "The Russian Revolution in Retreat, 1920–24"


def result_titles(client, query, page=None) -> list[str]:
    params = {"q": query}
    if page:
        params["page"] = page
    response = client.get("/search/", params)
    assert response.status_code == 200
    return card_titles(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Retreat", [SEED_TITLE]),
        ("russian revolution", [SEED_TITLE]),
        ("New Communist Elite", [SEED_TITLE]),
        ("Pirani", [SEED_TITLE]),
        ("Simon Pirani", [SEED_TITLE]),
        ("Kronshtadt", [SEED_TITLE]),
        ("9780415546416", [SEED_TITLE]),
        ("978-0-415-54641-6", [SEED_TITLE]),
        ("0-415-54641-9", [SEED_TITLE]),
        ("Piranni", [SEED_TITLE]),
        ("Kronstadt naval", [SEED_TITLE]),
        ("Harbour Lights", ["Harbour Lights"]),
        ("clockmakers", ["Small Machines"]),
        ("Steppe", ["Letters from the Steppe"]),
    ],
)
def test_finds_the_book(demo_catalog, client, query, expected):
    assert result_titles(client, query)[: len(expected)] == expected


def test_an_author_finds_all_their_books_newest_first(demo_catalog, client):
    titles = result_titles(client, "Margaret Ellery")
    assert set(titles) == {"Harbour Lights", "The Grammar of Rivers"}


def test_nothing_found_says_so(demo_catalog, client):
    response = client.get("/search/", {"q": "zzzqqq"})
    assert card_titles(response) == []
    assert "No books match “zzzqqq”" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["", "   ", "' OR 1=1 --", "\x00", "Pirani\x00", "a" * 5000, "<script>alert(1)</script>", "%", "_", "\\",
     "& | ! ( ) : *", '"unbalanced', "-", "🙂", "SELECT * FROM catalog_book;", "\u202e"],
)
def test_odd_or_hostile_queries_give_a_normal_page(demo_catalog, client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    content = response.content.decode()
    assert re.search(r"<h1>(Search results for “.*”|Search the catalog)</h1>", content, re.S)
    assert '<input type="search" id="search-q" name="q"' in content
    assert "<script>alert(1)</script>" not in content
    assert "\x00" not in content


def test_results_are_paginated_and_bad_pages_are_404(client):
    for number in range(12):
        BookFactory(title=f"Paginated Atlas {number}")
    book_search_index()
    assert len(result_titles(client, "Atlas")) == 10
    assert len(result_titles(client, "Atlas", page=2)) == 2
    assert client.get("/search/", {"q": "Atlas", "page": "3"}).status_code == 404
    assert client.get("/search/", {"q": "Atlas", "page": "x"}).status_code == 404
    assert 'href="?q=Atlas&amp;page=2"' in client.get("/search/", {"q": "Atlas"}).content.decode()


def test_editing_in_the_admin_updates_the_search(demo_catalog, admin_client):
    from tests.admin_forms import change_form

    book = Book.objects.get(slug="small-machines")
    url = f"/admin/catalog/book/{book.pk}/change/"
    data = change_form(admin_client, url, "book_form")
    data["subtitle"] = "Horologists and the Making of Precision"
    assert admin_client.post(url, data).status_code == 302
    titles = [b.title for b in Book.objects.search("horologists")]
    assert titles == ["Small Machines"]


def test_postgres_uses_the_stored_vector_and_its_gin_index(demo_catalog):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no search vectors (CI runs this on PostgreSQL)")
    assert Book.objects.exclude(search_vector=None).count() == Book.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'catalog_book'")
        indexes = " ".join(row[0] for row in cursor.fetchall())
    assert re.search(r"USING gin \(search_vector\)", indexes)
    assert "gin_trgm_ops" in indexes
    ranked = list(Book.objects.search("Soviet workers"))
    assert ranked[0].title == SEED_TITLE


def test_a_word_ending_a_paragraph_is_found(client):
    """"movements.</p><p>This" must not become the one token "movements.this" (PostgreSQL's parser)."""
    book = BookFactory(
        title="Workers in Retreat",
        description="<p>It covers the protest movements.</p><p>This book argues &amp; shows.</p>",
    )
    book_search_index(books=[book])
    book.refresh_from_db()
    assert "protest movements. this book argues & shows." in book.search_document
    content = client.get("/search/", {"q": "movements"}).content.decode()
    assert "Workers in Retreat" in content
