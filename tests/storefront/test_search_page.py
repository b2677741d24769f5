"""The search page: a fixed number of queries whatever the number of results, typo correction
only when nothing matched, and an honest count when more books match than a search ranks.

Runs on SQLite and, in CI, on PostgreSQL.
"""

from io import StringIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import search
from catalog.models import Book
from catalog.search import book_search_index
from tests.conftest import card_titles
from tests.factories import BookFactory, book_with

pytestmark = pytest.mark.django_db


def atlases(count: int, **fields) -> None:
    for number in range(count):
        book = book_with(contributors=2, formats=2)
        book.title = f"Atlas of Harbours {number}"
        for name, value in fields.items():
            setattr(book, name, value)
        book.save()
    book_search_index()


@pytest.mark.parametrize("books", [1, 30])
def test_search_page_queries_are_flat_in_the_number_of_results(client, django_assert_num_queries, books):
    atlases(books)
    # The ranked ids, the page's books with publishers, their contributions with authors, formats.
    with django_assert_num_queries(4):
        response = client.get("/search/", {"q": "atlas"})
    content = response.content.decode()
    assert content.count('class="book-card"') == min(books, 10)
    assert f"{books} book{'s' if books > 1 else ''} found." in content


def test_words_that_match_are_not_sent_to_typo_correction(client):
    atlases(2)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "Harbours"})
    assert response.context["paginator"].count == 2
    assert not [query["sql"] for query in queries.captured_queries if "catalog_searchword" in query["sql"]]


def test_more_matches_than_a_search_ranks_are_said_so_and_paged(client, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 12)
    atlases(15)
    content = client.get("/search/", {"q": "atlas"}).content.decode()
    assert "More than 12 books found; the 12 best matches are shown." in content
    assert content.count('class="book-card"') == 10
    second = client.get("/search/", {"q": "atlas", "page": "2"}).content.decode()
    assert second.count('class="book-card"') == 2
    assert client.get("/search/", {"q": "atlas", "page": "3"}).status_code == 404


def test_a_title_match_is_not_lost_among_many_description_matches(client, monkeypatch):
    """Found first though more books than a search ranks have the word only in their description."""
    monkeypatch.setattr(search, "MAX_RESULTS", 3)
    for number in range(6):
        BookFactory(title=f"Sea Charts {number}", description="<p>With a chapter on the quasar.</p>")
    BookFactory(title="The Quasar")  # stored last, so a scan meets it last
    book_search_index()
    response = client.get("/search/", {"q": "quasar"})
    assert card_titles(response)[0] == "The Quasar"
    assert response.context["more_results"]


def test_a_search_asked_again_runs_no_search_until_the_catalogue_changes(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    atlases(3)
    first = client.get("/search/", {"q": "Atlas"})
    # The ranked ids and the books' cards (storefront.cards) are both kept: no query at all.
    with django_assert_num_queries(0):
        response = client.get("/search/", {"q": "Atlas"})
    assert response.context["paginator"].count == 3
    assert response.content == first.content
    # Other words finding the same books: only the search runs; the cards are kept.
    with django_assert_num_queries(1):
        other = client.get("/search/", {"q": "Harbours"})
    assert card_titles(other) == card_titles(first) and len(card_titles(first)) == 3
    client.get("/search/", {"q": "Zzyzx"})
    # Nothing found, nothing to correct: remembered too, so asking again runs no query at all.
    with django_assert_num_queries(0):
        assert client.get("/search/", {"q": "Zzyzx"}).context["paginator"].count == 0
    with django_capture_on_commit_callbacks(execute=True):
        BookFactory(title="The Zzyzx Road")
        book_search_index()
    assert client.get("/search/", {"q": "Zzyzx"}).context["paginator"].count == 1


def test_search_reindex_forgets_remembered_searches(client, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    book = BookFactory(title="Harbour Lights")
    book_search_index()
    assert client.get("/search/", {"q": "Lanterns"}).context["paginator"].count == 0
    Book.objects.filter(pk=book.pk).update(title="Lanterns")  # changed without the admin
    with django_capture_on_commit_callbacks(execute=True):
        call_command("search_reindex", stdout=StringIO())
    assert client.get("/search/", {"q": "Lanterns"}).context["paginator"].count == 1


def test_a_corrected_search_says_so_and_links_to_the_words_as_typed(demo_catalog, client):
    content = client.get("/search/", {"q": "Piranni"}).content.decode()
    assert "Showing results for <strong>Pirani</strong> (you searched for Piranni)." in content
    assert '<a href="/search/?q=Piranni&amp;exact=1">Search instead for “Piranni”</a>' in content
    assert "The Russian Revolution in Retreat" in content


def test_an_exact_search_is_not_corrected_and_is_remembered_apart(demo_catalog, client):
    exact = client.get("/search/", {"q": "Piranni", "exact": "1"})
    assert exact.context["corrected_query"] is None and exact.context["paginator"].count == 0
    assert "Showing results for" not in exact.content.decode()
    assert "No books match “Piranni”." in exact.content.decode()
    # The same words without `exact` are still corrected (the two outcomes are kept apart), and
    # an exact search of a word the catalog has finds its books.
    assert client.get("/search/", {"q": "Piranni"}).context["corrected_query"] == "Pirani"
    assert client.get("/search/", {"q": "Piranni", "exact": "1"}).context["corrected_query"] is None
    assert client.get("/search/", {"q": "Pirani", "exact": "1"}).context["paginator"].count == 1
    # Any other value of `exact` is no request to turn correction off.
    assert client.get("/search/", {"q": "Piranni", "exact": "yes"}).context["corrected_query"] == "Pirani"


def test_the_link_to_the_words_as_typed_is_escaped(demo_catalog, client):
    content = client.get("/search/", {"q": 'Piranni "&<>'}).content.decode()
    assert "Showing results for <strong>Pirani</strong>" in content
    assert '<a href="/search/?q=Piranni%20%22%26%3C%3E&amp;exact=1">' in content
    assert "Search instead for “Piranni &quot;&amp;&lt;&gt;”</a>" in content
