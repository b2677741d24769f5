"""Shared fixtures: the demo catalog, the seed page, and the services CI must provide.

The demo catalog is loaded once per test database (so once per xdist worker), right after the
database is created and migrated, because most tests only read it and loading it for each of them
was most of the suite's time. What a test changes is still undone after it:

- an ordinary database test runs in a transaction that is rolled back;
- a transactional test (`transaction=True`, `live_server`) commits and the database is flushed
  after it, so `pytest_runtest_teardown` below puts the demo catalog back (with the groups and
  permissions the migrations made) before the next test, whatever that test is.

A database test that does not ask for `demo_catalog` (or `seed_book`) starts from an empty
catalog, as it always has: the demo rows are deleted inside its own transaction, and come back
when it is rolled back.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass

import pytest
from hypothesis import settings as hypothesis_settings

from demo.data import SEED_BOOK_SLUG

# Hypothesis: no per-example deadline (timings on a shared two-core machine are noisy, and a slow
# example is not a wrong one); in CI the examples are derandomized, so every run tries the same
# ones and a failure there is reproduced locally with CI=true.
hypothesis_settings.register_profile("bookstore", deadline=None, print_blob=True)
hypothesis_settings.register_profile("ci", parent=hypothesis_settings.get_profile("bookstore"), derandomize=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "bookstore")


@pytest.fixture(autouse=True, scope="session")
def _jinja2_renders_reach_the_test_client():
    """`response.context` and `response.templates` for pages rendered with Jinja2 too (storefront.jinja).

    The test client learns what a response rendered from Django's `template_rendered` signal, which
    only the template language's test instrumentation sends (`setup_test_environment`); this sends
    it when a Jinja2 template starts rendering, with the values it was given.
    """
    import jinja2
    from django.test.signals import template_rendered

    new_context = jinja2.Template.new_context

    def new_context_sent(template, vars=None, *args, **kwargs):  # noqa: A002 - Jinja2's own name
        template_rendered.send(sender=template, template=template, context=dict(vars or {}))
        return new_context(template, vars, *args, **kwargs)

    jinja2.Template.new_context = new_context_sent
    yield
    jinja2.Template.new_context = new_context


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-readme-images",
        action="store_true",
        help="also copy the product page screenshots over the README's pictures in docs/screenshots/",
    )


def require_service(available: bool, reason: str) -> None:
    """Skip locally when a service is missing; in CI (CI=true) a missing service is a failure."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must provide it)")
    pytest.skip(reason)


def card_titles(response) -> list[str]:
    """The titles of the book cards on a page, in order, as a reader reads them."""
    titles = re.findall(r'class="book-card-title"><a href="[^"]*">([^<]*)</a>', response.content.decode())
    return [html.unescape(title) for title in titles]


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class _LoadedDemo:
    blocker: object  # pytest-django's DjangoDbBlocker
    tables: tuple[str, ...]  # the tables the demo load put rows into
    # The whole database after the load, for after a flush. Kept here rather than on the
    # connection, because a connection object is not always the same one (see below).
    serialized: str


_LOADED_DEMO = pytest.StashKey[_LoadedDemo]()


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """The test database as pytest-django makes it, plus the demo catalog, loaded once."""
    from django.db import connection

    from demo.services import demo_catalog_load

    with django_db_blocker.unblock():
        before = _row_counts()
        demo_catalog_load()
        after = _row_counts()
        serialized = connection.creation.serialize_db_to_string()
        _replica_copy_the_primary()
    filled = [table for table, count in after.items() if count > before[table]]
    mixed = [table for table in filled if before[table]]
    assert not mixed, f"the demo load added rows to {mixed}, which already had some: empty them row by row"
    request.config.stash[_LOADED_DEMO] = _LoadedDemo(django_db_blocker, tuple(filled), serialized)


def _replica_copy_the_primary() -> None:
    """Make the replica's test database (when this session made one) a copy of the primary's.

    A streaming replica starts as a copy of the primary and is never migrated itself, so its
    test database is made the same way: CREATE DATABASE … TEMPLATE, once the demo catalog is in.
    """
    from django.db import connections

    if "replica" not in connections:
        return
    primary, replica = connections["default"], connections["replica"]
    if replica.settings_dict["NAME"] != replica.settings_dict["TEST"]["NAME"]:
        return  # no test in this session reads the replica, so its test database was not made
    quote = primary.ops.quote_name
    primary.close()  # PostgreSQL copies a database only while nobody is connected to it
    replica.close()
    with primary._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE {quote(replica.settings_dict['NAME'])}")
        cursor.execute(
            f"CREATE DATABASE {quote(replica.settings_dict['NAME'])} TEMPLATE {quote(primary.settings_dict['NAME'])}"
        )


def _uses_database(request: pytest.FixtureRequest) -> bool:
    database_fixtures = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
    return bool(request.node.get_closest_marker("django_db")) or bool(database_fixtures & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _empty_catalog_unless_the_test_asks_for_the_demo(request):
    if "demo_catalog" in request.fixturenames or not _uses_database(request):
        return
    request.getfixturevalue("db")
    from django.db import connection, transaction

    # One transaction, so the deferred foreign keys are checked once all of them are empty.
    with transaction.atomic(), connection.cursor() as cursor:
        for table in request.config.stash[_LOADED_DEMO].tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


@pytest.fixture
def demo_catalog(db):
    """The demo catalog, loaded once per session; changes a test makes are undone after it."""


@pytest.fixture
def seed_book(demo_catalog):
    from catalog.models import Book

    return Book.objects.get(slug=SEED_BOOK_SLUG)


def _flushes_the_database(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    return transactional or bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    try:
        return (yield)
    finally:
        loaded = item.config.stash.get(_LOADED_DEMO, None)
        if nextitem is not None and loaded is not None and _flushes_the_database(item):
            _demo_catalog_restore(loaded)


def _demo_catalog_restore(loaded: _LoadedDemo) -> None:
    """Put the database back as the session started it, after a transactional test's flush."""
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    with loaded.blocker.unblock():
        try:
            # Without serialized_rollback, the test's flush ran post_migrate, which made new content
            # types and permissions; flush them too so the saved ones come back with their own keys.
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False)
            connection.creation.deserialize_db_from_string(loaded.serialized)
            # The rows come back with their own keys. Move each sequence past them (PostgreSQL;
            # SQLite needs nothing), as loaddata does: a test that migrated a table away and back
            # has restarted its sequence, and the next row saved would reuse a restored key.
            sequences = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
            with connection.cursor() as cursor:
                for statement in sequences:
                    cursor.execute(statement)
        finally:
            # While Playwright's event loop runs in this thread, asgiref hands out connections per
            # context rather than per thread, and the one opened here would outlive the session,
            # keeping PostgreSQL from dropping the test database. Close it, as Django's own
            # transactional test cases do after each test.
            connection.close()


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached pages: a rolled-back transaction sends no signal to forget them."""
    from django.core.cache import cache

    cache.clear()
    yield
