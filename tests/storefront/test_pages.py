"""Every catalog page and redirect, and the error pages."""

import datetime

import pytest
from django.test import Client
from django.utils.html import escape

from catalog.models import Book
from storefront.page_cache import invalidate
from tests.conftest import normalize_space
from tests.factories import AuthorFactory, BookFactory, ContributionFactory, book_with

pytestmark = pytest.mark.django_db

SEED_URL = "/books/the-russian-revolution-in-retreat-1920-24/"


def page_text(response) -> str:
    import html
    import re

    return normalize_space(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_catalog_lists_newest_first(demo_catalog, client):
    response = client.get("/")
    assert response.status_code == 200
    titles = [book.title for book in response.context["books"]]
    expected = list(Book.objects.order_by("-publication_date").values_list("title", flat=True))
    assert titles == expected
    assert titles[0] == "Small Machines"
    assert "The Russian Revolution in Retreat, 1920–24" in page_text(response)


def books_a_day_apart(count: int) -> None:
    for day in range(count):
        BookFactory(publication_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=day), title=f"Day {day}")


def test_catalog_pages_go_on_from_their_first_book_and_bad_starts_are_404(client):
    books_a_day_apart(13)
    first = client.get("/")
    assert [book.title for book in first.context["books"]] == [f"Day {day}" for day in range(12, 0, -1)]
    day_0 = Book.objects.get(title="Day 0")
    assert f'<a rel="next" href="/?from={day_0.pk}">Next →</a>' in first.content.decode()
    second = client.get(f"/?from={day_0.pk}")
    assert [book.title for book in second.context["books"]] == ["Day 0"]
    assert "Next →" not in page_text(second)
    for bad in ("abc", "0", "-1", "99999999999999999999", " 1"):
        response = client.get("/", {"from": bad})
        assert response.status_code == 404, bad
        assert "Page not found" in page_text(response)


def test_the_first_book_as_a_start_and_old_numbered_links_lead_to_the_first_page(client):
    books_a_day_apart(3)
    newest = Book.objects.get(title="Day 2")
    response = client.get(f"/?from={newest.pk}")
    assert response.status_code == 302 and response["Location"] == "/"  # not for good: newer books may come
    for old in ("/?page=2", "/?page=abc"):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == "/", old
    response = client.get("/?page=3&country=GB")
    assert response.status_code == 301 and response["Location"] == "/?country=GB"


def test_the_page_size_setting_applies_from_the_next_request(client, settings):
    books_a_day_apart(13)
    assert len(client.get("/").context["books"]) == 12  # the default, with the view already in use
    settings.CATALOG_PAGE_SIZE = 5
    invalidate()  # as a server start does (gunicorn.conf.py): new settings, no page from before
    first = client.get("/")
    assert [book.title for book in first.context["books"]] == ["Day 12", "Day 11", "Day 10", "Day 9", "Day 8"]
    third = client.get("/", {"from": Book.objects.get(title="Day 2").pk})
    assert [book.title for book in third.context["books"]] == ["Day 2", "Day 1", "Day 0"]
    day_7 = Book.objects.get(title="Day 7").pk
    assert f'<a rel="prev" href="/?from={day_7}">← Previous</a>' in third.content.decode()
    assert '<a href="/">Newest</a>' in third.content.decode()


def test_product_page_shows_the_book(seed_book, client):
    response = client.get(SEED_URL)
    text = page_text(response)
    assert "<title>The Russian Revolution in Retreat, 1920–24: Soviet Workers and the New Communist Elite" in (
        response.content.decode()
    )
    assert '<a href="/authors/simon-pirani/">Simon Pirani</a>' in response.content.decode()
    assert "Hardback ISBN 978-0-415-54641-6" in text


def test_about_the_author_links_to_the_author_page_by_name(seed_book, client):
    content = client.get(SEED_URL).content.decode()
    assert '<a href="/authors/simon-pirani/">More about Simon Pirani</a>' in content
    assert "and their books" not in content


