"""Backups: the README's pg_dump and pg_restore commands bring back a database that serves the same pages.

The test database, with the demo catalog loaded, is dumped in custom format and restored into a
new, empty database. The product page is then rendered from each, by the site as it runs in
production settings (a separate process, its own cache), and the two must be the same bytes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from demo.data import SEED_BOOK_SLUG
from tests.conftest import require_service

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRESQL,
        reason="needs PostgreSQL: pg_dump and pg_restore back up PostgreSQL (an SQLite database is one file to copy)",
    ),
    pytest.mark.django_db,
]

BASE_DIR = Path(__file__).resolve().parents[2]
RENDER = """
import sys
import django
django.setup()
from django.test import Client
response = Client(HTTP_HOST="localhost").get(sys.argv[1])
assert response.status_code == 200, response.status_code
sys.stdout.buffer.write(response.content)
"""


def database_url(name: str) -> str:
    """The test database's connection, as DATABASE_URL names it, for another database `name`."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"


def page_served_from(url: str, path: str) -> bytes:
    environment = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DATABASE_REPLICA_URL"}}
    environment |= {"DJANGO_SETTINGS_MODULE": "bookstore.settings", "DJANGO_DEBUG": "1", "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-c", RENDER, path], cwd=BASE_DIR, env=environment, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{' '.join(command[:1])} failed:\n{done.stderr}"


def test_a_dump_restored_into_an_empty_database_serves_the_same_product_page(demo_catalog, tmp_path):
    installed = shutil.which("pg_dump") and shutil.which("pg_restore")
    require_service(bool(installed), "pg_dump and pg_restore are not installed (Debian: postgresql-client)")
    original = connection.settings_dict["NAME"]
    restored = f"{original}_restored"
    dump = tmp_path / "bookstore.dump"
    quote_name = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote_name(restored)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote_name(restored)} TEMPLATE template0")
    try:
        # The README's commands ("Backups"). The demo catalog was committed when the test database
        # was made; this test's own transaction holds no change.
        run("pg_dump", "--format=custom", f"--file={dump}", database_url(original))
        restore = ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction"]
        run(*restore, f"--dbname={database_url(restored)}", str(dump))
        path = f"/books/{SEED_BOOK_SLUG}/"
        before = page_served_from(database_url(original), path)
        after = page_served_from(database_url(restored), path)
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote_name(restored)} WITH (FORCE)")
    assert "The Russian Revolution in Retreat, 1920–24".encode() in before
    assert b"USD $62.95" in before
    assert after == before
