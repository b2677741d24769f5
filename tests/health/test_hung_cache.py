"""A cache that stops answering (hung, not down) slows pages by its time limits; it never holds them."""

from __future__ import annotations

import ast
import threading

import pytest
from django.conf import settings as django_settings

from demo.data import SEED_BOOK_SLUG
from tests.bookstore.test_settings import settings_value
from tests.database_proxy import DatabaseProxy

pytestmark = pytest.mark.django_db


def test_pages_are_served_without_a_cache_that_accepts_connections_and_never_answers(demo_catalog, client, settings):
    hung = DatabaseProxy("127.0.0.1", 9)  # nothing is forwarded while hung: no Redis needed
    hung.hang()
    try:
        production = django_settings.CACHES["default"].get("OPTIONS")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{hung.port}/0",
                # The options production settings give a Redis cache (REDIS_URL), read from the module.
                "OPTIONS": _redis_options(),
            }
        }
        assert production is None  # the suite itself runs on the local-memory cache
        answers = []
        request = threading.Thread(target=lambda: answers.append(client.get(f"/books/{SEED_BOOK_SLUG}/")))
        request.start()
        # With the limits (0.5 s a call) the page takes a second or two; without them each cache
        # call waits on the socket far longer (over ten seconds for the page here).
        request.join(timeout=8)
        assert answers, "the page waited on the hung cache"
        assert answers[0].status_code == 200
        assert "The Russian Revolution in Retreat" in answers[0].content.decode()
        assert hung.stuck > 0  # the cache was asked, and did not answer
    finally:
        hung.close()


def _redis_options() -> dict:
    """CACHES["default"]["OPTIONS"] as bookstore/settings.py sets it when REDIS_URL is given."""
    options = settings_value("settings.CACHES['default']['OPTIONS']", REDIS_URL="redis://127.0.0.1:6379/0")
    return ast.literal_eval(options)
