"""Keeping search current: one service, called by the admin, the demo loader and `search_reindex`,
knows which books an author, publisher, format, contribution or book appears in; the vocabulary
for typo correction grows with the catalog and is pruned by a full reindex.

Runs on SQLite and, in CI, on PostgreSQL.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Author, Book, Format, Publisher, SearchWord
from catalog.search import book_search_index, book_search_index_affected, books_affected_by, search_books
from demo.data import SEED_BOOK_SLUG
from tests.admin_forms import change_form
from tests.factories import AuthorFactory, BookFactory, ContributionFactory, FormatFactory, PublisherFactory

pytestmark = pytest.mark.django_db


def titles(query: str) -> set[str]:
    return {book.title for book in Book.objects.search(query)}


def post_change(client, url: str, form_id: str, **changes) -> None:
    data = change_form(client, url, form_id)
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_documents_are_folded_and_hold_everything_a_book_is_searched_by(seed_book):
    document = seed_book.search_document
    for text in ["the russian revolution in retreat, 1920-24", "new communist elite", "simon pirani", "routledge",
                 "9780415546416", "978-0-415-54641-6", "0415546419", "kronshtadt"]:
        assert text in document
    assert document == document.casefold() and "É" not in document and "é" not in document


def test_editing_an_authors_name_in_the_admin_makes_their_books_findable_by_it(demo_catalog, admin_client):
    author = Author.objects.get(slug="tomas-ibarra")
    post_change(admin_client, f"/admin/catalog/author/{author.pk}/change/", "author_form", name="Xóchitl Quintana")
    assert titles("XÓCHITL QUINTANA") == {"Counting the Harvest"}
    assert titles("xochitl") == {"Counting the Harvest"}
    assert titles("Ibarra") == set()


def test_renaming_a_publisher_in_the_admin_reindexes_its_books(demo_catalog, admin_client):
    publisher = Publisher.objects.get(slug="routledge")
    url = f"/admin/catalog/publisher/{publisher.pk}/change/"
    post_change(admin_client, url, "publisher_form", name="Éditions Rouges")
    assert SEED_BOOK_SLUG in {book.slug for book in Book.objects.search("editions rouges")}


def test_changing_an_isbn_inline_changes_the_books_document(seed_book, admin_client):
    old = seed_book.formats.get()
    post_change(admin_client, f"/admin/catalog/book/{seed_book.pk}/change/", "book_form",
                **{"formats-0-isbn": "978-1-911001-99-7"})
    document = Book.objects.get(pk=seed_book.pk).search_document
    assert "978-1-911001-99-7" in document and old.isbn not in document


def test_adding_and_removing_a_contributor_inline(seed_book, admin_client):
    url = f"/admin/catalog/book/{seed_book.pk}/change/"
    guest = AuthorFactory(name="Zoë Łukasz-Øberg")
    data = change_form(admin_client, url, "book_form")
    data["contributions-TOTAL_FORMS"] = str(int(data["contributions-TOTAL_FORMS"]) + 1)
    data.update({"contributions-1-author": str(guest.pk), "contributions-1-role": "editor",
                 "contributions-1-position": "2", "contributions-1-book": str(seed_book.pk)})
    assert admin_client.post(url, data).status_code == 302
    assert titles("ZOE") == {seed_book.title}

    post_change(admin_client, url, "book_form", **{"contributions-1-DELETE": "on"})
    assert titles("zoe") == set()


def test_moving_a_format_to_another_book_reindexes_both(demo_catalog, admin_client):
    fmt = Format.objects.get(isbn="9780415546416")
    other = Book.objects.get(slug="small-machines")
    post_change(admin_client, f"/admin/catalog/format/{fmt.pk}/change/", "format_form", book=str(other.pk))
    assert "9780415546416" in Book.objects.get(pk=other.pk).search_document
    assert "9780415546416" not in Book.objects.get(slug=SEED_BOOK_SLUG).search_document


def test_deleting_a_format_in_the_admin_drops_its_isbn_from_the_document(demo_catalog, admin_client):
    fmt = Format.objects.filter(book__slug="harbour-lights").first()
    response = admin_client.post(f"/admin/catalog/format/{fmt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert fmt.isbn not in Book.objects.get(slug="harbour-lights").search_document


def test_deleting_formats_in_bulk_drops_their_isbns(demo_catalog, admin_client):
    formats = list(Format.objects.filter(book__slug="harbour-lights"))[:2]
    response = admin_client.post(
        "/admin/catalog/format/",
        {"action": "delete_selected", "post": "yes", "_selected_action": [str(fmt.pk) for fmt in formats]},
    )
    assert response.status_code == 302
    document = Book.objects.get(slug="harbour-lights").search_document
    assert all(fmt.isbn not in document for fmt in formats)


def test_indexing_leaves_last_changed_alone(seed_book):
    Book.objects.filter(pk=seed_book.pk).update(search_document="")
    book_search_index(books=[seed_book])
    reloaded = Book.objects.get(pk=seed_book.pk)
    assert reloaded.updated_at == seed_book.updated_at and "pirani" in reloaded.search_document


def test_books_affected_by_each_kind_of_change():
    author, publisher = AuthorFactory(), PublisherFactory()
    by_author = ContributionFactory(author=author).book
    by_publisher = BookFactory(publisher=publisher)
    fmt = FormatFactory()
    unrelated = BookFactory()
    assert set(books_affected_by([author])) == {by_author}
    assert set(books_affected_by([publisher])) == {by_publisher}
    assert set(books_affected_by([fmt])) == {fmt.book}
    assert set(books_affected_by([by_author.contributions.get()])) == {by_author}
    assert set(books_affected_by([unrelated, author, fmt])) == {unrelated, by_author, fmt.book}
    assert list(books_affected_by([])) == []


def test_an_import_calls_the_same_service(db):
    # What any import does after saving: name everything it touched.
    author = AuthorFactory(name="Ólafur Sigurðsson")
    contribution = ContributionFactory(author=author, book=BookFactory(title="Whaling Stations"))
    assert book_search_index_affected(changed=[author, contribution, contribution.book]) == 1
    assert titles("OLAFUR") == {"Whaling Stations"}


def test_the_vocabulary_holds_folded_words_and_no_numbers(seed_book):
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert {"pirani", "elite", "kronshtadt", "tomas", "helene"} <= words
    assert not {"Pirani", "Élite", "9780415546416", "1920-24"} & words


def test_search_reindex_rebuilds_and_prunes_stale_words(demo_catalog):
    book = Book.objects.get(slug="small-machines")
    Book.objects.filter(pk=book.pk).update(title="Horologia")  # changed without the admin
    SearchWord.objects.create(word="obsolescent")
    assert search_books("Horologia").books.count() == 0
    out = StringIO()
    call_command("search_reindex", stdout=out)
    assert f"Reindexed {Book.objects.count()} books" in out.getvalue()
    assert titles("horologia") == {"Horologia"}
    assert not SearchWord.objects.filter(word__in=["obsolescent", "machines"]).exists()
    assert search_books("Horologa").corrected_query == "Horologia"


def test_the_demo_loader_reindexes_an_editors_book_by_a_demo_author(demo_catalog):
    from demo.services import demo_catalog_load

    pirani = Author.objects.get(slug="simon-pirani")
    ContributionFactory(author=pirani, book=BookFactory(title="An Editor’s Book"))
    Author.objects.filter(pk=pirani.pk).update(name="Someone Else")
    book_search_index()
    demo_catalog_load()  # puts the demo name back
    assert "An Editor’s Book" in titles("Simon Pirani")


def test_indexing_many_books_reads_and_writes_in_chunks(django_assert_max_num_queries, monkeypatch):
    import catalog.search

    monkeypatch.setattr(catalog.search, "INDEX_CHUNK_SIZE", 10)
    for number in range(45):
        ContributionFactory(book=BookFactory(title=f"Atlas {number}"))
    # Per chunk of 10: books, formats, contributions with authors, the bulk update, the new
    # words; and the savepoint, the vocabulary read and its pruning: never one query per book.
    with django_assert_max_num_queries(5 * 5 + 6):
        assert book_search_index() == 45
    assert len(titles("Atlas")) == 45


def test_deleting_an_author_or_publisher_without_books_in_the_admin_works(admin_client):
    from catalog.models import Author, Publisher

    author = Author.objects.create(name="Nobody Yet", sort_name="Yet, Nobody", slug="nobody-yet")
    publisher = Publisher.objects.create(name="Empty Press", slug="empty-press")
    for path, obj in [("catalog/author", author), ("catalog/publisher", publisher)]:
        response = admin_client.post(f"/admin/{path}/{obj.pk}/delete/", {"post": "yes"}, follow=True)
        assert response.status_code == 200
        assert "was deleted successfully" in response.content.decode()
        assert not type(obj).objects.filter(pk=obj.pk).exists()
