"""The per-country page cache: rendered reader pages, kept under everything their bytes depend on.

A page is stored under the cache's *generation*, the day, the shipping country, the scheme and
host (pages carry absolute URLs) and the path with its query. Every change to the catalogue or
its prices moves the generation on (see `StorefrontConfig.ready()`), so no page from before the
change is found again; the day in the key lets an exchange rate dated in the future take effect
on its date with nothing to purge. A hit runs no SQL query and renders nothing; it answers
`If-None-Match` with 304. Cached pages hold nothing of one visitor: the views cached here render
no CSRF token, session or message, and responses that set a cookie are not stored. If the cache
is unreachable, pages are rendered and served uncached.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import quote_etag
from django.utils.http import parse_etags

logger = logging.getLogger(__name__)

GENERATION_KEY = "storefront:generation"
PAGE_TIMEOUT = 24 * 60 * 60
# Query parameters that change a cached page; any other makes the request uncached, so nobody
# can fill the cache with endless variants of one page.
PAGE_PARAMETERS = {"page", "country"}


def generation() -> int:
    """When the catalogue or its prices last changed, in nanoseconds since the epoch.

    A cache that has lost the value starts it afresh at the present moment, as if a change had just been made.
    """
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def invalidate() -> None:
    """Forget every cached page: later requests find none under the new generation."""
    try:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception:  # noqa: BLE001 - an unreachable cache holds nothing to forget
        logger.warning("The page cache is unreachable; its generation was not moved on.", exc_info=True)


def invalidate_on_commit(**kwargs) -> None:
    """A signal receiver: forget cached pages once the change is committed (never before it is visible)."""
    transaction.on_commit(invalidate)


def page_key(request: HttpRequest) -> str | None:
    if set(request.GET) - PAGE_PARAMETERS:
        return None
    query = request.GET.get("page", "")
    address = f"{request.scheme}://{request.get_host()}{request.path}?page={query}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    # Kept on the request: storefront.replica_reads needs it too, and need not ask the cache again.
    request.page_cache_generation = current = generation()
    return f"storefront:page:{current}:{timezone.localdate().isoformat()}:{request.shipping_country.code}:{digest}"


def _not_modified(request: HttpRequest, etag: str) -> bool:
    return etag in parse_etags(request.headers.get("If-None-Match", ""))


def cached_page(view: Callable) -> Callable:
    """Serve the view's page from the cache when it is there; keep it there when it is not."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in {"GET", "HEAD"} or request.shipping_country.rejected:
            return view(request, *args, **kwargs)
        try:
            key = page_key(request)
            entry = cache.get(key) if key else None
        except Exception:  # noqa: BLE001 - a cache outage must not take the pages down
            logger.warning("The page cache is unreachable; serving uncached.", exc_info=True)
            return view(request, *args, **kwargs)
        if entry is not None:
            content_type, etag, content = entry
            if _not_modified(request, etag):
                return HttpResponseNotModified(headers={"ETag": etag})
            return HttpResponse(content, content_type=content_type, headers={"ETag": etag})
        response = view(request, *args, **kwargs)
        if key is None or response.status_code != 200 or response.streaming or response.cookies:
            return response
        if hasattr(response, "render"):
            response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        response["ETag"] = etag
        try:
            cache.set(key, (response["Content-Type"], etag, response.content), PAGE_TIMEOUT)
        except Exception:  # noqa: BLE001
            logger.warning("The page cache is unreachable; the page was not kept.", exc_info=True)
        if _not_modified(request, etag):
            return HttpResponseNotModified(headers={"ETag": etag})
        return response

    return wrapper
