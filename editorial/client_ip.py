"""The address a login attempt came from, for throttling."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind our one reverse proxy the address that proxy saw.

    The proxy appends the client it saw to X-Forwarded-For, so the last entry is the only one
    a client cannot forge; earlier entries are whatever the client sent.
    """
    if settings.BOOKSTORE_BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")
