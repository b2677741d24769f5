"""Keeping the purchase path safe without putting anything personal into cached pages.

**Add to cart without a CSRF token.** The product and list pages are kept in the page cache
(storefront/page_cache.py) and served to every visitor of a country, so they cannot hold a
per-visitor CSRF token. Their add-to-cart forms post to `cart_add`, which is exempt from Django's
token check and instead accepts a POST only when the browser says it came from this site:
`Sec-Fetch-Site: same-origin` (sent by every current browser, and not settable by a page), or,
from a browser too old to send it, an `Origin` (else a `Referer`) of this site. A form on another
site therefore cannot add to a reader's cart; and since the session cookie is `SameSite=Lax`, a
cross-site POST would not carry the reader's session anyway. Adding a book to a cart is the only
thing that view does: every other form of the purchase path (the cart's quantities, checkout,
payment) is on a page that is never cached and carries Django's ordinary CSRF token.

**Rate limits.** Checkout and payment POSTs are counted per client address (editorial.client_ip,
which knows the trusted proxies) in the shared cache, each step on its own:
BOOKSTORE_CHECKOUT_RATE_LIMIT of them in BOOKSTORE_CHECKOUT_RATE_WINDOW seconds (settings; 0
means no limit). Past the limit the reader gets a 429 page saying when to try again, and nothing
they typed is lost on the form they came from.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from editorial.client_ip import client_ip

logger = logging.getLogger(__name__)


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def from_this_site(request: HttpRequest) -> bool:
    """Whether the browser says this POST comes from one of this site's own pages."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    own = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin in own
    referer = request.headers.get("Referer")
    return referer is not None and _origin_of(referer) in own


def over_limit(request: HttpRequest, scope: str) -> bool:
    """Count this request against the checkout's limit for its client address."""
    limit, window = settings.BOOKSTORE_CHECKOUT_RATE_LIMIT, settings.BOOKSTORE_CHECKOUT_RATE_WINDOW
    if not limit:
        return False
    key = f"orders:rate:{scope}:{client_ip(request) or 'unknown'}"
    try:
        cache.add(key, 0, timeout=window)
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    except Exception:  # noqa: BLE001 - without the cache no limit can be kept; never refuse for that
        logger.warning("The cache is unreachable; the %s rate limit is not applied.", scope, exc_info=True)
        return False
    return count > limit


def wait_wording(seconds: int) -> str:
    """How long to wait, for a reader: "45 seconds", "1 minute", "10 minutes" (whole minutes, rounded up)."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
