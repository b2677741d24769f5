"""Addresses of pages named by a slug, without a whole `reverse()` for each.

A product page names a dozen such addresses (the book's, its authors', publisher's, subjects',
series', related titles', cover's) and a list page two for each book. `reverse()` looks the
pattern up and checks its arguments every time; here that is done once per view and URLconf,
and each address is the same text with the slug put in.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# What a slug converter accepts and reverse() leaves as it is (no percent-encoding).
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
_STAND_IN = "--slug--"


@functools.lru_cache(maxsize=256)
def _around_slug(viewname: str, prefix: str, urlconf: str, kwargs: tuple) -> tuple[str, str]:
    address = reverse(viewname, urlconf=urlconf, kwargs={"slug": _STAND_IN, **dict(kwargs)})
    before, after = address.split(_STAND_IN)
    return before, after


@functools.lru_cache(maxsize=256)
def _fixed(viewname: str, prefix: str, urlconf: str) -> str:
    return reverse(viewname, urlconf=urlconf)


def _where() -> tuple[str, str]:
    """This request's script prefix and URLconf: what a cached address depends on beside its arguments."""
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


def fixed_url(viewname: str) -> str:
    """`reverse(viewname)` for a page without arguments (the cart, say), looked up once per URLconf."""
    return _fixed(viewname, *_where())


def slug_url(viewname: str, slug: str, **kwargs) -> str:
    """`reverse(viewname, kwargs={"slug": slug, **kwargs})`, the same address, made faster."""
    if not _PLAIN_SLUG.match(slug):
        return reverse(viewname, kwargs={"slug": slug, **kwargs})
    before, after = _around_slug(viewname, *_where(), tuple(sorted(kwargs.items())))
    return f"{before}{slug}{after}"
