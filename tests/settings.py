"""Test configuration: the project's settings plus test-only speedups."""

import os

os.environ["DJANGO_DEBUG"] = "1"

from bookstore.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Serve static files from the app folders, so tests need no collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A file, not memory, for the SQLite test database: the browser tests' live server answers
# several requests at once (a page's cover images), and threads cannot share one in-memory
# connection safely. Under pytest-xdist each worker gets its own file: pytest-django appends the
# worker's name (test-bookstore.sqlite3_gw0, _gw1, ...).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-bookstore.sqlite3")}  # noqa: F405