def test_product_page_lists_every_format_with_its_hyphenated_isbn(client):
    book = book_with(formats=3)
    text = page_text(client.get(book.get_absolute_url()))
    for fmt in book.formats.all():
        assert f"{fmt.get_binding_display()} ISBN {fmt.isbn_display}" in text


def test_contributors_in_position_order_with_roles(client):
    book = BookFactory()
    ContributionFactory(book=book, position=2, author=AuthorFactory(name="Second Person"), role="editor")
    ContributionFactory(book=book, position=1, author=AuthorFactory(name="First Person"))
    text = page_text(client.get(book.get_absolute_url()))
    assert "By First Person and Second Person (Editor)" in text


def test_three_contributors_are_listed_with_commas_and_linked_escaped(client):
    book = BookFactory()
    names = ["Ann <Lee>", "Bo & Co", "Cy Dee"]
    authors = [AuthorFactory(name=name) for name in names]
    for position, (author, role) in enumerate(zip(authors, ["author", "author", "translator"], strict=True), start=1):
        ContributionFactory(book=book, position=position, author=author, role=role)
    content = client.get(book.get_absolute_url()).content.decode()
    links = [f'<a href="{author.get_absolute_url()}">{escape(author.name)}</a>' for author in authors]
    assert f'<p class="contributors">By {links[0]}, {links[1]} and {links[2]} (Translator)</p>' in content


def test_unknown_book_is_the_404_page(client):
    response = client.get("/books/no-such-book/")
    assert response.status_code == 404
    assert "Page not found" in page_text(response)
    assert "/static/css/site.css" in response.content.decode()


@pytest.mark.parametrize(
    "isbn", ["9780415546416", "978-0-415-54641-6", "0415546419", "0-415-54641-9", "978 0 415 54641 6"]
)
def test_isbn_redirects_permanently_to_the_product_page(seed_book, client, isbn):
    response = client.get(f"/isbn/{isbn}/")
    assert response.status_code == 301
    assert response["Location"] == SEED_URL


def test_isbn_of_any_format_redirects(client):
    book = book_with(formats=3)
    ebook = book.formats.get(binding="EA")
    response = client.get(f"/isbn/{ebook.isbn_display}/")
    assert response.status_code == 301
    assert response["Location"] == book.get_absolute_url()


@pytest.mark.parametrize("isbn", ["9780306406157", "9780415546417", "not-an-isbn", "%00", "1234"])
def test_unknown_or_invalid_isbn_is_the_404_page(seed_book, client, isbn):
    response = client.get(f"/isbn/{isbn}/")
    assert response.status_code == 404
    assert "Page not found" in page_text(response)


def test_author_page_shows_biography_and_books_newest_first(demo_catalog, client):
    response = client.get("/authors/margaret-ellery/")
    text = page_text(response)
    assert "Margaret Ellery is an invented historian" in text
    books = [book.title for book in response.context["books"]]
    assert books == ["Harbour Lights", "The Grammar of Rivers"]
    assert text.index("Harbour Lights") < text.index("The Grammar of Rivers")


def test_author_page_of_an_editor_lists_the_edited_book(demo_catalog, client):
    text = page_text(client.get("/authors/helene-marchand/"))
    assert "Letters from the Steppe" in text and "Counting the Harvest" in text


def test_unknown_author_is_404(client):
    assert client.get("/authors/nobody/").status_code == 404


@pytest.mark.urls("tests.broken_urls")
def test_server_error_page_is_styled_and_apologizes():
    response = Client(raise_request_exception=False).get("/__broken__/")
    assert response.status_code == 500
    assert "Something went wrong" in page_text(response)
    assert "/static/css/site.css" in response.content.decode()


def test_rich_text_is_sanitized_again_when_rendered(client):
    book = BookFactory()
    # Bypass save-time sanitizing, as old rows or raw SQL imports might.
    Book.objects.filter(pk=book.pk).update(description='<p>Kept <em>emphasis</em></p><script>alert("x")</script>')
    content = client.get(book.get_absolute_url()).content.decode()
    assert "<p>Kept <em>emphasis</em></p>" in content
    assert "<script>alert" not in content
