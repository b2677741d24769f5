"""The read replica: reader pages read it, everything else and every write uses the primary.

A second PostgreSQL database stands in for the replica (tests/settings.py, tests/conftest.py): a
copy of the primary's test database, in which the seed book then gets a title of its own, so a
page shows which database it was read from.
"""

from __future__ import annotations

import time
import types

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connections, router, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from catalog.models import Book, Format
from demo.data import SEED_BOOK_SLUG
from storefront import replica_reads
from storefront.page_cache import GENERATION_KEY
from storefront.replica_reads import reader_page
from tests.admin_forms import change_form
from tests.editorial.conftest import member_of

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRESQL, reason="needs PostgreSQL: on SQLite there is no second database to stand in for a replica"
    ),
    pytest.mark.django_db(databases=["default", "replica"] if ON_POSTGRESQL else ["default"]),
]

SEED_URL = f"/books/{SEED_BOOK_SLUG}/"
PRIMARY_TITLE = "The Russian Revolution in Retreat, 1920–24"
REPLICA_TITLE = "Replica Title"  # short enough to stay on one line of the drawn cover
REPLICA_ONLY_ISBN = "9780415000017"


def catalogue_changed_seconds_ago(seconds: float) -> None:
    cache.set(GENERATION_KEY, time.time_ns() - int(seconds * 1_000_000_000), timeout=None)


@pytest.fixture
def replica(demo_catalog, settings):
    """The router on, the replica caught up a minute ago, and the seed book different there."""
    settings.DATABASE_ROUTERS = ["bookstore.db_router.ReplicaRouter"]
    settings.BOOKSTORE_REPLICA_LAG_SECONDS = 10
    book = Book.objects.using("replica").get(slug=SEED_BOOK_SLUG)
    Book.objects.using("replica").filter(pk=book.pk).update(title=REPLICA_TITLE, updated_at="2001-02-03T04:05:06Z")
    Format.objects.using("replica").create(book=book, binding=Format.Binding.PAPERBACK, isbn=REPLICA_ONLY_ISBN)
    catalogue_changed_seconds_ago(60)
    return book


def text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def primary_title() -> str:
    return Book.objects.using("default").get(slug=SEED_BOOK_SLUG).title


def replica_title() -> str:
    return Book.objects.using("replica").get(slug=SEED_BOOK_SLUG).title


@pytest.mark.parametrize(
    "url",
    [
        SEED_URL,
        "/",
        "/authors/simon-pirani/",
        "/publishers/routledge/",
        "/subjects/russian-history/",
        "/search/?q=Pirani",
        f"/books/{SEED_BOOK_SLUG}/cover.svg",
    ],
)
def test_reader_pages_read_the_replica(replica, client, url):
    page = text(client, url)
    assert REPLICA_TITLE in page
    assert PRIMARY_TITLE not in page
    assert primary_title() == PRIMARY_TITLE  # the primary was never changed


def test_the_sitemap_and_the_isbn_redirect_read_the_replica(replica, client):
    assert "<lastmod>2001-02-03</lastmod>" in text(client, "/sitemap-books.xml?p=1")
    # A format only the replica has: found there, while the primary has no such ISBN.
    assert not Format.objects.using("default").filter(isbn=REPLICA_ONLY_ISBN).exists()
    assert client.get(f"/isbn/{REPLICA_ONLY_ISBN}/")["Location"] == SEED_URL


def test_a_post_to_a_reader_page_reads_the_primary(replica, client):
    response = client.post(SEED_URL)
    assert PRIMARY_TITLE in response.content.decode()
    assert REPLICA_TITLE not in response.content.decode()


def test_the_admin_reads_and_writes_the_primary(replica):
    editor = Client()
    editor.force_login(member_of("Catalog editors", "edith"))
    url = f"/admin/catalog/book/{replica.pk}/change/"
    data = change_form(editor, url, "book_form")
    assert data["title"] == PRIMARY_TITLE
    assert REPLICA_TITLE not in text(editor, "/admin/catalog/book/")
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert editor.post(url, {**data, "title": "Saved by an Editor"}).status_code == 302
    assert len(on_replica) == 0
    assert primary_title() == "Saved by an Editor"
    assert replica_title() == REPLICA_TITLE


