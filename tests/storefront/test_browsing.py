"""Browsing by subject and publisher; author pages; paging that answers 404, never 500."""

import datetime

import pytest

from catalog.models import Subject
from tests.factories import AuthorFactory, BookFactory, ContributionFactory, PublisherFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [book.title for book in response.context["books"]]


def test_subject_page_lists_its_books_newest_first(demo_catalog, client):
    response = client.get("/subjects/labour-history/")
    assert titles(response) == ["Harbour Lights", "The Russian Revolution in Retreat, 1920–24"]
    assert '<h1>Labour History</h1>' in response.content.decode()


def test_publisher_page(demo_catalog, client):
    response = client.get("/publishers/meridian-academic-press/")
    assert titles(response) == ["Small Machines", "Harbour Lights", "The Grammar of Rivers"]


def test_product_page_links_to_publisher_and_subjects(seed_book, client):
    content = client.get(seed_book.get_absolute_url()).content.decode()
    assert '<a href="/publishers/routledge/">Routledge</a>' in content
    assert '<a href="/subjects/russian-history/">Russian History</a>' in content


@pytest.mark.parametrize("kind", ["author", "publisher", "subject"])
def test_next_and_previous_pages_and_starts_that_are_not_this_lists_are_404(client, kind):
    publisher = PublisherFactory()
    author = AuthorFactory()
    subject = Subject.objects.create(name="Maps", slug="maps")
    books = []
    for day in range(13):
        published = datetime.date(2020, 1, 1) + datetime.timedelta(days=day)
        book = BookFactory(publisher=publisher, publication_date=published)
        ContributionFactory(book=book, author=author, position=1)
        book.subjects.add(subject)
        books.append(book)
    url = {"author": author, "publisher": publisher, "subject": subject}[kind].get_absolute_url()
    first = client.get(url)
    assert len(titles(first)) == 12
    assert f'<a rel="next" href="{url}?from={books[0].pk}">Next →</a>' in first.content.decode()
    assert 'rel="prev"' not in first.content.decode()
    last = client.get(url, {"from": books[0].pk})
    assert titles(last) == [books[0].title]
    assert f'<a rel="prev" href="{url}">← Previous</a>' in last.content.decode()
    assert 'rel="next"' not in last.content.decode()
    stranger = BookFactory()  # a book, but not one of this list's
    for start in ("abc", "-1", "0", "1.5", "", "٣", str(2**63), str(stranger.pk)):
        response = client.get(url, {"from": start})
        assert response.status_code == 404, start
        assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/authors/simon-pirani/", "/publishers/routledge/", "/subjects/russian-history/"])
def test_a_start_thousands_of_digits_long_is_404_not_500(demo_catalog, client, url):
    """Python's int() refuses a string of over 4,300 digits; such a start names no book."""
    response = client.get(url, {"from": "9" * 5_000})
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unknown_subject_or_publisher_is_404(client):
    assert client.get("/subjects/nothing/").status_code == 404
    assert client.get("/publishers/nobody/").status_code == 404
