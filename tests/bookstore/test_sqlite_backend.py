"""The SQLite backend rewrites each query text's placeholders once, and answers as Django's does."""

import sqlite3

import pytest
from django.db import connections

from bookstore.sqlite import base


@pytest.fixture
def cursor():
    connection = sqlite3.connect(":memory:")
    yield connection.cursor(factory=base.SQLiteCursorWrapper)
    connection.close()


def test_placeholders_and_escaped_percent_signs_are_rewritten(cursor):
    cursor.execute("SELECT %s, '100%%', %s || '%%s'", [1, "a"])
    assert cursor.fetchall() == [(1, "100%", "a%s")]


def test_a_text_run_again_is_not_rewritten_again(cursor):
    query = "SELECT %s + %s -- test_a_text_run_again_is_not_rewritten_again"
    cursor.execute(query, [1, 2])
    before = base._qmark_style.cache_info()
    cursor.execute(query, [3, 4])
    after = base._qmark_style.cache_info()
    assert cursor.fetchall() == [(7,)]
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)


def test_a_long_text_is_rewritten_each_time_and_not_kept(cursor):
    query = f"SELECT %s -- {'x' * base.KEPT_LONGEST}"
    before = base._qmark_style.cache_info()
    cursor.execute(query, [5])
    assert cursor.fetchall() == [(5,)]
    assert base._qmark_style.cache_info() == before


def test_named_parameters_are_rewritten_as_django_does(cursor):
    cursor.execute("SELECT %(a)s * %(b)s", {"a": 6, "b": 7})
    assert cursor.fetchall() == [(42,)]


@pytest.mark.django_db
def test_the_default_database_uses_this_backend():
    connection = connections["default"]
    if connection.vendor != "sqlite":
        pytest.skip("the suite runs on PostgreSQL (DATABASE_URL)")
    assert isinstance(connection, base.DatabaseWrapper)
    with connection.cursor() as cursor:
        assert isinstance(cursor.cursor, base.SQLiteCursorWrapper)
