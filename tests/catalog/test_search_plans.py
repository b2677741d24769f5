"""On PostgreSQL, every query a search runs can be served by its index: the title vector and search
vector GIN indexes for words, the vocabulary's trigram index for typo correction, the ISBN index.

A small test catalog makes the planner prefer scanning whole tables, so each plan is asked for
with sequential scans priced out (`enable_seqscan = off`): an index the query cannot use still
leaves a sequential scan in the plan.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalog.search import book_search_index, search_books
from tests.factories import BookFactory, FormatFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no GIN or trigram indexes (CI runs this on PostgreSQL)")


def plans_of(query: str) -> list[str]:
    """The plan of every query `search_books(query)` runs, in order."""
    with CaptureQueriesContext(connection) as queries:
        search_books(query)
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for captured in queries.captured_queries:
            cursor.execute("EXPLAIN " + captured["sql"])
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


@pytest.fixture
def catalog():
    for number in range(20):
        BookFactory(title=f"Harbour Atlas {number}", description="<p>Tides and lighthouses.</p>")
    FormatFactory(book=BookFactory(title="Lighthouse Keepers"), isbn="9780415546416")
    book_search_index()


def test_a_word_search_uses_the_title_and_search_vector_indexes(catalog):
    [plan] = plans_of("lighthouses")
    assert "catalog_book_title_vector_gin" in plan
    assert "catalog_book_search_vector_gin" in plan
    assert "Seq Scan" not in plan


def test_typo_correction_uses_the_vocabulary_trigram_index(catalog):
    # A large catalog's vocabulary, with fresh statistics: the planner rightly reads a few thousand
    # words straight through, and turns to the trigram index as the vocabulary grows.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO catalog_searchword (word) SELECT 'w' || n || 'x' FROM generate_series(1, 100000) AS n"
        )
        cursor.execute("ANALYZE catalog_searchword")
    plans = plans_of("lighthuoses")
    assert len(plans) == 4  # ids as typed, known words, correction candidates, corrected ids
    assert "catalog_searchword_word_trgm" in plans[2]


def test_an_isbn_search_uses_the_isbn_index(catalog):
    [plan] = plans_of("0-415-54641-9")
    assert "catalog_format_isbn" in plan
    assert "Seq Scan on catalog_format" not in plan
