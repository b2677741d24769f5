"""Newest-first pages of books found from their first book (keyset paging), and the indexes they read."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from catalog.models import Book, Contribution, Publisher, Subject
from tests.factories import AuthorFactory, ContributionFactory, PublisherFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2020, 1, 1)


def books_on_few_days(count: int, *publishers: Publisher, prefix: str = "paged") -> list[Book]:
    """Books three to a day, titles out of id order, so that date, title and id all decide the order.

    The publishers take turns.
    """
    return Book.objects.bulk_create(
        Book(
            title=f"Title {(count - n) % 7}",
            slug=f"{prefix}-{n}",
            publisher=publishers[n % len(publishers)],
            publication_date=DAY + datetime.timedelta(days=n // 3),
            page_count=100,
        )
        for n in range(count)
    )


def walk_forwards(books, size: int) -> list[Book]:
    seen, start = [], None
    while True:
        page = books.newest_page(start=start, size=size)
        assert len(page.books) == size or page.next_start is None
        seen.extend(page.books)
        if page.next_start is None:
            return seen
        start = page.next_start


def test_walking_the_next_pages_lists_every_book_once_in_newest_first_order():
    books_on_few_days(23, PublisherFactory())
    assert walk_forwards(Book.objects.all(), size=5) == list(Book.objects.newest_first())


def test_the_previous_page_is_the_page_before_and_the_first_one_has_no_start():
    books_on_few_days(23, PublisherFactory())
    ordered = list(Book.objects.newest_first())
    first = Book.objects.newest_page(start=None, size=5)
    assert first.books == ordered[:5] and not first.has_previous and first.previous_start is None
    second = Book.objects.newest_page(start=first.next_start, size=5)
    assert second.books == ordered[5:10]
    assert second.has_previous and second.previous_start is None  # the page before is the first page
    third = Book.objects.newest_page(start=second.next_start, size=5)
    assert third.previous_start == ordered[5].pk
    # A page may start anywhere: the page before it then ends just before its first book.
    odd = Book.objects.newest_page(start=ordered[12].pk, size=5)
    assert odd.books == ordered[12:17] and odd.previous_start == ordered[7].pk
    last = Book.objects.newest_page(start=ordered[20].pk, size=5)
    assert last.books == ordered[20:] and last.next_start is None


def test_a_start_that_is_not_one_of_these_books_does_not_exist():
    publisher, other = PublisherFactory(), PublisherFactory()
    books_on_few_days(4, publisher)
    stranger = books_on_few_days(1, other, prefix="other")[0]
    with pytest.raises(Book.DoesNotExist):
        Book.objects.filter(publisher=publisher).newest_page(start=stranger.pk, size=2)


def test_an_author_with_two_roles_on_a_book_has_it_listed_once():
    author = AuthorFactory()
    contribution = ContributionFactory(author=author, role=Contribution.Role.AUTHOR)
    ContributionFactory(author=author, book=contribution.book, role=Contribution.Role.EDITOR)
    assert Book.objects.by_author(author).newest_page(start=None, size=5).books == [contribution.book]
    assert list(Book.objects.by_author(author)) == [contribution.book]


# Plans. The test catalogue is small, so left alone PostgreSQL would rightly read whole tables;
# with sequential scans (and, where said, sorts) switched off for the transaction, the plans show
# which index can give each list its order. At a million books the planner picks these by itself
# (EXPLAIN ANALYZE figures in the README).


@pytest.fixture
def planner_prefers_indexes():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the plans and their indexes are PostgreSQL's (CI runs this on PostgreSQL)")

    def switch_off(*settings: str) -> None:
        with connection.cursor() as cursor:
            for setting in settings:
                cursor.execute(f"SET LOCAL {setting} = off")

    switch_off("enable_seqscan")
    return switch_off


@pytest.fixture
def catalogue():
    publisher = PublisherFactory()
    books = books_on_few_days(300, publisher, *PublisherFactory.create_batch(14))
    author = AuthorFactory()
    Contribution.objects.bulk_create(Contribution(book=book, author=author, position=1) for book in books[::3])
    subject = Subject.objects.create(name="Maps", slug="maps")
    subject.books.add(*books[::5])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_book, catalog_contribution, catalog_book_subjects")
    return {"publisher": publisher, "author": author, "subject": subject, "middle": books[150]}


def page_query_plan(books, start: Book | None, size: int = 12) -> str:
    ordered = books.newest_first() if start is None else books.from_book(*position(start)).newest_first()
    return ordered[: size + 1].explain()


def position(book: Book) -> tuple:
    return (book.publication_date, book.title, book.pk)


def test_the_catalog_reads_its_index_in_order_from_any_book(planner_prefers_indexes, catalogue):
    first = page_query_plan(Book.objects.all(), None)
    assert "Index Scan using book_newest_first" in first and "Sort" not in first
    deep = page_query_plan(Book.objects.all(), catalogue["middle"])
    assert "Index Scan using book_newest_first" in deep and "Sort" not in deep
    # The seek: the index starts at the book's date instead of reading from the newest one.
    assert "Index Cond: (publication_date <= " in deep
    before = Book.objects.before_book(*position(catalogue["middle"])).oldest_first().values_list("pk")[:13].explain()
    assert "Index Only Scan Backward using book_newest_first" in before


def test_a_publishers_books_come_from_its_own_index(planner_prefers_indexes, catalogue):
    planner_prefers_indexes("enable_sort", "enable_bitmapscan")
    books = Book.objects.filter(publisher=catalogue["publisher"])
    for start in (None, catalogue["middle"]):
        plan = page_query_plan(books, start)
        assert "using book_publisher_newest" in plan and "Sort" not in plan


@pytest.mark.parametrize("owner", ["author", "subject"])
def test_an_author_or_subject_list_can_follow_the_newest_first_index(planner_prefers_indexes, catalogue, owner):
    # A prolific author's or a big subject's page reads the newest books in index order and keeps
    # those of the author (or subject), probing its join table by index: no sort of all its books.
    planner_prefers_indexes("enable_sort", "enable_hashagg", "enable_hashjoin", "enable_mergejoin")
    books = Book.objects.by_author(catalogue["author"]) if owner == "author" else catalogue["subject"].books.all()
    for start in (None, catalogue["middle"]):
        plan = page_query_plan(books, start)
        assert "using book_newest_first on catalog_book" in plan, plan
        assert "Sort" not in plan and "Seq Scan" not in plan, plan
