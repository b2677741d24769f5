"""/healthz says the process is alive without touching anything; /readyz checks the database and the cache."""

from __future__ import annotations

import socket

import pytest
from django.db import OperationalError, connections

pytestmark = pytest.mark.django_db(databases="__all__")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unreachable_redis_cache() -> dict:
    location = f"redis://127.0.0.1:{closed_port()}/5"
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}}


def assert_never_cached_and_no_cookies(response) -> None:
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_healthz_answers_without_database_or_cache(client, django_assert_num_queries, settings):
    # A cache nobody can reach: liveness must not depend on it.
    settings.CACHES = unreachable_redis_cache()
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert_never_cached_and_no_cookies(response)
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_readyz_answers_200_when_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ready\n"
    assert_never_cached_and_no_cookies(response)


def test_readyz_answers_503_when_the_cache_is_unreachable(client, settings, caplog):
    settings.CACHES = unreachable_redis_cache()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.content == b"not ready: cache unreachable\n"
    assert_never_cached_and_no_cookies(response)
    assert [record.getMessage().split(" (")[0] for record in caplog.records] == ["Not ready: cache unreachable"]


def test_readyz_answers_503_when_the_database_is_unreachable(client, monkeypatch, caplog):
    def refused(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", refused)
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.content == b"not ready: database default unreachable\n"
    assert_never_cached_and_no_cookies(response)
    # One line, naming the cause; no traceback and no second line from Django for the 503.
    assert [record.getMessage() for record in caplog.records] == [
        "Not ready: database 'default' unreachable (connection to server at \"127.0.0.1\", port 5432 failed: "
        "Connection refused)"
    ]
    assert not any(record.exc_info for record in caplog.records)
