"""Liveness and readiness, for a load balancer or an orchestrator.

`/healthz` says the process answers: it reads neither the database nor the cache, so a slow
database never makes a healthy server look dead (and restarted). `/readyz` says the server can
serve pages: every configured database answers a query and the cache takes and gives back a
value; otherwise 503 with Retry-After, so traffic goes elsewhere until it recovers. Neither is
cached or sets a cookie.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from health.middleware import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS, database_unavailable_response, first_line

logger = logging.getLogger("health.readiness")

READINESS_CACHE_KEY = "health:readiness"


def _plain(text: str, status: int = 200) -> HttpResponse:
    return HttpResponse(text + "\n", content_type="text/plain; charset=utf-8", status=status)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return _plain("ok")


def _database_problems() -> list[str]:
    problems = []
    for alias in settings.DATABASES:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as error:
            logger.warning("Not ready: database %r unreachable (%s)", alias, first_line(error))
            problems.append(f"database {alias} unreachable")
    return problems


def _cache_problems() -> list[str]:
    try:
        cache.set(READINESS_CACHE_KEY, "ok", timeout=10)
        if cache.get(READINESS_CACHE_KEY) == "ok":
            return []
        reason = "value not kept"
    except Exception as error:  # each cache backend raises its own errors when its server is away
        reason = first_line(error)
    logger.warning("Not ready: cache unreachable (%s)", reason)
    return ["cache unreachable"]


@require_safe
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    problems = _database_problems() + _cache_problems()
    if not problems:
        return _plain("ready")
    response = _plain("not ready: " + "; ".join(problems), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response._has_been_logged = True  # each problem was logged above, in one line
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage met outside a view (in a middleware) is still a 503 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        return database_unavailable_response(request, error)
    # Rendered without the request (and so without context processors), as Django does, so that
    # nothing about the request can fail again; the site's name and footer come from settings.
    page = loader.get_template("500.html").render(
        {"site_name": settings.BOOKSTORE_SITE_NAME, "site_footer": settings.BOOKSTORE_SITE_FOOTER}
    )
    return HttpResponseServerError(page)
