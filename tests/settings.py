"""Test configuration: the project's settings plus test-only speedups."""

import os

os.environ["DJANGO_DEBUG"] = "1"

from bookstore.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Serve static files from the app folders, so tests need no collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
