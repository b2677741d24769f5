"""A page the database cannot serve is the site's 503 page with Retry-After, logged in one line."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError, connections

from demo.data import SEED_BOOK_SLUG


@pytest.mark.parametrize(
    "error",
    [
        OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused\n\tIs the server running?'
        ),
        OperationalError("canceling statement due to statement timeout"),
        InterfaceError("connection already closed"),
    ],
)
def test_a_database_outage_is_a_503_with_the_designed_page_and_one_log_line(
    demo_catalog, client, monkeypatch, caplog, error
):
    def unavailable(*args, **kwargs):
        raise error

    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", unavailable)
        response = client.get(f"/books/{SEED_BOOK_SLUG}/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "<h1>Back in a moment</h1>" in page
    assert 'class="site-header"' in page  # the site's own frame, not a bare error
    assert "Traceback" not in page
    first_line = str(error).splitlines()[0]
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        ("WARNING", f"Database unavailable, answered 503: GET /books/{SEED_BOOK_SLUG}/ ({first_line})")
    ]
    assert not any(record.exc_info for record in caplog.records)


def test_other_database_errors_stay_server_errors(demo_catalog, client, monkeypatch):
    from django.db import ProgrammingError

    def broken(*args, **kwargs):
        raise ProgrammingError("column does not exist")

    client.raise_request_exception = False
    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", broken)
        response = client.get(f"/books/{SEED_BOOK_SLUG}/")
    assert response.status_code == 500
