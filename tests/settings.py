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
# connection safely.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-bookstore.sqlite3")}  # noqa: F405
