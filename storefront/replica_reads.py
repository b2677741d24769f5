"""When a reader page may read the catalogue from a read replica (bookstore.db_router asks here).

The storefront knows which requests are reader pages and how fresh their data must be; the
router, in `bookstore`, knows where the databases are. A reader page is a GET or HEAD of a view
marked `@reader_page` in the URLconfs (product, list, author, publisher, subject and search
pages, covers, the ISBN redirect, sitemap, robots.txt). Anything else (the admin, every POST,
management commands, code outside a request) is not, and reads the primary.

Replication lag: a replica replays the primary's changes a little late. A page rendered from it
just after an editor's save would show the old data and, worse, be kept by the page cache until
the next change. So for BOOKSTORE_REPLICA_LAG_SECONDS after any change to the catalogue or its
prices, reader pages read the primary. The time of the last change is the page cache's
generation (the moment it was moved on, shared by every server through the cache): the page
cache reads it for every request anyway, so the window costs no cache round-trip on a cached
page, and at most one on a page the page cache does not keep. A request decides once, at its
first read, and keeps to it, so one page never mixes the two databases.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from storefront.page_cache import generation

logger = logging.getLogger(__name__)


@dataclass
class _ReaderPage:
    request: HttpRequest
    may_read_replica: bool | None = None  # decided at the page's first read


_serving: ContextVar[_ReaderPage | None] = ContextVar("reader_page", default=None)


def reader_page(view: Callable) -> Callable:
    """Mark a view as a reader page: its GET and HEAD requests may read the catalogue from a replica."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in {"GET", "HEAD"}:
            return view(request, *args, **kwargs)
        token = _serving.set(_ReaderPage(request))
        try:
            response = view(request, *args, **kwargs)
            # A template response renders after the view returns; render it here, so the reads
            # its template makes are this page's reads too.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response
        finally:
            _serving.reset(token)

    return wrapper


def replica_reads_allowed() -> bool:
    """True while serving a reader page whose catalogue last changed longer ago than the replica may lag."""
    page = _serving.get()
    if page is None:
        return False
    if page.may_read_replica is None:
        page.may_read_replica = _replica_caught_up(page.request)
    return page.may_read_replica


def _replica_caught_up(request: HttpRequest) -> bool:
    # The page cache leaves the generation it read on the request; read it only if it did not.
    last_change = getattr(request, "page_cache_generation", None)
    if last_change is None:
        try:
            last_change = generation()
        except Exception:  # noqa: BLE001 - without the cache, how recent the last change is is unknown
            logger.warning("The cache is unreachable; reading the primary database.", exc_info=True)
            return False
    return time.time_ns() - last_change >= settings.BOOKSTORE_REPLICA_LAG_SECONDS * 1_000_000_000
