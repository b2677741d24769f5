"""Search queries: accents and case never matter, misspelt words are corrected from the catalog's
vocabulary and reported, and a search costs a few small queries whatever the catalog's size.

Runs on SQLite and, in CI, on PostgreSQL.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Book
from catalog.search import book_search_index, fold, search_books, search_terms
from tests.conftest import card_titles
from tests.factories import AuthorFactory, BookFactory, ContributionFactory

SEED_TITLE = "The Russian Revolution in Retreat, 1920–24"
TOMAS_BOOKS = {"Counting the Harvest"}
HELENE_BOOKS = {"Counting the Harvest", "Letters from the Steppe"}


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Tomás", "tomas"),
        ("TOMÁS", "tomas"),
        ("Élite", "elite"),
        ("Hélène Marchand", "helene marchand"),
        ("Straße", "strasse"),
        ("Russia’s 1920–24", "russia's 1920-24"),
        ("ﬁnal", "final"),
    ],
)
def test_folding_drops_case_and_accents(text, folded):
    assert fold(text) == folded


def test_an_accent_typed_as_a_combining_mark_stays_in_its_word():
    assert search_terms("Toma\u0301s Ibarra") == ["Tomás", "Ibarra"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("TOMÁS", TOMAS_BOOKS),
        ("Tomás", TOMAS_BOOKS),
        ("tomas", TOMAS_BOOKS),
        ("TOMAS IBARRA", TOMAS_BOOKS),
        ("Hélène", HELENE_BOOKS),
        ("HÉLÈNE MARCHAND", HELENE_BOOKS),
        ("helene", HELENE_BOOKS),
        ("ÉLITE", {SEED_TITLE}),
        ("elite", {SEED_TITLE}),
    ],
)
def test_accents_and_case_do_not_matter(demo_catalog, query, expected):
    assert {book.title for book in Book.objects.search(query)} == expected


@pytest.mark.django_db
def test_the_search_page_finds_an_accented_name_typed_in_capitals(demo_catalog, client):
    response = client.get("/search/", {"q": "TOMÁS"})
    assert card_titles(response) == ["Counting the Harvest"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "corrected", "title"),
    [
        ("Piranni", "Pirani", SEED_TITLE),
        ("Simon Piranni", "Simon Pirani", SEED_TITLE),
        ("PIRANNI", "PIRANI", SEED_TITLE),
        ("Tomás Ibara", "Tomás Ibarra", "Counting the Harvest"),
        ("kronshadt", "kronshtadt", SEED_TITLE),
    ],
)
def test_a_misspelt_word_is_corrected_and_says_so(demo_catalog, query, corrected, title):
    found = search_books(query)
    assert found.corrected_query == corrected
    assert [book.title for book in found.books][:1] == [title]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Pirani", "tomas", "Soviet workers", "9780415546416", "zzzqqq"])
def test_words_the_catalog_has_or_nothing_close_are_not_corrected(demo_catalog, query):
    assert search_books(query).corrected_query is None


@pytest.mark.django_db
def test_search_books_keeps_to_the_queryset_it_is_given(demo_catalog):
    others = Book.objects.exclude(title="Counting the Harvest")
    assert {book.title for book in search_books("Hélène", queryset=others).books} == {"Letters from the Steppe"}


def catalog_of(size: int) -> None:
    pirani = AuthorFactory(name="Simon Pirani")
    for number in range(size):
        ContributionFactory(book=BookFactory(title=f"Volume {number} on the Soviet Economy"), author=pirani)
    book_search_index()


def selected_columns(sql: str) -> str:
    return sql.split(" FROM ", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 30])
def test_a_misspelt_search_runs_a_few_small_queries_whatever_the_size(django_assert_num_queries, size):
    catalog_of(size)
    # Ids for the words as typed (none), which are catalog words, candidates for “piranni”, ids
    # for the corrected words, the books.
    with django_assert_num_queries(5), CaptureQueriesContext(connection) as queries:
        found = search_books("Simon Piranni")
        titles = [book.title for book in found.books[:10]]
    assert found.corrected_query == "Simon Pirani"
    assert len(titles) == min(size, 10)
    for query in queries.captured_queries:
        sql = query["sql"]
        # Documents are matched in the database, never read out of it ...
        assert not re.search(r'"search_document"\s*(,|$)', selected_columns(sql)), sql
        # ... and no query reads every book.
        assert "catalog_book" not in sql or " WHERE " in sql, sql


@pytest.mark.django_db
def test_even_many_misspelt_words_cost_a_bounded_number_of_queries(django_assert_max_num_queries):
    catalog_of(3)
    query = " ".join(f"Piranni{letter}" for letter in "abcdefghijklmnopqrstuvwxyz")
    # Twelve words at most: the ids as typed, the known words, twelve candidate lists, the ids
    # for the corrected words, the books.
    with django_assert_max_num_queries(16):
        list(search_books(query).books)


def test_the_search_page_says_when_it_corrected_a_word(demo_catalog, client):
    content = client.get("/search/", {"q": "Simon Piranni"}).content.decode()
    assert "Showing results for <strong>Simon Pirani</strong> (you searched for Simon Piranni)." in content
    assert "The Russian Revolution in Retreat" in content
    exact = client.get("/search/", {"q": "Simon Pirani"}).content.decode()
    assert "Showing results for" not in exact and "The Russian Revolution in Retreat" in exact
