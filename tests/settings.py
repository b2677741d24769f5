"""Test configuration: the project's settings plus test-only speedups."""

import os

os.environ["DJANGO_DEBUG"] = "1"
# The suite builds its databases (migrations, the demo catalog, a copy for the replica) on a busy
# machine, as management commands do: no statement limit, unless a run sets one.
# tests/health/ runs a server with the limits set. Only these settings see the 0: subprocesses
# the tests start get the environment as it was.
_STATEMENT_LIMIT_GIVEN = "DATABASE_STATEMENT_TIMEOUT" in os.environ
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")

from bookstore.settings import *  # noqa: E402,F403

if not _STATEMENT_LIMIT_GIVEN:
    del os.environ["DATABASE_STATEMENT_TIMEOUT"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Serve static files from the app folders, so tests need no collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A file, not memory, for the SQLite test database: the browser tests' live server answers
# several requests at once (a page's cover images), and threads cannot share one in-memory
# connection safely. Under pytest-xdist each worker gets its own file: pytest-django appends the
# worker's name (test-bookstore.sqlite3_gw0, _gw1, ...).
if DATABASES["default"]["ENGINE"] == "bookstore.sqlite":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-bookstore.sqlite3")}  # noqa: F405

# A second PostgreSQL database stands in for a read replica: the primary's NAME with `_replica`
# added (so CI needs no variable of its own). pytest-django creates its test database only for a
# test session that has tests asking for it (tests/bookstore/test_replica.py), and tests/conftest.py
# then makes it a copy of the primary's, as a streaming replica is. The replica router stays off
# here: the replica tests switch it on for themselves, so no other test can read the replica by
# accident. This one only keeps Django from creating tables there that the copy replaces.
DATABASES.pop("replica", None)  # noqa: F405 - whatever DATABASE_REPLICA_URL says, the tests use their own
DATABASE_ROUTERS = ["tests.replica_router.MigratePrimaryOnly"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    _replica_name = f"{DATABASES['default']['NAME']}_replica"  # noqa: F405
    DATABASES["replica"] = {  # noqa: F405
        **DATABASES["default"],  # noqa: F405
        "NAME": _replica_name,
        # Created empty (no migrations run, no tables made) and replaced by the copy at once.
        "TEST": {"NAME": f"test_{_replica_name}", "MIGRATE": False},
    }

# Tasks run at once, in the test process; tests/onix/test_tasks.py runs one through the database worker.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
