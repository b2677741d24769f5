"""The per-country page cache: rendered reader pages, kept under everything their bytes depend on.

A page is stored under the cache's *generation*, the day, the shipping country, the scheme and
host (pages carry absolute URLs) and the path with its query. Every change to the catalogue or
its prices moves the generation on (see `StorefrontConfig.ready()`), so no page from before the
change is found again; the day in the key lets an exchange rate dated in the future take effect
on its date with nothing to purge. A hit runs no SQL query and renders nothing; it answers
`If-None-Match` with 304. Cached pages hold nothing of one visitor: the views cached here render
no CSRF token, session or message, and responses that set a cookie are not stored. If the cache
is unreachable, pages are rendered and served uncached.

Validators: `ETag` is a digest of the page's bytes. `Last-Modified` is when the page last could
have changed: the later of the generation's start (the time of the last change to the catalogue
or its prices) and the start of the day (when dated exchange rates take effect); a page is never
newer than that, so `If-Modified-Since` is answered with 304 on it when no `If-None-Match` is
sent. `Cache-Control: public, max-age=0, must-revalidate` lets a browser or CDN keep the page
but ask each time (a cheap 304); `BOOKSTORE_CDN_MAX_AGE` seconds adds `s-maxage`, letting a CDN
serve it that long without asking, since a change here cannot purge it there.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import datetime
from datetime import time as day_time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, quote_etag
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from catalog.signals import catalogue_changed, in_catalogue_batch

logger = logging.getLogger(__name__)

GENERATION_KEY = "storefront:generation"
PAGE_TIMEOUT = 24 * 60 * 60
# Query parameters that change a cached page; any other makes the request uncached, so nobody
# can fill the cache with endless variants of one page. A list page's start (`from`) is kept only
# when it names a book of that list: anything else is a 404, and only 200s are stored.
PAGE_PARAMETERS = {"from", "country"}


def generation() -> int:
    """When the catalogue or its prices last changed, in nanoseconds since the epoch.

    A cache that has lost the value starts it afresh at the present moment, as if a change had just been made.
    """
    value = cache.get(GENERATION_KEY)
    if value is None:
        started = time.time_ns()
        cache.add(GENERATION_KEY, started, timeout=None)
        # A cache that keeps nothing (the dummy backend, a server refusing writes) still gets a
        # generation: a new one each time, so nothing kept under an older one is ever found.
        value = cache.get(GENERATION_KEY) or started
    return value


def kept[T](key: str, make: Callable[[], T], timeout: int, *, what: str) -> T:
    """`make()`'s value from the cache under `key`, or made and kept there when it is not.

    For what is kept under the generation beside the pages (product page skeletons, remembered
    searches). If the cache is unreachable the value is made each time, and `what` names it in
    the warning. `make()` may raise (an unknown book's Http404): nothing is kept then.
    """
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache outage must not take the page down
        logger.warning("The cache is unreachable; %s is made without it.", what, exc_info=True)
        return make()
    if value is None:
        value = make()
        try:
            cache.set(key, value, timeout)
        except Exception:  # noqa: BLE001
            logger.warning("The cache is unreachable; %s was not kept.", what, exc_info=True)
    return value


def invalidate() -> None:
    """Forget every cached page: later requests find none under the new generation."""
    try:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception:  # noqa: BLE001 - an unreachable cache holds nothing to forget
        logger.warning("The page cache is unreachable; its generation was not moved on.", exc_info=True)


def invalidate_on_commit(**kwargs) -> None:
    """A signal receiver: forget cached pages once the change is committed (never before it is visible).

    Single saves made within `catalog.signals.catalogue_batch()` are skipped: that writer sends
    `catalogue_changed` itself once per chunk it commits, rather than once per row.
    """
    if kwargs.get("signal") is not catalogue_changed and in_catalogue_batch():
        return
    transaction.on_commit(invalidate)


def page_key(request: HttpRequest, generation_ns: int) -> str | None:
    if set(request.GET) - PAGE_PARAMETERS:
        return None
    address = f"{request.scheme}://{request.get_host()}{request.path}"
    if "from" in request.GET:  # even empty: `?from=` is a 404, not the first page
        address += f"?from={request.GET['from']}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    day = timezone.localdate().isoformat()
    return f"storefront:page:v2:{generation_ns}:{day}:{request.shipping_country.code}:{digest}"


def last_modified(generation_ns: int) -> int:
    """When pages of this generation last could have changed, in seconds since the epoch."""
    start_of_day = timezone.make_aware(datetime.combine(timezone.localdate(), day_time.min))
    return max(generation_ns // 1_000_000_000, int(start_of_day.timestamp()))


def _not_modified(request: HttpRequest, etag: str, modified: int) -> bool:
    if "If-None-Match" in request.headers:
        return etag in parse_etags(request.headers["If-None-Match"])
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and modified <= since


def _validated(response: HttpResponse, etag: str, modified: int) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    if settings.BOOKSTORE_CDN_MAX_AGE:
        patch_cache_control(response, s_maxage=settings.BOOKSTORE_CDN_MAX_AGE)
    return response


def cached_page(view: Callable) -> Callable:
    """Serve the view's page from the cache when it is there; keep it there when it is not."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in {"GET", "HEAD"} or request.shipping_country.rejected:
            return view(request, *args, **kwargs)
        try:
            generation_ns = generation()
            # Kept on the request: storefront.replica_reads needs it too, and need not ask the cache again.
            request.page_cache_generation = generation_ns
            key = page_key(request, generation_ns)
            entry = cache.get(key) if key else None
        except Exception:  # noqa: BLE001 - a cache outage must not take the pages down
            logger.warning("The page cache is unreachable; serving uncached.", exc_info=True)
            return view(request, *args, **kwargs)
        modified = last_modified(generation_ns)
        if entry is not None:
            content_type, etag, content = entry
            if _not_modified(request, etag, modified):
                return _validated(HttpResponseNotModified(), etag, modified)
            return _validated(HttpResponse(content, content_type=content_type), etag, modified)
        response = view(request, *args, **kwargs)
        if key is None or response.status_code != 200 or response.streaming or response.cookies:
            return response
        if hasattr(response, "render"):
            response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        try:
            cache.set(key, (response["Content-Type"], etag, response.content), PAGE_TIMEOUT)
        except Exception:  # noqa: BLE001
            logger.warning("The page cache is unreachable; the page was not kept.", exc_info=True)
        if _not_modified(request, etag, modified):
            return _validated(HttpResponseNotModified(), etag, modified)
        return _validated(response, etag, modified)

    return wrapper
