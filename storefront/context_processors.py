"""What every page's template may use."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The publisher's site name and footer line: settings, the same for every visitor, so a cached
    page holding them holds nothing of one visitor."""
    return {"site_name": settings.BOOKSTORE_SITE_NAME, "site_footer": settings.BOOKSTORE_SITE_FOOTER}
