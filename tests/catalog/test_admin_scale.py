"""The admin at a publisher's scale: no count over the whole table, estimated counts said so,
filters that read only the chosen row, flat queries, bounded autocompletes, plans on the indexes."""

import datetime
import json

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import admin as catalog_admin
from catalog.models import Author, Book, Publisher, Subject
from demo.data import SEED_BOOK_SLUG
from editorial.paginator import EstimatedCountPaginator
from tests.factories import AuthorFactory, BookFactory, ContributionFactory, book_with

pytestmark = pytest.mark.django_db
BOOKS = "/admin/catalog/book/"
BOOK_FIELD = {"app_label": "catalog", "model_name": "book"}
AUTHOR_AUTOCOMPLETE = {"app_label": "catalog", "model_name": "contribution", "field_name": "author"}
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Plans are PostgreSQL's: SQLite has no trigram indexes and other plans (CI runs this on PostgreSQL)",
)


def get_with_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def result_list(content: str) -> str:
    return content.split('id="result_list"')[1].split("</table>")[0]


def sidebar(content: str) -> str:
    return content.split('id="changelist-filter"')[1].split("</search>")[0]


def test_the_unfiltered_list_never_counts_the_whole_table(editor_client):
    content, queries = get_with_queries(editor_client, BOOKS)
    counts = [sql for sql in queries if "COUNT(" in sql.upper()]
    assert len(counts) == 1 and "LIMIT" in counts[0].upper()
    assert f"{Book.objects.count()} books" in content


