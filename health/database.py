"""Time limits on waiting for PostgreSQL, so a hung database makes a page fail in seconds.

The server cancels a statement that runs longer than `DATABASE_STATEMENT_TIMEOUT` and libpq gives
up a connection attempt after `DATABASE_CONNECT_TIMEOUT` (both set on the connection in
settings). A server whose processes are stopped does neither: the operating system still accepts
the connection and the query, and nothing ever answers. So psycopg2 waits for the server through
`wait_within_time_limits` (its "wait callback"), which gives up after the connect timeout while
connecting, and a little after the statement timeout while a statement runs.

Within one request the database is waited for once: after a wait has run out, Django's attempt to
reconnect (its health check found the old connection dead) fails at once instead of waiting again,
so a page answers 503 after one timeout, not two. `DatabaseUnavailableMiddleware` opens that scope.
"""

from __future__ import annotations

import select
import time
from contextvars import ContextVar

import psycopg2
import psycopg2.extensions
from django.conf import settings

# How long past the statement timeout the client still waits for the server's own cancellation.
STATEMENT_GRACE_SECONDS = 0.5


class RequestDatabaseWaits:
    """What one request has seen of the database: whether a wait for it ran out."""

    def __init__(self) -> None:
        self.timed_out: float | None = None


request_database_waits: ContextVar[RequestDatabaseWaits | None] = ContextVar("request_database_waits", default=None)


def time_limits_install() -> None:
    """Bound every wait for PostgreSQL in this process by the time limits: for serving pages.

    PostgreSQL's statement_timeout is enforced by the server, and libpq's connect_timeout only by
    its blocking connect; neither helps when the server's processes are stopped and the kernel
    keeps accepting bytes for them. Waiting for the server ourselves bounds that too. Called by
    the WSGI and ASGI entry points only: a management command (a migration, a bulk load with
    COPY, which psycopg2 refuses under a wait callback) waits as long as its work needs.
    """
    from django.db import connections

    if any(connections.settings[alias]["ENGINE"] == "django.db.backends.postgresql" for alias in connections):
        psycopg2.extensions.set_wait_callback(wait_within_time_limits)


def wait_within_time_limits(conn, *args) -> None:
    """Drive `conn` until the server answers, or raise OperationalError once the time limit passes."""
    connecting = conn.status == psycopg2.extensions.STATUS_SETUP
    if connecting:
        limit = settings.DATABASE_CONNECT_TIMEOUT or None
    else:
        statement_timeout = settings.DATABASE_STATEMENT_TIMEOUT
        limit = statement_timeout + STATEMENT_GRACE_SECONDS if statement_timeout else None
    waits = request_database_waits.get()
    if connecting and waits is not None and waits.timed_out is not None:
        raise psycopg2.OperationalError(
            f"not connecting again: the database did not answer within {waits.timed_out:g} s earlier in this request"
        )
    deadline = None if limit is None else time.monotonic() + limit
    while True:
        try:
            state = conn.poll()
            if state == psycopg2.extensions.POLL_OK:
                return
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                if waits is not None:
                    waits.timed_out = limit
                what = "connecting" if connecting else "to a statement"
                raise psycopg2.OperationalError(f"the database did not answer {what} within {limit:g} s")
            if state == psycopg2.extensions.POLL_READ:
                select.select([conn.fileno()], [], [], remaining)
            elif state == psycopg2.extensions.POLL_WRITE:
                select.select([], [conn.fileno()], [], remaining)
            else:
                raise psycopg2.OperationalError(f"unexpected state from poll: {state}")
        except KeyboardInterrupt:
            # As psycopg2.extras.wait_select does: Ctrl-C in a shell cancels the statement, and
            # the loop ends with the server's error.
            conn.cancel()