def test_writes_never_go_to_the_replica(replica, client):
    @reader_page
    def view_that_saves(request):
        book = Book.objects.get(slug=SEED_BOOK_SLUG)
        assert book._state.db == "replica"  # read from the replica on a reader page...
        book.subtitle = "Written During a Reader Page"
        book.save()  # ...and written to the primary all the same
        return HttpResponse(book.title)

    with CaptureQueriesContext(connections["replica"]) as on_replica:
        for url in [SEED_URL, "/", "/search/?q=Pirani", "/sitemap.xml"]:
            text(client, url)
        assert view_that_saves(RequestFactory().get("/")).content.decode() == REPLICA_TITLE
    assert on_replica.captured_queries  # the pages did read the replica
    # Reads only: a SELECT, or a UNION of them in parentheses (search's candidates).
    assert all(query["sql"].lstrip("( ").upper().startswith("SELECT") for query in on_replica.captured_queries)
    assert Book.objects.using("default").get(slug=SEED_BOOK_SLUG).subtitle == "Written During a Reader Page"
    assert Book.objects.using("replica").get(slug=SEED_BOOK_SLUG).subtitle != "Written During a Reader Page"


def test_reads_inside_an_atomic_block_go_to_the_primary(replica):
    @reader_page
    def view(request):
        outside = Book.objects.get(slug=SEED_BOOK_SLUG).title
        with transaction.atomic():
            inside = Book.objects.get(slug=SEED_BOOK_SLUG).title
        return HttpResponse(f"{outside} | {inside}")

    assert view(RequestFactory().get("/")).content.decode() == f"{REPLICA_TITLE} | {PRIMARY_TITLE}"


def test_sessions_users_and_anything_outside_a_reader_page_read_the_primary(replica):
    from django.contrib.auth.models import User

    @reader_page
    def view(request):
        return HttpResponse(f"{router.db_for_read(User)} {router.db_for_read(Book)}")

    assert view(RequestFactory().get("/")).content.decode() == "default replica"
    # Management commands, the shell, background work: no reader page, so the primary.
    assert router.db_for_read(Book) == "default"
    assert primary_title() == Book.objects.get(slug=SEED_BOOK_SLUG).title == PRIMARY_TITLE


def test_only_the_primary_is_migrated(replica):
    assert router.allow_migrate("default", "catalog", model_name="book")
    assert not router.allow_migrate("replica", "catalog", model_name="book")
    assert not router.allow_migrate("replica", "auth", model_name="user")


def test_after_a_change_reader_pages_read_the_primary_for_the_lag_window(
    replica, client, django_capture_on_commit_callbacks, monkeypatch
):
    assert REPLICA_TITLE in text(client, SEED_URL)
    # An editor changes the book; the replica has not replayed it yet (it never will, here).
    with django_capture_on_commit_callbacks(execute=True):
        book = Book.objects.get(slug=SEED_BOOK_SLUG)
        book.title = "Just Changed on the Primary"
        book.save()
    for url in [SEED_URL, "/", "/search/?q=Pirani"]:
        assert "Just Changed on the Primary" in text(client, url), url
    # The window is kept in the shared cache: another server (a fresh client) sees it too.
    assert "Just Changed on the Primary" in text(Client(), f"{SEED_URL}?country=GB")

    # Meanwhile the ISBN only the replica has is not found: the primary was read.
    assert client.get(f"/isbn/{REPLICA_ONLY_ISBN}/").status_code == 404

    # Once the window has passed, what is not kept reads the replica again (here, still stale):
    # the ISBN only it has is found. What was rendered from the primary in the window (pages, the
    # product page's skeleton, the book's card) stays kept until the next change: newer than the
    # replica, never older.
    later = time.time_ns() + 11 * 1_000_000_000
    monkeypatch.setattr(replica_reads, "time", types.SimpleNamespace(time_ns=lambda: later))
    assert client.get(f"/isbn/{REPLICA_ONLY_ISBN}/")["Location"] == SEED_URL
    assert "Just Changed on the Primary" in text(client, "/search/?q=Pirani")
    assert "Just Changed on the Primary" in text(Client(), f"{SEED_URL}?country=DE")
    assert "Just Changed on the Primary" in text(client, SEED_URL)


def test_the_lag_window_costs_no_cache_read_on_a_cached_page(replica, client, monkeypatch):
    backend = caches["default"]
    keys_read = []
    real_get = backend.get

    def get(key, *args, **kwargs):
        keys_read.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(backend, "get", get)

    assert REPLICA_TITLE in text(client, SEED_URL)  # rendered from the replica, then kept
    assert keys_read.count(GENERATION_KEY) == 1  # read once, for the page cache and the router both
    keys_read.clear()
    assert REPLICA_TITLE in text(client, SEED_URL)  # a hit
    assert len(keys_read) == 2  # the generation and the page, as without a replica