def test_a_long_list_says_its_count_is_an_estimate_and_pages_within_the_count(editor_client, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_count_limit", 3)
    monkeypatch.setattr(admin.site.get_model_admin(Book), "list_per_page", 2)
    content = editor_client.get(BOOKS).content.decode()
    if connection.vendor == "postgresql":
        assert "books (estimated)" in content and "about " in content
    else:
        assert "more than 3 books" in content
    assert "pages up to 2; search or filter for the rest" in content
    assert 'class="question' not in content  # no “Select all …”: an action over a list whose size is a guess
    assert result_list(content).count("<tr") == 1 + 2
    assert editor_client.get(BOOKS, {"p": 2}).status_code == 200
    assert editor_client.get(BOOKS, {"p": 3}).status_code == 302  # past the pages offered: the list again


def test_a_counted_list_still_offers_to_select_all(editor_client, monkeypatch):
    monkeypatch.setattr(admin.site.get_model_admin(Book), "list_per_page", 2)
    content = editor_client.get(BOOKS).content.decode()
    assert 'class="question' in content and f"Select all {Book.objects.count()} books" in content


def test_a_short_search_result_is_counted_exactly(editor_client):
    content = editor_client.get(BOOKS, {"q": "Pirani"}).content.decode()
    assert "1 result" in content and "estimated" not in content


def test_the_filters_list_no_publishers_or_subjects_until_one_is_chosen(editor_client):
    content = editor_client.get(BOOKS).content.decode()
    filters = sidebar(content)
    for publisher in Publisher.objects.all():
        assert publisher.name not in filters
    for subject in Subject.objects.all():
        assert subject.name not in filters
    # Chosen by typing instead: the admin's autocomplete for the book's own fields.
    assert 'data-field-name="publisher"' in filters and 'data-field-name="subjects"' in filters
    assert 'name="publisher"' in filters and 'name="subject"' in filters
    assert "admin/js/autocomplete.js" in content


def test_filter_by_a_chosen_publisher_and_subject(editor_client):
    routledge = Publisher.objects.get(slug="routledge")
    content = editor_client.get(BOOKS, {"publisher": routledge.pk}).content.decode()
    assert f'<option value="{routledge.pk}" selected>Routledge</option>' in sidebar(content)
    listed = result_list(content)
    assert all(book.title in listed for book in routledge.books.all())
    assert "Harbour Lights" not in listed

    seed = Book.objects.get(slug=SEED_BOOK_SLUG)
    subject = seed.subjects.first()
    content = editor_client.get(BOOKS, {"subject": subject.pk}).content.decode()
    listed = result_list(content)
    assert all(book.title in listed for book in subject.books.all())
    assert listed.count("<tr") == 1 + subject.books.count()  # once each: no duplicate rows
    others = Book.objects.exclude(subjects=subject)
    assert others.exists() and not any(f">{book.title}</a>" in listed for book in others)


@pytest.mark.parametrize("value", ["", "abc", "999999", "²", str(2**63), "9" * 5_000])
def test_an_empty_or_unknown_chosen_filter_is_no_error(editor_client, value):
    response = editor_client.get(BOOKS, {"publisher": value, "subject": value})
    assert response.status_code == 200
    content = response.content.decode()
    if value == "999999":
        assert "0 books" in content
    else:
        assert result_list(content).count("<tr") == 1 + Book.objects.count()


def test_the_filter_form_keeps_the_search_and_the_other_filters(editor_client):
    filters = sidebar(editor_client.get(BOOKS, {"q": "Retreat", "year": "2009", "p": "1"}).content.decode())
    publisher_form = filters.split('name="publisher"')[0].rsplit("<form", 1)[1]
    assert '<input type="hidden" name="q" value="Retreat">' in publisher_form
    assert '<input type="hidden" name="year" value="2009">' in publisher_form
    assert 'name="p"' not in publisher_form


@pytest.mark.parametrize("contributors", [1, 8])
def test_the_change_page_queries_stay_flat(editor_client, django_assert_num_queries, contributors):
    book = book_with(contributors=contributors, formats=2, toc_entries=contributors * 3)
    url = f"/admin/catalog/book/{book.pk}/change/"
    editor_client.get(url)  # warm the session and permission caches
    # Session, user, permissions (user, groups), savepoint and release, the book, its
    # contributions and formats (list prefetches), subjects; each inline's rows (contributions
    # with authors, formats, entries); the price preview's markets, countries, prices and rates;
    # the chosen publisher for its autocomplete (this book has no subjects); the review quotes' and
    # related titles' inline rows, the formats' sales rights (for their column and for the price
    # preview). Contributors' names come with their rows: the same count for 1 contributor as for 8.
    with django_assert_num_queries(22):
        response = editor_client.get(url)
    content = response.content.decode()
    for contribution in book.contributions.select_related("author"):
        assert f'<option value="{contribution.author_id}" selected>{contribution.author.name}</option>' in content


def test_the_author_autocomplete_is_bounded_and_finds_any_part_of_a_name(editor_client):
    for n in range(30):
        AuthorFactory(name=f"Pat Quennell{n:02d}", sort_name=f"Quennell{n:02d}, Pat")
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get("/admin/autocomplete/", {**AUTHOR_AUTOCOMPLETE, "term": "uennell"})
    answer = json.loads(response.content)
    assert len(answer["results"]) == 20 and answer["pagination"]["more"] is True
    assert answer["results"][0]["text"] == "Pat Quennell00"  # by sort name
    # Whether more follow is known from one row more than the page, never from a count.
    authors = [query["sql"] for query in queries.captured_queries if '"catalog_author"' in query["sql"]]
    assert len(authors) == 1 and "LIMIT 21" in authors[0] and "COUNT(" not in authors[0].upper()
    last = json.loads(
        editor_client.get("/admin/autocomplete/", {**AUTHOR_AUTOCOMPLETE, "term": "uennell", "page": 2}).content
    )
    assert len(last["results"]) == 10 and last["pagination"]["more"] is False
    assert last["results"][0]["text"] == "Pat Quennell20"
    past = editor_client.get("/admin/autocomplete/", {**AUTHOR_AUTOCOMPLETE, "term": "uennell", "page": 9})
    assert json.loads(past.content) == {"results": [], "pagination": {"more": False}}
    found = json.loads(editor_client.get("/admin/autocomplete/", {**AUTHOR_AUTOCOMPLETE, "term": "pirani"}).content)
    assert [result["text"] for result in found["results"]] == ["Simon Pirani"]


def test_author_and_publisher_lists_count_each_ones_books(editor_client):
    pirani = Author.objects.get(name="Simon Pirani")
    ContributionFactory(author=pirani)
    content = editor_client.get("/admin/catalog/author/", {"q": "Pirani"}).content.decode()
    assert '<td class="field-book_count">2</td>' in result_list(content)
    routledge = Publisher.objects.get(slug="routledge")
    content = editor_client.get("/admin/catalog/publisher/", {"q": "Routledge"}).content.decode()
    assert f'<td class="field-book_count">{routledge.books.count()}</td>' in result_list(content)


def test_a_large_publishers_books_are_counted_up_to_a_limit(editor_client, monkeypatch):
    monkeypatch.setattr(catalog_admin, "PUBLISHER_BOOKS_COUNTED", 2)
    routledge = Publisher.objects.get(slug="routledge")
    BookFactory.create_batch(2, publisher=routledge)
    with CaptureQueriesContext(connection) as queries:
        content = editor_client.get("/admin/catalog/publisher/", {"q": "Routledge"}).content.decode()
    assert '<td class="field-book_count">more than 2</td>' in result_list(content)
    page = query_about([query["sql"] for query in queries.captured_queries], "AS counted")
    assert "LIMIT 3" in page  # the count stops at the limit


# Plans of the queries the admin sends, on a few thousand rows with fresh statistics.

ROWS = 3000


@pytest.fixture
def thousands(demo_catalog):
    publisher = Publisher.objects.first()
    words = ["harbour", "ledger", "quarry", "meadow", "tundra", "cipher", "lantern", "orchard"]
    Author.objects.bulk_create(
        Author(name=f"{words[n % 8].title()} Writer{n}", sort_name=f"Writer{n}, {words[n % 8].title()}", slug=f"w-{n}")
        for n in range(ROWS)
    )
    Publisher.objects.bulk_create(
        Publisher(name=f"{words[n % 8].title()} Press {n}", slug=f"p-{n}")
        for n in range(ROWS)
    )
    Subject.objects.bulk_create(Subject(name=f"{words[n % 8].title()} Study {n}", slug=f"s-{n}") for n in range(ROWS))
    Book.objects.bulk_create(
        Book(
            title=f"{words[n % 8].title()} {n}", slug=f"b-{n}", publisher=publisher, page_count=100,
            publication_date=datetime.date(1990 + n % 30, 1 + n % 12, 1),
            search_document=f"{words[n % 8]} {words[(n * 3) % 8]} book number {n}",
        )
        for n in range(ROWS)
    )
    with connection.cursor() as cursor:
        for table in ["catalog_author", "catalog_publisher", "catalog_subject", "catalog_book"]:
            cursor.execute(f"ANALYZE {table}")


def plan(sql: str) -> str:
    # Reading a few thousand rows whole is still cheapest; at a million it is not. Discouraging
    # it shows which index PostgreSQL can use for the query instead.
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(f"EXPLAIN {sql}")
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")


def query_about(queries: list[str], *words: str) -> str:
    return next(sql for sql in queries if all(word in sql for word in words) and not sql.startswith("EXPLAIN"))


@postgres_only
def test_plan_the_book_list_and_its_years_read_the_newest_first_index(editor_client, thousands):
    _, queries = get_with_queries(editor_client, BOOKS)
    page = query_about(queries, 'SELECT "catalog_book"."id", "catalog_book"."version"', "ORDER BY", "LIMIT 50")
    assert "book_newest_first" in plan(page)
    years = query_about(queries, "WITH RECURSIVE years")
    assert "book_newest_first" in plan(years) and "Seq Scan" not in plan(years)


@postgres_only
def test_plan_a_search_of_the_book_list_uses_the_trigram_index(editor_client, thousands):
    content, queries = get_with_queries(editor_client, BOOKS, {"q": "1234"})
    assert ">Quarry 1234</a>" in result_list(content)
    assert "catalog_book_search_document_trgm" in plan(query_about(queries, "COUNT(", "search_document"))


@postgres_only
def test_plan_the_author_autocompletes_first_page_is_found_by_trigrams_not_by_walking_the_alphabet(
    editor_client, thousands
):
    """Walking the sort-name index until 21 rows match reads most of the alphabet for a name
    late in it; the page's own query must be served by the trigram indexes instead."""
    content, queries = get_with_queries(editor_client, "/admin/autocomplete/", {**AUTHOR_AUTOCOMPLETE, "term": "1234"})
    assert "1234" in json.loads(content)["results"][0]["text"]
    page = plan(query_about(queries, 'SELECT "catalog_author"."id"', "ORDER BY", "LIMIT"))
    assert "catalog_author_sort_name_upper_trgm" in page and "author_sort_order" not in page
    # The author list's search too, in its default order (one page of results here: no LIMIT).
    _, queries = get_with_queries(editor_client, "/admin/catalog/author/", {"q": "1234"})
    page = query_about(queries, 'SELECT "catalog_author"."id"', "ORDER BY")
    assert 'ORDER BY UPPER("catalog_author"."sort_name") ASC, "catalog_author"."sort_name" ASC' in page


def test_the_author_autocomplete_lists_matches_alphabetically(editor_client):
    for name, sort_name in [("Zoe Whitby", "Whitby, Zoe"), ("Al Whitaker", "Whitaker, Al"), ("Bo white", "white, Bo")]:
        AuthorFactory(name=name, sort_name=sort_name)
    found = json.loads(editor_client.get("/admin/autocomplete/", {**AUTHOR_AUTOCOMPLETE, "term": "Whit"}).content)
    assert [result["text"] for result in found["results"]] == ["Al Whitaker", "Zoe Whitby", "Bo white"]


@postgres_only
@pytest.mark.parametrize(
    ("autocomplete", "indexes"),
    [
        (AUTHOR_AUTOCOMPLETE, ["catalog_author_name_upper_trgm", "catalog_author_sort_name_upper_trgm"]),
        ({**BOOK_FIELD, "field_name": "publisher"}, ["catalog_publisher_name_upper_trgm"]),
        ({**BOOK_FIELD, "field_name": "subjects"}, ["catalog_subject_name_upper_trgm"]),
    ],
)
def test_plan_autocompletes_search_on_trigram_indexes(editor_client, thousands, autocomplete, indexes):
    content, queries = get_with_queries(editor_client, "/admin/autocomplete/", {**autocomplete, "term": "1234"})
    assert "1234" in json.loads(content)["results"][0]["text"]
    with connection.cursor() as cursor:
        # On a few thousand rows a full pass over the ordering index still looks cheaper; without
        # it (dropped inside this test's transaction) the plan shows the search's expression
        # matches the trigram indexes.
        cursor.execute("DROP INDEX IF EXISTS author_sort_order, subject_name_order, publisher_name_order")
    search = plan(query_about(queries, "LIKE", "LIMIT"))
    assert all(index in search for index in indexes)
