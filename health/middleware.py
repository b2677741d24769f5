"""A database that cannot answer is a 503 with Retry-After and the site's own page, logged in one line."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from health.database import RequestDatabaseWaits, request_database_waits

logger = logging.getLogger("health.database")

# Seconds a client (or a proxy, or a crawler) is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30

# Errors that say the database is out of reach or too slow (refused, stopped, hung, statement
# cancelled by its timeout, connection lost), rather than a fault in the query.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def first_line(error: BaseException) -> str:
    """What went wrong, in one line: database drivers' messages run to several (hints, details)."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def database_unavailable_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """The 503 page for a request the database could not serve, logged in one line without a traceback."""
    logger.warning("Database unavailable, answered 503: %s %s (%s)", request.method, request.path, first_line(error))
    response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # The line above is this failure's log entry: Django's own line for a 5xx ("Service
    # Unavailable: /path") would only repeat it.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_database_waits.set(RequestDatabaseWaits())
        try:
            return self.get_response(request)
        finally:
            request_database_waits.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable_response(request, exception)
        return None
